import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner webhooks (API.md "Webhooks"): endpoints owned by a service center or a manager, the
 * events written in the same transaction as the change that causes them, and one delivery per
 * matching endpoint and event. seq columns keep the order of events (deliveries of one act to
 * one endpoint go out by seq).
 */
export class Webhooks1764500000000 implements MigrationInterface {
  name = 'Webhooks1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      service_center_id uuid REFERENCES service_centers(id) ON DELETE CASCADE,
      manager_id uuid REFERENCES managers(id) ON DELETE CASCADE,
      url text NOT NULL,
      events text[],
      description text,
      enabled boolean NOT NULL DEFAULT true,
      secret text NOT NULL,
      previous_secret text,
      previous_secret_until timestamptz,
      failing_since timestamptz,
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ck_webhook_endpoints_owner CHECK ((service_center_id IS NULL) <> (manager_id IS NULL))
    )`);
    await q.query(`CREATE INDEX ix_webhook_endpoints_sc ON webhook_endpoints (service_center_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_webhook_endpoints_manager ON webhook_endpoints (manager_id, created_at, id)`);

    await q.query(`CREATE TABLE webhook_events (
      id text PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      type text NOT NULL,
      act_id uuid,
      service_center_id uuid,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_webhook_events_created ON webhook_events (created_at)`);

    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigint GENERATED ALWAYS AS IDENTITY,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
      event_id text NOT NULL REFERENCES webhook_events(id) ON DELETE CASCADE,
      act_id uuid,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','delivered','failed')),
      attempts int NOT NULL DEFAULT 0,
      attempts_limit int,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      queued_at timestamptz,
      last_status_code int,
      last_error text,
      last_response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    )`);
    // The dispatcher: due pending deliveries; the order check: an older pending one of the same act and endpoint.
    await q.query(`CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_chain ON webhook_deliveries (endpoint_id, act_id, seq) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_log ON webhook_deliveries (endpoint_id, created_at, id)`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_event ON webhook_deliveries (event_id)`);
    await q.query(`CREATE INDEX ix_webhook_deliveries_created ON webhook_deliveries (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_events`);
    await q.query(`DROP TABLE webhook_endpoints`);
  }
}
