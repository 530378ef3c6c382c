import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, NotificationState } from './notification.entity';
import { preparedQuery } from '../common/pool-query';

/**
 * The recipient is the manager's current address when manager_id is set, else the service
 * center's. Reply-To: for the SC, its responsible manager (none: no Reply-To); for a manager, the
 * SC. `{{serviceCenter}}` in the texts becomes the service center's name. A known dedupe key is skipped; rows are numbered (seq) in the order given.
 */
const ENQUEUE = `
  INSERT INTO notifications (service_center_id, manager_id, act_id, kind, recipient, reply_to, subject, body, dedupe_key)
  SELECT m.service_center_id, m.manager_id, m.act_id, m.kind,
         CASE WHEN m.manager_id IS NOT NULL THEN mm.email ELSE sc.email END,
         CASE WHEN m.manager_id IS NOT NULL THEN sc.email ELSE rm.email END,
         replace(m.subject, '{{serviceCenter}}', COALESCE(sc.name, '')), replace(m.body, '{{serviceCenter}}', COALESCE(sc.name, '')), m.dedupe_key
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (service_center_id uuid, manager_id uuid, act_id uuid, kind text, subject text, body text, dedupe_key text))
         WITH ORDINALITY AS m(service_center_id, manager_id, act_id, kind, subject, body, dedupe_key, n)
    LEFT JOIN service_centers sc ON sc.id = m.service_center_id
    LEFT JOIN managers rm ON rm.id = sc.manager_id
    LEFT JOIN managers mm ON mm.id = m.manager_id
   WHERE COALESCE(mm.email, sc.email) IS NOT NULL
   ORDER BY m.n
  ON CONFLICT (dedupe_key) DO NOTHING
  RETURNING id`;

/** $1 now, $2 requeue rows queued before this, $3 batch size. */
const CLAIM_FOR_DISPATCH = `
  UPDATE notifications SET queued_at = $1
   WHERE id IN (SELECT id FROM notifications
                 WHERE state = 'pending' AND (queued_at IS NULL OR queued_at < $2)
                 ORDER BY seq
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
   RETURNING id`;

const COUNTS = `SELECT state, count(*) AS count, min(created_at) AS oldest FROM notifications GROUP BY state`;

const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '60s'`;
/**
 * The row, and whether an older e-mail about the same act to the same address is still unsent
 * (pending): that one must go first. A failed one no longer holds the later ones back.
 */
const LOCK_FOR_DELIVERY = `
  SELECT n.id, n.state, n.recipient, n.reply_to AS "replyTo", n.subject, n.body,
         n.act_id IS NOT NULL AND EXISTS (
           SELECT 1 FROM notifications o
            WHERE o.act_id = n.act_id AND o.recipient = n.recipient AND o.state = 'pending' AND o.seq < n.seq
         ) AS "waitsForOlder"
    FROM notifications n WHERE n.id = $1 FOR UPDATE OF n`;

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
  replyTo: string | null;
  subject: string;
  body: string;
  /** An older e-mail about the same act to the same address is not sent yet. */
  waitsForOlder: boolean;
}

/** The e-mail outbox (`notifications`): its SQL and nothing else. */
export interface NewNotification {
  /** The service center the e-mail is about (its address is the recipient unless managerId is set). */
  serviceCenterId: string | null;
  /** The manager to write to, instead of the service center. */
  managerId?: string | null;
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
    const rows = await preparedQuery<{ id: string }>(tx, ENQUEUE, [
      JSON.stringify(
        messages.map((m) => ({
          service_center_id: m.serviceCenterId,
          manager_id: m.managerId ?? null,
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
export const OUTBOX_SQL = {
  ENQUEUE,
  CLAIM_FOR_DISPATCH,
  COUNTS,
  LOCK_TIMEOUT,
  LOCK_FOR_DELIVERY,
  RECORD_FAILED_ATTEMPT,
  MARK_SENT,
  MARK_FAILED,
};
