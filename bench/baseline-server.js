// The baseline for GET /api/v1/acts/:id: a bare node:http server on pg that runs the same SQL
// as the API (key lookup, the act scoped to its caller, its parts, its photos) and returns the
// rows as JSON. No framework, no validation, no logging: the floor the API is measured against.
// With BASELINE_KEY_CACHE=1 it remembers keys in a Map (never forgetting them), as the API does
// with API_KEY_CACHE_TTL: then both run one SQL statement per request.
const http = require('node:http');
const { createHash } = require('node:crypto');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const keys = process.env.BASELINE_KEY_CACHE === '1' ? new Map() : undefined;
const ACT = /^\/api\/v1\/acts\/([0-9a-f-]{36})$/;
// The API's query for one act (see ActsService.render): the act, its parts and photos as JSON.
const ACT_SQL = `
  SELECT a.*,
    (SELECT coalesce(json_agg(json_build_object('id', p.id, 'actId', p.act_id, 'position', p.position, 'name', p.name,
        'diagramNumber', p.diagram_number, 'quantity', p.quantity, 'ownPart', p.own_part, 'unitPrice', p.unit_price::text)
        ORDER BY p.position), '[]') FROM act_parts p WHERE p.act_id = a.id) AS parts,
    (SELECT coalesce(json_agg(json_build_object('id', f.id, 'actId', f.act_id, 'kind', f.kind, 'fileName', f.file_name,
        'contentType', f.content_type, 'size', f.size, 'sha256', f.sha256, 'createdAt', f.created_at)
        ORDER BY f.created_at, f.id), '[]') FROM act_photos f WHERE f.act_id = a.id) AS photos
  FROM acts a WHERE a.id = $1 AND ($2::uuid IS NULL OR a.service_center_id = $2)`;

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
    const act = await pool.query(ACT_SQL, [match[1], tenant]);
    if (!act.rows[0]) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(act.rows[0]));
  } catch (error) {
    res.writeHead(500).end(String(error));
  }
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
