import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, NotificationState } from './notification.entity';

/** The recipient is the service center's current address; a known dedupe key is skipped. */
const ENQUEUE = `
  INSERT INTO notifications (service_center_id, act_id, kind, recipient, subject, body, dedupe_key)
  SELECT m.service_center_id, m.act_id, m.kind, sc.email, m.subject, m.body, m.dedupe_key
    FROM jsonb_to_recordset($1::jsonb) AS m(service_center_id uuid, act_id uuid, kind text, subject text, body text, dedupe_key text)
    JOIN service_centers sc ON sc.id = m.service_center_id
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id`;

/** $1 now, $2 requeue rows queued before this, $3 batch size. */
const CLAIM_FOR_DISPATCH = `
  UPDATE notifications SET queued_at = $1
   WHERE id IN (SELECT id FROM notifications
                 WHERE state = 'pending' AND (queued_at IS NULL OR queued_at < $2)
                 ORDER BY created_at
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
   RETURNING id`;

const COUNTS = `SELECT state, count(*) AS count, min(created_at) AS oldest FROM notifications GROUP BY state`;

const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '60s'`;
const LOCK_FOR_DELIVERY = `SELECT id, state, recipient, subject, body FROM notifications WHERE id = $1 FOR UPDATE`;

/** $3: the last attempt, which leaves the row failed. */
const RECORD_FAILED_ATTEMPT = `
  UPDATE notifications
     SET attempts = attempts + 1, last_error = $2, state = CASE WHEN $3 THEN 'failed' ELSE state END
   WHERE id = $1`;

const MARK_SENT = `UPDATE notifications SET state = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`;
const MARK_FAILED = `UPDATE notifications SET state = 'failed', last_error = $2 WHERE id = $1 AND state = 'pending'`;

/** Longest error text kept on a row. */
const MAX_ERROR_LENGTH = 2000;

export interface OutboxStateCount {
  state: NotificationState;
  count: string;
  oldest: Date | null;
}

export interface OutboxMessage {
  id: string;
  state: NotificationState;
  recipient: string;
  subject: string;
  body: string;
}

/** The e-mail outbox (`notifications`): its SQL and nothing else. */
export interface NewNotification {
  serviceCenterId: string;
  actId: string | null;
  kind: NotificationKind;
  subject: string;
  body: string;
  dedupeKey?: string;
}

export interface OutboxCounts {
  pending: number;
  sent: number;
  failed: number;
  oldestPendingAt: Date | null;
}

@Injectable()
export class OutboxRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes the messages in the caller's transaction; returns the ids of the rows written. */
  async insert(tx: EntityManager, messages: NewNotification[]): Promise<string[]> {
    const rows: { id: string }[] = await tx.query(ENQUEUE, [
      JSON.stringify(
        messages.map((m) => ({
          service_center_id: m.serviceCenterId,
          act_id: m.actId,
          kind: m.kind,
          subject: m.subject,
          body: m.body,
          dedupe_key: m.dedupeKey ?? null,
        })),
      ),
    ]);
    return rows.map((r) => r.id);
  }

  /** Stamps up to `limit` dispatchable pending rows queued at `now`, oldest first, skipping locked ones. */
  async claimForDispatch(tx: EntityManager, now: Date, requeueBefore: Date, limit: number): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await tx.query(CLAIM_FOR_DISPATCH, [now, requeueBefore, limit]);
    return rows.map((r) => r.id);
  }

  countByState(): Promise<OutboxStateCount[]> {
    return this.db.query(COUNTS);
  }

  /**
   * Locks one row for the rest of `tx` (waiting at most 60 s for another holder) and returns it;
   * undefined when it does not exist.
   */
  async lockForDelivery(tx: EntityManager, id: string): Promise<OutboxMessage | undefined> {
    await tx.query(LOCK_TIMEOUT);
    const [row]: OutboxMessage[] = await tx.query(LOCK_FOR_DELIVERY, [id]);
    return row;
  }

  async recordFailedAttempt(tx: EntityManager, id: string, error: string, lastAttempt: boolean): Promise<void> {
    await tx.query(RECORD_FAILED_ATTEMPT, [id, error.slice(0, MAX_ERROR_LENGTH), lastAttempt]);
  }

  async markSent(tx: EntityManager, id: string, at: Date): Promise<void> {
    await tx.query(MARK_SENT, [id, at]);
  }

  /** Fails a row that is still pending; a sent or failed row is left as it is. */
  async markFailed(id: string, reason: string): Promise<void> {
    await this.db.query(MARK_FAILED, [id, reason.slice(0, MAX_ERROR_LENGTH)]);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const OUTBOX_SQL = { ENQUEUE, CLAIM_FOR_DISPATCH, COUNTS, LOCK_TIMEOUT, LOCK_FOR_DELIVERY, RECORD_FAILED_ATTEMPT, MARK_SENT, MARK_FAILED };
