// Seeds a benchmark database set-based: service centers, keys, and N acts across them with
// parts and history, in a handful of INSERT ... SELECT generate_series statements.
const { insertKey } = require('./lib');

/**
 * The tables the seed fills, and their indexes that no constraint owns: unless `deferIndexes` is
 * false they are dropped before the inserts and built again after (each built once over all the
 * rows, with a larger maintenance_work_mem, instead of updated row by row): 1 000 000 acts in
 * 63 s instead of 117 s, ten million in about 12 minutes.
 */
const SEEDED_TABLES = ['acts', 'act_parts', 'act_history'];

async function dropIndexes(client) {
  const { rows } = await client.query(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [SEEDED_TABLES],
  );
  for (const { indexname } of rows) await client.query(`DROP INDEX "${indexname}"`);
  return rows.map((r) => r.indexdef);
}

async function buildIndexes(client, definitions) {
  await client.query(`SET maintenance_work_mem = '1GB'`);
  for (const definition of definitions) await client.query(definition);
  await client.query(`RESET maintenance_work_mem`);
}

async function seed(client, { acts = 1_000_000, serviceCenters = 500, deferIndexes = true } = {}) {
  const started = Date.now();
  const indexes = deferIndexes ? await dropIndexes(client) : [];
  await client.query(`INSERT INTO managers (name, email) VALUES ('Bench Manager', 'bench@example.com')`);
  await client.query(
    `INSERT INTO service_centers (name, email, city)
     SELECT 'СЦ ' || g, 'sc' || g || '@example.com', (ARRAY['Москва','Владивосток','Тула','Казань'])[1 + g % 4]
       FROM generate_series(1, $1) g`,
    [serviceCenters],
  );
  const { rows: categories } = await client.query(`SELECT id FROM product_categories ORDER BY name`);
  const year = new Date().getFullYear();
  // Acts spread over the last 400 days in the order they were filed, as a real table grows: act 1
  // is the oldest, first in the heap, and the newest are last. Statuses in realistic proportions.
  await client.query(
    `WITH sc AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM service_centers)
     INSERT INTO acts (number, year, seq, service_center_id, status, resolution, kind, product, diagnosis, extra,
                       reply_deadline, mismatch_deadline, created_at, updated_at, submitted_at, decided_at, closed_at)
     SELECT 'ACT-' || $3::int || '-' || lpad(g::text, greatest(6, length(g::text)), '0'), $3::int, g, sc.id,
            s.status, s.resolution, CASE WHEN g % 5 = 0 THEN 'paid' ELSE 'warranty' END,
            jsonb_build_object('categoryId', ($4::text[])[1 + g % cardinality($4::text[])], 'model', 'Модель ' || (g % 997), 'serialNumber', 'SN' || g,
              'noSerialNumber', false, 'complaint', 'Не запускается', 'condition', CASE WHEN g % 50 = 0 THEN 'pre_sale' ELSE 'used' END,
              'saleDate', '2026-01-10', 'acceptedDate', '2026-02-01', 'completeness', 'full', 'hasWarrantyCard', true,
              'refusedWithin14Days', false, 'paidOrder', false),
            jsonb_build_object('internalNumber', 'WO-' || g, 'mechanic', 'Иванов', 'result', 'Гидроудар', 'conclusion', 'Гарантия', 'warrantyCase', true),
            jsonb_build_object('customerName', 'Клиент ' || (g % 10007), 'customerPhone', '+7916' || lpad((g % 10000000)::text, 7, '0'),
              'sellerOrganization', 'ООО Садовод', 'complexity', 1 + g % 3, 'productState', 'repaired'),
            CASE WHEN s.status = 'info_requested' THEN t.created + interval '5 days' END,
            CASE WHEN s.status = 'parts_delivered' THEN t.created + interval '8 days' END,
            t.created, t.created,
            CASE WHEN s.status <> 'draft' THEN t.created + interval '1 hour' END,
            CASE WHEN s.status IN ('approved','parts_shipped','parts_delivered','part_mismatch','closed') THEN t.created + interval '2 days' END,
            CASE WHEN s.status = 'closed' THEN t.created + interval '10 days' END
       FROM generate_series(1, $1) g
       JOIN sc ON sc.n = 1 + g % $2
       CROSS JOIN LATERAL (SELECT now() - (($1 - g)::double precision / $1) * interval '400 days' AS created) t
       CROSS JOIN LATERAL (SELECT
            (ARRAY['draft','submitted','info_requested','approved','parts_shipped','parts_delivered','closed','closed','closed','closed'])[1 + g % 10] AS status,
            CASE WHEN g % 10 >= 6 THEN (ARRAY['repaired','repaired','warranty_refused','not_warranty'])[1 + (g / 10) % 4] END AS resolution) s`,
    [acts, serviceCenters, year, categories.map((c) => c.id)],
  );
  await client.query(`INSERT INTO act_number_counters (year, last_value) VALUES ($1, $2)`, [year, acts]);
  await client.query(
    `INSERT INTO act_parts (act_id, position, name, quantity, own_part, unit_price)
     SELECT id, 0, 'Коленвал', 1 + seq % 3, seq % 4 = 0, CASE WHEN seq % 4 = 0 THEN (100 + seq % 900) + 0.5 END
       FROM acts WHERE seq % 2 = 0`,
  );
  await client.query(
    `INSERT INTO act_history (act_id, from_status, to_status, resolution, actor_role, actor_name, at)
     SELECT id, NULL, 'draft', NULL, 'service_center', 'СЦ', created_at FROM acts`,
  );
  await buildIndexes(client, indexes);
  await client.query('ANALYZE');
  const managerKey = await insertKey(client, {
    managerId: (await client.query(`SELECT id FROM managers LIMIT 1`)).rows[0].id,
  });
  const { rows: scs } = await client.query(`SELECT id FROM service_centers ORDER BY id LIMIT 3`);
  const scKeys = [];
  for (const sc of scs) scKeys.push({ serviceCenterId: sc.id, key: await insertKey(client, { serviceCenterId: sc.id }) });
  return { seconds: (Date.now() - started) / 1000, managerKey, scKeys };
}

module.exports = { seed };
