import createClient, { Client } from 'openapi-fetch';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientTypes, OUT } from '../scripts/openapi-client-types';
import type { components, paths } from './support/openapi';
import { ResponseChecker } from './support/openapi-responses';
import { freePort, waitFor } from './support/wait';

// A partner's view of the API: the built API (the one place where the @nestjs/swagger plugin
// has run) serves its document; a client generated from it (openapi-typescript types, committed
// as test/support/openapi.d.ts and regenerated here, openapi-fetch) drives a whole act life
// without one hand-written request; every answer is checked against the same document.
const DIST = join(__dirname, '..', 'dist', 'src');

// Real file heads, small but recognised by their bytes.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a45b0000000049454e44ae426082',
  'hex',
);

type Api = Client<paths>;
type Act = components['schemas']['ActView'];

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('a client generated from the served OpenAPI document', () => {
  let api: ChildProcess | undefined;
  let output = '';
  let baseUrl: string;
  let document: { paths: Record<string, Record<string, { responses: Record<string, never> }>> };
  let checker: ResponseChecker;
  let manager: Api;

  const client = (key?: string, language?: string): Api => {
    const c = createClient<paths>({
      baseUrl,
      headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), ...(language ? { 'Accept-Language': language } : {}) },
    });
    c.use(checker.middleware());
    return c;
  };

  beforeAll(async () => {
    const created = spawnSync(
      process.execPath,
      [join(DIST, 'cli.js'), 'create-manager', '--name', 'Анна Клиентова', '--email', `client-${randomUUID()}@example.com`],
      {
        env: process.env,
        encoding: 'utf8',
      },
    );
    expect(created.status).toBe(0);
    const managerKey = created.stdout.trim().split('\n').pop()!;

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = spawn(process.execPath, [join(DIST, 'main.js')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    api.stdout?.on('data', (chunk) => (output += chunk));
    api.stderr?.on('data', (chunk) => (output += chunk));
    await waitFor(async () => (await fetch(`${baseUrl}/health/live`)).ok, 'the API', 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });

    const served = await fetch(`${baseUrl}/api/v1/openapi.json`);
    expect(served.status).toBe(200);
    document = (await served.json()) as typeof document;
    checker = new ResponseChecker(document);
    manager = client(managerKey);
  }, 60_000);

  afterAll(async () => {
    if (!api) return;
    const exited = new Promise((resolve) => api!.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
  });

  it('drives a whole act life, and every answer is what the document declares', async () => {
    // A manager registers a service center, its key and a category.
    const sc = await manager.POST('/api/v1/service-centers', {
      body: { name: `СЦ Клиент ${randomUUID().slice(0, 8)}`, email: `sc-${randomUUID()}@example.com`, city: 'Тула' },
    });
    expect(sc.response.status).toBe(201);
    const key = await manager.POST('/api/v1/service-centers/{id}/api-keys', {
      params: { path: { id: sc.data!.id } },
      body: { label: 'generated client' },
    });
    expect(key.response.status).toBe(201);
    const category = await manager.POST('/api/v1/product-categories', { body: { name: `Мотоблок ${randomUUID().slice(0, 8)}` } });
    expect(category.response.status).toBe(201);
    const serviceCenter = client(key.data!.key);
    const english = client(key.data!.key, 'en');

    // The service center files a draft with every section, safely retried under one Idempotency-Key.
    const idempotencyKey = randomUUID();
    const draft = {
      product: {
        categoryId: category.data!.id,
        model: 'МБ-900 Агромаш',
        serialNumber: `SN-${randomUUID().slice(0, 8)}`,
        complaint: 'Не заводится',
        condition: 'used' as const,
        saleDate: day(-60),
        acceptedDate: day(-5),
        completeness: 'full' as const,
        hasWarrantyCard: true,
      },
      diagnosis: {
        internalNumber: `ЗН-${randomUUID().slice(0, 6)}`,
        mechanic: 'Сидоров С. С.',
        result: 'Износ поршневой группы',
        conclusion: 'Гарантия',
        warrantyCase: true,
      },
      parts: [
        { name: 'Поршень', diagramNumber: '7', quantity: 1, ownPart: false },
        { name: 'Свеча', quantity: 2, ownPart: true, unitPrice: '120.50' },
      ],
      extra: {
        customerName: 'Кузнецов К. К.',
        customerPhone: '+7 912 000-11-22',
        sellerOrganization: 'ООО «Дача»',
        complexity: 2,
        productState: 'left_at_service_center' as const,
      },
    };
    const created = await serviceCenter.POST('/api/v1/acts', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: draft });
    expect(created.response.status).toBe(201);
    const replayed = await serviceCenter.POST('/api/v1/acts', { params: { header: { 'Idempotency-Key': idempotencyKey } }, body: draft });
    expect(replayed.response.status).toBe(201);
    expect(replayed.response.headers.get('Idempotent-Replayed')).toBe('true');
    expect(replayed.data!.id).toBe(created.data!.id);
    const id = created.data!.id;
    const path = { id };

    // Read it in English, edit a section under If-Match, and meet a stale version.
    const read = await english.GET('/api/v1/acts/{id}', { params: { path } });
    expect(read.data!.statusLabel).toBe('Draft');
    const etag = read.response.headers.get('ETag')!;
    expect(etag).toBe(`"${read.data!.version}"`);
    const edited = await serviceCenter.PUT('/api/v1/acts/{id}/extra', {
      params: { path, header: { 'If-Match': etag } },
      body: { ...draft.extra, repairEndDate: day(-1) },
    });
    expect(edited.response.status).toBe(200);
    const stale = await serviceCenter.PUT('/api/v1/acts/{id}/extra', { params: { path, header: { 'If-Match': etag } }, body: draft.extra });
    expect(stale.response.status).toBe(412);
    expect(stale.error!.status).toBe(412);

    // Photos: multipart through the generated client.
    for (const kind of ['nameplate', 'warranty_card', 'breakage', 'part'] as const) {
      const photo = await serviceCenter.POST('/api/v1/acts/{id}/photos', {
        params: { path },
        body: { kind, file: new Blob([PNG], { type: 'image/png' }) },
        bodySerializer: (body) => {
          const form = new FormData();
          form.append('kind', body.kind);
          form.append('file', body.file, `${kind}.png`);
          return form;
        },
      });
      expect(photo.response.status).toBe(201);
      expect(photo.data!.contentType).toBe('image/png');
    }
    const withPhotos = await serviceCenter.GET('/api/v1/acts/{id}', { params: { path } });
    const download = await serviceCenter.GET('/api/v1/acts/{id}/photos/{photoId}', {
      params: { path: { id, photoId: withPhotos.data!.photos[0].id } },
      parseAs: 'arrayBuffer',
    });
    expect(Buffer.from(download.data as ArrayBuffer)).toEqual(PNG);

    // Submit, a question, the answer, a warranty decision.
    expect(await status(serviceCenter.POST('/api/v1/acts/{id}/submit', { params: { path } }))).toBe('submitted');
    expect(
      await status(
        manager.POST('/api/v1/acts/{id}/request-info', {
          params: { path },
          body: { text: 'Пришлите фото гарантийного талона целиком', replyWithin: '3d' },
        }),
      ),
    ).toBe('info_requested');
    const comment = await serviceCenter.POST('/api/v1/acts/{id}/comments', { params: { path }, body: { text: 'Фото талона приложено' } });
    expect(comment.response.status).toBe(201);
    expect(await status(serviceCenter.GET('/api/v1/acts/{id}', { params: { path } }))).toBe('submitted');
    expect(await status(manager.POST('/api/v1/acts/{id}/decision', { params: { path }, body: { decision: 'warranty', comment: 'Одобрено' } }))).toBe(
      'approved',
    );

    // The parts travel and arrive; the service center repairs.
    const shipment = await manager.POST('/api/v1/shipments', {
      body: { carrier: 'СДЭК', trackingNumber: `TRK-${randomUUID().slice(0, 8)}`, actIds: [id] },
    });
    expect(shipment.response.status).toBe(201);
    expect(await status(serviceCenter.GET('/api/v1/acts/{id}', { params: { path } }))).toBe('parts_shipped');
    const shipments = await serviceCenter.GET('/api/v1/shipments', { params: { query: { actId: id, limit: 10 } } });
    expect(shipments.data!.items.map((s) => s.id)).toEqual([shipment.data!.id]);
    const delivered = await manager.POST('/api/v1/shipments/{id}/delivered', { params: { path: { id: shipment.data!.id } }, body: {} });
    expect(delivered.data!.deliveredAt).toEqual(expect.any(String));
    expect(await status(serviceCenter.GET('/api/v1/acts/{id}', { params: { path } }))).toBe('parts_delivered');
    const repaired = await serviceCenter.POST('/api/v1/acts/{id}/repaired', { params: { path } });
    expect(repaired.data).toMatchObject({ status: 'closed', resolution: 'repaired' });
    const again = await serviceCenter.POST('/api/v1/acts/{id}/repaired', { params: { path } });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ currentStatus: 'closed', action: expect.any(String) });

    // What remains: history, comments, lists, lookup, reports.
    const history = await serviceCenter.GET('/api/v1/acts/{id}/history', { params: { path } });
    expect(history.data!.map((h) => h.to)).toEqual([
      'draft',
      'submitted',
      'info_requested',
      'submitted',
      'approved',
      'parts_shipped',
      'parts_delivered',
      'closed',
    ]);
    const comments = await serviceCenter.GET('/api/v1/acts/{id}/comments', { params: { path } });
    expect(comments.data!.map((c) => c.author.role)).toEqual(expect.arrayContaining(['manager', 'service_center']));
    const closed = await serviceCenter.GET('/api/v1/acts', { params: { query: { status: ['closed'], q: draft.product.model, limit: 5 } } });
    expect(closed.data!.items.map((a) => a.id)).toEqual([id]);
    const found = await manager.GET('/api/v1/acts/lookup', { params: { query: { number: created.data!.number } } });
    expect(found.data!.items.map((a) => a.id)).toEqual([id]);
    const report = await manager.GET('/api/v1/reports/compensation', {
      params: { query: { from: day(-1), to: day(1), serviceCenterId: sc.data!.id } },
    });
    expect(report.response.status).toBe(200);
    expect((await manager.GET('/api/v1/reports/summary')).response.status).toBe(200);
    expect((await manager.GET('/api/v1/product-categories')).response.status).toBe(200);
    expect((await manager.GET('/api/v1/service-centers/{id}/api-keys', { params: { path: { id: sc.data!.id } } })).response.status).toBe(200);

    // Refusals are declared too: no key, someone else's act, a bad query, a wrong role, a bad body.
    expect((await client().GET('/api/v1/acts', {})).response.status).toBe(401);
    expect((await serviceCenter.GET('/api/v1/acts/{id}', { params: { path: { id: randomUUID() } } })).response.status).toBe(404);
    expect((await serviceCenter.GET('/api/v1/acts', { params: { query: { limit: 1000 } } })).response.status).toBeGreaterThanOrEqual(400);
    expect((await serviceCenter.POST('/api/v1/shipments', { body: { carrier: 'x', trackingNumber: 'y', actIds: [id] } })).response.status).toBe(403);
    const invalid = await serviceCenter.POST('/api/v1/acts', { body: { product: { ...draft.product, saleDate: '2026-02-30' } } });
    expect(invalid.response.status).toBe(422);
    expect(invalid.error!.errors).toEqual([expect.objectContaining({ field: 'product.saleDate' })]);
    expect((await client().GET('/api/v1/health/live')).response.status).toBe(200);
    expect((await client().GET('/api/v1/health/ready')).response.status).toBe(200);

    const mismatches = await checker.settled();
    expect(checker.seen.length).toBeGreaterThan(35);
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('is the document npm run lint:openapi lints (written by scripts/openapi-document.js without a server)', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    const written = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'openapi-document.js'), file], {
      env: process.env,
      encoding: 'utf8',
    });
    expect(written.status).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(document);
  }, 60_000);

  // Last: generating the types keeps the event loop busy for seconds, long enough for the API to
  // drop the client's idle keep-alive connections.
  it('has the committed client types: the served document generates exactly test/support/openapi.d.ts', async () => {
    const generated = await clientTypes(document);
    const committed = readFileSync(OUT, 'utf8');
    if (generated !== committed) {
      throw new Error(
        'The served OpenAPI document gives other client types than test/support/openapi.d.ts: run `npm run openapi:types` and commit the file.',
      );
    }
  }, 120_000);
});

async function status(call: Promise<{ data?: Act; response: Response }>): Promise<string | undefined> {
  const { data, response } = await call;
  if (!data) throw new Error(`HTTP ${response.status}`);
  return data.status;
}

describe('the response checker', () => {
  const document = {
    paths: {
      '/things/{id}': {
        get: {
          responses: {
            '200': {
              headers: { ETag: {} },
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['id'],
                    properties: { id: { type: 'string', format: 'uuid' }, size: { type: 'integer', nullable: true } },
                  },
                },
              },
            },
            '204': {},
          },
        },
      },
    },
  };
  const answer = async (response: Response) => {
    const checker = new ResponseChecker(document);
    const request = new Request('http://127.0.0.1/things/1');
    await checker.middleware().onResponse!({ request, response, schemaPath: '/things/{id}' } as never);
    return (await checker.settled()).map((m) => m.problem);
  };
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

  it('passes what the document declares', async () => {
    expect(await answer(json({ id: randomUUID(), size: null }, 200, { ETag: '"1"' }))).toEqual([]);
    expect(await answer(new Response(null, { status: 204 }))).toEqual([]);
  });

  it('flags an undeclared status, content type or header, and a schema mismatch', async () => {
    expect(await answer(json({ id: randomUUID() }, 500))).toEqual([expect.stringContaining('status not declared')]);
    expect(await answer(new Response('x', { status: 200, headers: { 'Content-Type': 'text/plain' } }))).toEqual([
      expect.stringContaining('content type'),
    ]);
    expect(await answer(json({ id: randomUUID() }, 200, { Location: '/x' }))).toEqual([expect.stringContaining('header location')]);
    expect(await answer(json({ id: 'not-a-uuid', size: 1.5 }))).toEqual([expect.stringMatching(/format "uuid".*integer|integer.*format "uuid"/)]);
  });
});
