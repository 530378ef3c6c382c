// The baseline for GET /api/v1/acts/:id: a bare node:http server on pg that runs the API's own
// SQL (the key lookup, then the act as the API reads it for its caller: ACT_BY_ID_WITH_FLAGS_SQL
// for a manager, ACT_BY_ID_SQL for a service center, taken from the build so that the two never
// drift apart) and returns the row as JSON. No framework, no validation, no logging, no rate
// limit: the floor the API is measured against.
// With BASELINE_KEY_CACHE=1 it remembers keys in a Map (never forgetting them), as the API does
// with API_KEY_CACHE_TTL: then both run one SQL statement per request. With BASELINE_PREPARED=1
// it prepares the act's statement once per connection (a named statement), as the API does.
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

const server = http.createServer(async (req, res) => {
  try {
    if (req.url === '/health/live') return res.end('{"status":"ok"}');
    const match = ACT.exec(req.url ?? '');
    if (!match) return res.writeHead(404).end();
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const auth =
      keys?.get(key) ??
      (await pool.query(
        `SELECT k.id, k.manager_id, k.service_center_id FROM api_keys k
        LEFT JOIN managers m ON m.id = k.manager_id LEFT JOIN service_centers sc ON sc.id = k.service_center_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
        [createHash('sha256').update(key).digest('hex')],
      ));
    if (!auth.rows[0]) return res.writeHead(401).end();
    keys?.set(key, auth);
    const tenant = auth.rows[0].service_center_id;
    const text = tenant ? ACT_BY_ID_SQL : ACT_BY_ID_WITH_FLAGS_SQL;
    const act = await pool.query(
      prepared ? { name: tenant ? 'act' : 'act-with-flags', text, values: [match[1], tenant] } : { text, values: [match[1], tenant] },
    );
    if (!act.rows[0]) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(act.rows[0]));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
