// The baseline for GET /api/v1/acts/:id: a bare node:http server on pg that runs the API's own
// SQL (the key lookup, then the act as the API reads it for its caller: ACT_BY_ID_WITH_FLAGS_SQL
// for a manager, ACT_BY_ID_SQL for a service center, taken from the build so that the two never
// drift apart) and returns the row as JSON. No framework, no validation, no logging, no rate
// limit: the floor the API is measured against.
// With BASELINE_KEY_CACHE=1 it remembers keys in a Map (never forgetting them), as the API does
// with API_KEY_CACHE_TTL: then both run one SQL statement per request. With BASELINE_PREPARED=1
// it prepares the act's statement once per connection (a named statement), as the API does.
// BASELINE_FRAMEWORK=express or nest serves the very same answer from one route of a bare
// Express app, or of a bare Nest app on the Express adapter (no middleware, guard, interceptor or
// pipe): the floor of the chosen stack itself, which no work inside the API can go below.
// BASELINE_FRAMEWORK=nest-fastify: the same bare Nest app on the Fastify adapter (a dev
// dependency, for this comparison only), the figure behind any proposal to change adapters.
require('reflect-metadata');
const http = require('node:http');
const path = require('node:path');
const { createHash } = require('node:crypto');
const { Pool } = require('pg');
const { ACT_BY_ID_SQL, ACT_BY_ID_WITH_FLAGS_SQL } = require(path.join(__dirname, '..', 'dist', 'src', 'acts', 'acts.repository.js'));

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const keys = process.env.BASELINE_KEY_CACHE === '1' ? new Map() : undefined;
const prepared = process.env.BASELINE_PREPARED === '1';
const ACT = /^\/api\/v1\/acts\/([0-9a-f-]{36})$/;
const PORT = Number(process.env.PORT);

/** The act with this id as its caller (by `Authorization`) may see it: { status, row }. */
async function readAct(id, authorization = '') {
  const key = authorization.replace(/^Bearer /, '');
  const auth =
    keys?.get(key) ??
    (await pool.query(
      `SELECT k.id, k.manager_id, k.service_center_id FROM api_keys k
        LEFT JOIN managers m ON m.id = k.manager_id LEFT JOIN service_centers sc ON sc.id = k.service_center_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [createHash('sha256').update(key).digest('hex')],
    ));
  if (!auth.rows[0]) return { status: 401 };
  keys?.set(key, auth);
  const tenant = auth.rows[0].service_center_id;
  const text = tenant ? ACT_BY_ID_SQL : ACT_BY_ID_WITH_FLAGS_SQL;
  const act = await pool.query(prepared ? { name: tenant ? 'act' : 'act-with-flags', text, values: [id, tenant] } : { text, values: [id, tenant] });
  return act.rows[0] ? { status: 200, row: act.rows[0] } : { status: 404 };
}

function serveBare() {
  const server = http.createServer(async (req, res) => {
    try {
      if (req.url === '/health/live') return res.end('{"status":"ok"}');
      const match = ACT.exec(req.url ?? '');
      if (!match) return res.writeHead(404).end();
      const { status, row } = await readAct(match[1], req.headers.authorization);
      if (!row) return res.writeHead(status).end();
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(row));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  server.listen(PORT, '127.0.0.1');
  return () => new Promise((resolve) => server.close(resolve));
}

function serveExpress() {
  const app = require('express')();
  app.get('/health/live', (_req, res) => res.json({ status: 'ok' }));
  app.get('/api/v1/acts/:id', async (req, res, next) => {
    try {
      const { status, row } = await readAct(req.params.id, req.headers.authorization);
      if (!row) return res.status(status).end();
      res.json(row);
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(PORT, '127.0.0.1');
  return () => new Promise((resolve) => server.close(resolve));
}

async function serveNest(adapter) {
  const { NestFactory } = require('@nestjs/core');
  const { Controller, Get, Headers, HttpException, Module, Param } = require('@nestjs/common');
  class ActController {
    live() {
      return { status: 'ok' };
    }
    async act(id, authorization) {
      const { status, row } = await readAct(id, authorization);
      if (!row) throw new HttpException('', status);
      return row;
    }
  }
  // Decorators applied as functions: this file runs as it is, without a build.
  const method = (name) => [ActController.prototype, name, Object.getOwnPropertyDescriptor(ActController.prototype, name)];
  Controller()(ActController);
  Get('health/live')(...method('live'));
  Get('api/v1/acts/:id')(...method('act'));
  Param('id')(ActController.prototype, 'act', 0);
  Headers('authorization')(ActController.prototype, 'act', 1);
  class FloorModule {}
  Module({ controllers: [ActController] })(FloorModule);
  const app = await NestFactory.create(FloorModule, ...(adapter ? [adapter] : []), { logger: false, bodyParser: false });
  await app.listen(PORT, '127.0.0.1');
  return () => app.close();
}

function serveNestFastify() {
  const { FastifyAdapter } = require('@nestjs/platform-fastify');
  return serveNest(new FastifyAdapter());
}

const serve = { express: serveExpress, nest: () => serveNest(), 'nest-fastify': serveNestFastify }[process.env.BASELINE_FRAMEWORK ?? ''] ?? serveBare;
Promise.resolve(serve()).then((close) =>
  process.on('SIGTERM', () =>
    close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
  ),
);
