import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Integrity flags (issue 17): duplicate serial numbers, reused photos, sales older than the
 * category's warranty term.
 * - product categories get their warranty term in months (12 for every existing one);
 * - acts get a normalised serial number and model (stored generated columns: upper case, no
 *   spaces, dots, slashes or dashes; no serial number at all for «Б/Н» and the other ways of
 *   writing "none", so that those never match), indexed with the submission time for the
 *   duplicate search among submitted acts;
 * - photos are indexed by SHA-256;
 * - act_flags holds each act's current flags, one row per type, with the acts it links and the
 *   details; indexed by type for the managers' `flagged` / `flag` filters;
 * - the quality report reads closed acts by closing time, index-only (the category id as a column).
 */
export class IntegrityFlags1764520000000 implements MigrationInterface {
  name = 'IntegrityFlags1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE product_categories
      ADD COLUMN warranty_months int NOT NULL DEFAULT 12 CHECK (warranty_months BETWEEN 1 AND 120)`);

    await q.query(`ALTER TABLE acts
      ADD COLUMN serial_key text GENERATED ALWAYS AS (CASE
        WHEN coalesce(product->>'noSerialNumber', 'false') = 'true' THEN NULL
        WHEN lower(regexp_replace(product->>'serialNumber', '[\\s./\\\\-]', '', 'g')) IN ('', 'бн', 'нет', 'отсутствует', 'безномера') THEN NULL
        ELSE upper(regexp_replace(product->>'serialNumber', '[\\s./\\\\-]', '', 'g')) END) STORED,
      ADD COLUMN model_key text GENERATED ALWAYS AS (
        nullif(upper(regexp_replace(product->>'model', '[\\s./\\\\-]', '', 'g')), '')) STORED,
      ADD COLUMN category_key text GENERATED ALWAYS AS (product->>'categoryId') STORED`);
    // Duplicate serial numbers: the same model and serial number among submitted acts, by submission time.
    await q.query(`CREATE INDEX ix_acts_serial ON acts (model_key, serial_key, submitted_at)
      WHERE serial_key IS NOT NULL AND submitted_at IS NOT NULL`);
    // Reused photos: the same content on another act.
    await q.query(`CREATE INDEX ix_act_photos_sha256 ON act_photos (sha256, act_id)`);

    await q.query(`CREATE TABLE act_flags (
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      type text NOT NULL CHECK (type IN ('duplicate_serial','duplicate_photo','out_of_warranty')),
      related_act_ids uuid[] NOT NULL DEFAULT '{}',
      details jsonb,
      PRIMARY KEY (act_id, type)
    )`);
    await q.query(`CREATE INDEX ix_act_flags_type ON act_flags (type, act_id)`);

    // The quality report: acts closed in a period (withdrawn drafts are not claims), read
    // index-only: every column the report groups or counts by is in the index.
    await q.query(`CREATE INDEX ix_acts_closed ON acts (closed_at)
      INCLUDE (id, service_center_id, resolution, kind, decided_at, reason_code, model_key, category_key)
      WHERE status = 'closed' AND resolution <> 'withdrawn'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_acts_closed`);
    await q.query(`DROP TABLE act_flags`);
    await q.query(`DROP INDEX ix_act_photos_sha256`);
    await q.query(`DROP INDEX ix_acts_serial`);
    await q.query(`ALTER TABLE acts DROP COLUMN serial_key, DROP COLUMN model_key, DROP COLUMN category_key`);
    await q.query(`ALTER TABLE product_categories DROP COLUMN warranty_months`);
  }
}
