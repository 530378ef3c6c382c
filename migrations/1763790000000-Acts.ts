import { MigrationInterface, QueryRunner } from 'typeorm';

export class Acts1763790000000 implements MigrationInterface {
  name = 'Acts1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    // One counter row a year: numbers restart every year and never repeat.
    await q.query(`CREATE TABLE act_number_counters (
      year int PRIMARY KEY,
      last_value int NOT NULL
    )`);

    await q.query(`CREATE TABLE acts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      number text NOT NULL,
      year int NOT NULL,
      seq int NOT NULL,
      service_center_id uuid NOT NULL REFERENCES service_centers(id),
      status text NOT NULL DEFAULT 'draft',
      resolution text,
      kind text NOT NULL DEFAULT 'warranty',
      product jsonb NOT NULL DEFAULT '{}',
      diagnosis jsonb NOT NULL DEFAULT '{}',
      extra jsonb NOT NULL DEFAULT '{}',
      pre_sale boolean GENERATED ALWAYS AS (coalesce(product->>'condition' = 'pre_sale', false)) STORED,
      internal_number text GENERATED ALWAYS AS (lower(diagnosis->>'internalNumber')) STORED,
      search_text text GENERATED ALWAYS AS (lower(
        number || ' ' || coalesce(product->>'serialNumber', '') || ' ' || coalesce(product->>'model', '')
        || ' ' || coalesce(extra->>'customerName', '')
      )) STORED,
      reply_deadline timestamptz,
      mismatch_deadline timestamptz,
      reminded_deadline timestamptz,
      version int NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      submitted_at timestamptz,
      decided_at timestamptz,
      closed_at timestamptz,
      CONSTRAINT uq_acts_number UNIQUE (number),
      CONSTRAINT uq_acts_year_seq UNIQUE (year, seq),
      CONSTRAINT ck_acts_status CHECK (status IN
        ('draft','submitted','info_requested','approved','parts_shipped','parts_delivered','part_mismatch','closed')),
      CONSTRAINT ck_acts_resolution CHECK (
        (status = 'closed') = (resolution IS NOT NULL)
        AND (resolution IS NULL OR resolution IN ('repaired','warranty_refused','not_warranty','withdrawn'))),
      CONSTRAINT ck_acts_kind CHECK (kind IN ('warranty','paid'))
    )`);
    // Lists: newest first, per SC and overall; keyset pagination on (created_at, id).
    await q.query(`CREATE INDEX ix_acts_sc_created ON acts (service_center_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_acts_created ON acts (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_acts_status_created ON acts (status, created_at DESC, id DESC)`);
    // The managers' review queue: pre-sale first, then the oldest submissions.
    await q.query(`CREATE INDEX ix_acts_review ON acts (pre_sale DESC, submitted_at, id) WHERE status = 'submitted'`);
    // Sweeps.
    await q.query(`CREATE INDEX ix_acts_reply_deadline ON acts (reply_deadline) WHERE status = 'info_requested'`);
    await q.query(`CREATE INDEX ix_acts_mismatch_deadline ON acts (mismatch_deadline) WHERE status = 'parts_delivered'`);
    // Lookup by short number and by the SC's own work-order number; search.
    await q.query(`CREATE INDEX ix_acts_seq ON acts (seq)`);
    await q.query(`CREATE INDEX ix_acts_internal_number ON acts (internal_number) WHERE internal_number IS NOT NULL`);
    await q.query(`CREATE INDEX ix_acts_search ON acts USING gin (search_text gin_trgm_ops)`);

    await q.query(`CREATE TABLE act_parts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      position int NOT NULL,
      name text NOT NULL,
      diagram_number text,
      quantity int NOT NULL CHECK (quantity >= 1),
      own_part boolean NOT NULL DEFAULT false,
      unit_price numeric(12,2) CHECK (unit_price >= 0),
      CONSTRAINT uq_act_parts_position UNIQUE (act_id, position)
    )`);

    await q.query(`CREATE TABLE act_history (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      from_status text,
      to_status text NOT NULL,
      resolution text,
      actor_role text NOT NULL,
      actor_id uuid,
      actor_name text NOT NULL,
      reason text,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_act_history_act ON act_history (act_id, id)`);

    await q.query(`CREATE TABLE act_comments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      author_role text NOT NULL,
      author_id uuid,
      author_name text NOT NULL,
      text text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_act_comments_act ON act_comments (act_id, created_at, id)`);

    await q.query(`CREATE TABLE act_photos (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      act_id uuid NOT NULL REFERENCES acts(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN
        ('nameplate','warranty_card','receipt','breakage','part','fastening','client_statement','other')),
      file_name text NOT NULL,
      content_type text NOT NULL,
      size bigint NOT NULL,
      sha256 text NOT NULL,
      storage_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_act_photos_act ON act_photos (act_id, created_at)`);

    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      service_center_id uuid NOT NULL REFERENCES service_centers(id),
      act_id uuid REFERENCES acts(id) ON DELETE SET NULL,
      kind text NOT NULL,
      recipient text NOT NULL,
      subject text NOT NULL,
      body text NOT NULL,
      dedupe_key text,
      state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
      attempts int NOT NULL DEFAULT 0,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      CONSTRAINT uq_notifications_dedupe_key UNIQUE (dedupe_key)
    )`);
    await q.query(`CREATE INDEX ix_notifications_pending ON notifications (created_at) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['notifications', 'act_photos', 'act_comments', 'act_history', 'act_parts', 'acts', 'act_number_counters']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
