import { Test, TestingModule } from '@nestjs/testing';
import { LookupAddress } from 'node:dns';
import { Clock } from '../src/common/clock';
import { APP_CONFIG } from '../src/config/config.module';
import { AppConfig, loadConfig } from '../src/config/env';
import { WorkerModule } from '../src/jobs/worker.module';
import { systemResolver, WEBHOOK_RESOLVER, WebhookResolver } from '../src/webhooks/webhook-address.service';
import { bearer, createTestApp, TestApp, TestClock } from './app';
import { makeServiceCenter, makeSubmittedAct, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { waitFor } from './support/wait';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * A resolver whose answers the test sets: names under `.test` resolve to what `answers` says
 * (never to the network), others as the system resolves them (`localhost` from /etc/hosts).
 */
class FakeResolver implements WebhookResolver {
  readonly answers = new Map<string, string[]>();
  lookup(hostname: string): Promise<LookupAddress[]> {
    if (!hostname.endsWith('.test')) return systemResolver.lookup(hostname);
    const addresses = this.answers.get(hostname);
    if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }
}

// The SSRF guard with WEBHOOK_ALLOW_PRIVATE unset: refused at creation (422 naming url), and
// refused again at delivery when the name's answer changed since (a failed delivery saying why).
describe('webhooks: the SSRF guard', () => {
  const resolver = new FakeResolver();
  const receiver = new WebhookReceiver();
  let dropSuiteDatabase: (() => Promise<void>) | undefined;
  let config: AppConfig;
  let api: TestApp;
  let worker: TestingModule;
  let sc: TestServiceCenter;

  beforeAll(async () => {
    const { databaseUrl, drop } = await createSuiteDatabase();
    dropSuiteDatabase = drop;
    await receiver.start();
    config = {
      ...loadConfig({ ...process.env, WEBHOOK_ALLOW_PRIVATE: 'false' }),
      databaseUrl,
      redisPrefix: `${process.env.REDIS_PREFIX}:webhooks-ssrf`,
      notifyPollEveryMs: 100,
      webhookBackoffMs: 50,
      webhookTimeoutMs: 2000,
    };
    expect(config.webhookAllowPrivate).toBe(false);
    api = await createTestApp((b) => b.overrideProvider(APP_CONFIG).useValue(config).overrideProvider(WEBHOOK_RESOLVER).useValue(resolver));
    worker = await Test.createTestingModule({ imports: [WorkerModule] })
      .overrideProvider(APP_CONFIG)
      .useValue(config)
      .overrideProvider(Clock)
      .useValue(new TestClock())
      .overrideProvider(WEBHOOK_RESOLVER)
      .useValue(resolver)
      .compile();
    await worker.init();
    sc = await makeServiceCenter(api);
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver.stop();
    await dropSuiteDatabase?.();
  });

  const create = (url: string) => api.http.post('/api/v1/webhooks').set(bearer(sc.key)).set('Accept-Language', 'en').send({ url });

  it.each([
    ['loopback', 'http://127.0.0.1/hook'],
    ['loopback, another', 'http://127.1.2.3:8080/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['private 10.x', 'http://10.0.0.5/hook'],
    ['private 172.16.x', 'https://172.16.3.4/hook'],
    ['private 192.168.x', 'http://192.168.1.1/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['IPv6 unique-local', 'http://[fd12:3456::1]/hook'],
    ['multicast', 'http://224.0.0.1/hook'],
    ['IPv6 multicast', 'http://[ff02::1]/hook'],
    ['unspecified', 'http://0.0.0.0/hook'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 private', 'http://[::ffff:10.1.1.1]/hook'],
    ['a decimal loopback', 'http://2130706433/hook'],
    ['a name that resolves to 127.0.0.1', 'http://localhost:3000/hook'],
    ['a name that resolves to a private address', 'http://intranet.test/hook'],
    ['a name with one private address among public ones', 'http://mixed.test/hook'],
    ['a name that does not resolve', 'http://nowhere.test/hook'],
    ['a scheme other than http(s)', 'ftp://93.184.216.34/hook'],
    ['a file URL', 'file:///etc/passwd'],
  ])('refuses %s with 422 naming url', async (_, url) => {
    resolver.answers.set('intranet.test', ['10.1.2.3']);
    resolver.answers.set('mixed.test', ['93.184.216.34', '192.168.0.10']);
    const res = await create(url).expect(422);
    expect(res.body.errors).toEqual([{ field: 'url', message: expect.any(String) }]);
    // And a PATCH to it too.
    resolver.answers.set('partner.test', ['93.184.216.34']);
    const ok = await create('https://partner.test/hook').expect(201);
    const patched = await api.http.patch(`/api/v1/webhooks/${ok.body.id}`).set(bearer(sc.key)).send({ url }).expect(422);
    expect(patched.body.errors[0].field).toBe('url');
    // Nothing of this test may be sent anywhere later.
    await api.http.delete(`/api/v1/webhooks/${ok.body.id}`).set(bearer(sc.key)).expect(204);
  });

  it('accepts a public address, and records a failed delivery when the name later resolves to a refused address', async () => {
    resolver.answers.set('hooks.partner.test', ['93.184.216.34']);
    const hook = (await create('http://hooks.partner.test/events').expect(201)).body as { id: string };
    // DNS rebinding: the name now points at the loopback, where a receiver listens.
    resolver.answers.set('hooks.partner.test', ['127.0.0.1']);
    await makeSubmittedAct(api, sc);

    const item = await waitFor(async () => {
      const res = await api.http.get(`/api/v1/webhooks/${hook.id}/deliveries`).set(bearer(sc.key)).expect(200);
      return res.body.items.find((d: { status: string }) => d.status === 'failed') as {
        lastError: string;
        lastStatusCode: number | null;
        attempts: number;
      };
    }, 'the delivery to fail');
    expect(item.lastError).toMatch(/refused: hooks\.partner\.test \(127\.0\.0\.1\): loopback/);
    expect(item.lastStatusCode).toBeNull();
    expect(item.attempts).toBe(1);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses at delivery an address written in the URL when the guard would refuse it (a row from before the rule)', async () => {
    resolver.answers.set('late.partner.test', ['93.184.216.34']);
    const hook = (await create('http://late.partner.test/x').expect(201)).body as { id: string };
    await api.db.query(`UPDATE webhook_endpoints SET url = $2 WHERE id = $1`, [hook.id, receiver.url('/direct')]);
    await makeSubmittedAct(api, sc);
    const item = await waitFor(async () => {
      const res = await api.http.get(`/api/v1/webhooks/${hook.id}/deliveries`).set(bearer(sc.key)).expect(200);
      return res.body.items.find((d: { status: string }) => d.status === 'failed') as { lastError: string };
    }, 'the delivery to fail');
    expect(item.lastError).toMatch(/refused: 127\.0\.0\.1: loopback/);
    expect(receiver.received).toHaveLength(0);
  });
});
