import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { JobName, QueueName } from '../src/jobs/queues';
import { SweepStats } from '../src/jobs/sweep-stats.service';
import { appWith, bearer, TestApp } from './app';

/** The value of one sample in Prometheus text, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const [series, value] = [line.slice(0, line.lastIndexOf(' ')), line.slice(line.lastIndexOf(' ') + 1)];
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) return Number(value);
  }
  return undefined;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A Redis prefix of its own: other suites' workers count their sweeps under the run's prefix (this one is within it, for the clean-up).
    t = await appWith({ REDIS_PREFIX: `${process.env.REDIS_PREFIX}:metrics` });
  });
  afterAll(() => t?.close());

  it('serves Prometheus text with process metrics, open when METRICS_TOKEN is unset, outside the OpenAPI document', async () => {
    const res = await t.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(res.headers['ratelimit-limit']).toBeUndefined();
    const doc = await t.http.get('/api/v1/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths as object).filter((path) => path.includes('metrics'))).toEqual([]);
  });

  it('times requests by route template and status, never by raw URL; unknown paths share one label', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await t.http.get(`/api/v1/acts/${id}`).set(bearer(t.managerKey)).expect(404);
    await t.http.get(`/api/v1/acts/${id}`).expect(401);
    await t.http.get('/api/v1/no-such-thing/abc').expect(404);
    await t.http.get('/api/v1/no-such-thing/def').expect(404);
    const { text } = await t.http.get('/metrics').expect(200);
    expect(sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/acts/:id', status: '404', method: 'GET' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/acts/:id', status: '401' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBe(2);
    expect(text).not.toContain(id);
    expect(text).not.toContain('no-such-thing');
    expect(sample(text, 'http_request_duration_seconds_bucket', { route: '/api/v1/acts/:id', status: '404', le: '+Inf' })).toBe(1);
  });

  it('reads queue depths, the e-mail outbox and the sweep counts at scrape time', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QueueName.Maintenance));
    await queue.pause();
    try {
      await queue.add(JobName.PurgeIdempotencyKeys, {}, { delay: 3_600_000 });
      await t.app.get(SweepStats).record(JobName.CloseSilentActs, { closed: 3 });
      await t.app.get(SweepStats).record(JobName.CloseSilentActs, { closed: 2 });
      const { text } = await t.http.get('/metrics').expect(200);
      expect(sample(text, 'warranty_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'warranty_queue_jobs', { queue: 'notifications', state: 'failed' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'warranty_email_outbox', { state: 'pending' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'warranty_email_outbox', { state: 'failed' })).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'warranty_email_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(text, 'warranty_sweep_runs_total', { sweep: 'close-silent-acts' })).toBe(2);
      expect(sample(text, 'warranty_sweep_items_total', { sweep: 'close-silent-acts', outcome: 'closed' })).toBe(5);
      for (const source of ['queues', 'outbox', 'sweeps']) expect(sample(text, 'warranty_metrics_source_up', { source })).toBe(1);
    } finally {
      await queue.obliterate({ force: true });
      await queue.resume();
    }
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const token = 'metrics-token-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({ METRICS_TOKEN: token, RATE_LIMIT_ANON_PER_MINUTE: '2' });
  });
  afterAll(() => t?.close());

  it('needs the token as a bearer; an API key is not it; a scraper is not held to the anonymous rate limit', async () => {
    const none = await t.http.get('/metrics').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await t.http.get('/metrics').set(bearer('metrics-token-wrong-one')).expect(401);
    await t.http.get('/metrics').set(bearer(t.managerKey)).expect(401);
    for (let i = 0; i < 4; i++) {
      const res = await t.http.get('/metrics').set(bearer(token)).expect(200);
      expect(res.text).toContain('http_request_duration_seconds');
    }
  });
});
