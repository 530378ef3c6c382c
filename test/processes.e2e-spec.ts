import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, waitFor } from './support/wait';

// These run the built processes (npm test builds first), as an operator would.
const DIST = join(__dirname, '..', 'dist', 'src');

function start(script: string, env: Record<string, string> = {}): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(DIST, script)], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('processes', () => {
  it('cli create-manager prints a working manager key as the last line of stdout', async () => {
    const result = spawnSync(
      process.execPath,
      [join(DIST, 'cli.js'), 'create-manager', '--name', 'Ольга Петрова', '--email', `olga-${Date.now()}@example.com`],
      {
        env: process.env,
        encoding: 'utf8',
      },
    );
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const key = lines[lines.length - 1];
    expect(key).toMatch(/^wa_[\w-]{43}$/);

    const port = await freePort();
    const api = start('main.js', { PORT: String(port) });
    try {
      await waitFor(async () => (await request(`http://127.0.0.1:${port}`).get('/health/live')).status === 200, 'the API', 20_000);
      await request(`http://127.0.0.1:${port}`)
        .get('/api/v1/service-centers')
        .set('Authorization', `Bearer ${key}`)
        .set('X-Request-Id', 'trace-access-1')
        .expect(200);
      await request(`http://127.0.0.1:${port}`)
        .post('/api/v1/service-centers')
        .set('Authorization', `Bearer ${key}`)
        .set('X-Request-Id', 'trace-access-2')
        .set('Content-Type', 'application/json')
        .send('{"name":')
        .expect(400);
      // One access line per request, with its id and caller; never the key itself.
      const lines = await waitFor(() => {
        const access = api
          .output()
          .split('\n')
          .filter((line) => line.includes('"msg":"request completed"'))
          .map((line) => JSON.parse(line));
        return access.length >= 2 && access;
      }, 'the access lines');
      expect(lines.find((line) => line.reqId === 'trace-access-1')).toMatchObject({
        level: 30,
        method: 'GET',
        url: '/api/v1/service-centers',
        statusCode: 200,
        responseTime: expect.any(Number),
        principal: expect.stringMatching(/^manager:[0-9a-f-]{36}$/),
      });
      expect(lines.find((line) => line.reqId === 'trace-access-2')).toMatchObject({ method: 'POST', statusCode: 400 });
      expect(api.output()).not.toContain(key);

      // The build runs the @nestjs/swagger plugin: DTO and view schemas carry their properties,
      // and every operation but the public ones documents its 401.
      const doc = (await request(`http://127.0.0.1:${port}`).get('/api/v1/openapi.json').expect(200)).body;
      expect(Object.keys(doc.components.schemas.CreateActDto.properties)).toEqual(expect.arrayContaining(['product', 'diagnosis', 'parts', 'extra']));
      expect(doc.components.schemas.CreateActDto.required).toContain('product');
      expect(Object.keys(doc.components.schemas.ActView.properties)).toEqual(
        expect.arrayContaining(['id', 'number', 'status', 'statusLabel', 'resolution', 'kind', 'replyDeadline', 'version']),
      );
      expect(doc.paths['/api/v1/reports/compensation'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
        'from',
        'serviceCenterId',
        'settled',
        'to',
      ]);
      const settlements = doc.paths['/api/v1/compensation-settlements'];
      expect(settlements.post.responses['201'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SettlementView' });
      expect(settlements.get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SettlementPageView' });
      const settlement = doc.paths['/api/v1/compensation-settlements/{id}'].get.responses['200'].content;
      expect(settlement['application/json'].schema).toEqual({ $ref: '#/components/schemas/SettlementDetailView' });
      expect(settlement['text/csv']).toBeDefined();
      expect(Object.keys(doc.components.schemas.SettlementView.properties)).toEqual(
        expect.arrayContaining(['id', 'closedTo', 'serviceCenterId', 'createdAt', 'createdBy', 'actCount', 'amount', 'serviceCenters']),
      );
      expect(Object.keys(doc.components.schemas.SettlementActView.properties)).toEqual(
        expect.arrayContaining(['actId', 'closedAt', 'lines', 'total']),
      );
      expect(Object.keys(doc.components.schemas.CompensationReportView.properties)).toEqual(expect.arrayContaining(['serviceCenters', 'total']));
      expect(Object.keys(doc.components.schemas.SummaryReportView.properties)).toEqual(expect.arrayContaining(['byStatus', 'decisionTime']));
      expect(doc.paths['/api/v1/calendar'].get.parameters).toContainEqual(expect.objectContaining({ name: 'year', in: 'query', required: true }));
      expect(doc.paths['/api/v1/calendar/days/{date}'].put.parameters).toContainEqual(expect.objectContaining({ name: 'date', in: 'path' }));
      expect(doc.paths['/api/v1/calendar/days/{date}'].put.responses['200'].content['application/json'].schema.$ref).toMatch(/CalendarDayView$/);
      expect(doc.components.schemas.CalendarYearView.properties.days.items.$ref).toMatch(/CalendarDayView$/);
      expect(doc.components.schemas.CalendarDayView.properties.source.enum).toEqual(['built_in', 'override']);
      expect(doc.components.schemas.SetCalendarDayDto.required).toEqual(['working']);
      const undocumented: string[] = [];
      for (const [path, operations] of Object.entries<Record<string, { responses: Record<string, unknown>; security?: unknown[] }>>(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (path.includes('/health/')) continue;
          if (!operation.responses['401'] || !operation.security?.length) undocumented.push(`${method.toUpperCase()} ${path}`);
        }
      }
      expect(undocumented).toEqual([]);
      const exited = exitCode(api.child);
      api.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Loopback unless HOST says otherwise.
      expect(api.output()).toMatch(/"msg":"API listening on 127\.0\.0\.1 port \d+"/);
    } finally {
      api.child.kill('SIGKILL');
    }
  });

  it('cli refuses bad arguments with a usage message', () => {
    const result = spawnSync(process.execPath, [join(DIST, 'cli.js'), 'create-manager', '--name', 'X'], { env: process.env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage');
    expect(result.stdout).toBe('');
  });

  it('a bad configuration value stops start-up with a message naming the variable', async () => {
    const api = start('main.js', { INFO_REPLY_WINDOW: 'five days' });
    expect(await exitCode(api.child)).toBe(1);
    expect(api.output()).toContain('INFO_REPLY_WINDOW');
  });

  it('the worker connects to Redis, stays up, and stops cleanly on SIGTERM', async () => {
    const worker = start('worker.js');
    try {
      await waitFor(() => worker.output().includes('Worker started'), 'the worker', 20_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(worker.child.exitCode).toBeNull();
      const exited = exitCode(worker.child);
      worker.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      worker.child.kill('SIGKILL');
    }
  });
});
