import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationKind, NotificationState } from './notification.entity';

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
export class NotificationsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Writes e-mails to the outbox inside the caller's transaction; the recipient is the service
   * center's current address. A message whose dedupe key exists already is skipped.
   * Returns the ids of the rows written.
   */
  async enqueue(tx: EntityManager, messages: NewNotification[]): Promise<string[]> {
    if (messages.length === 0) return [];
    const rows: { id: string }[] = await tx.query(
      `INSERT INTO notifications (service_center_id, act_id, kind, recipient, subject, body, dedupe_key)
       SELECT m.service_center_id, m.act_id, m.kind, sc.email, m.subject, m.body, m.dedupe_key
         FROM jsonb_to_recordset($1::jsonb) AS m(service_center_id uuid, act_id uuid, kind text, subject text, body text, dedupe_key text)
         JOIN service_centers sc ON sc.id = m.service_center_id
       ON CONFLICT (dedupe_key) DO NOTHING
       RETURNING id`,
      [
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
      ],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims up to `limit` pending rows that were never queued, or were queued before
   * `requeueBefore` (their job may be lost), oldest first, and stamps them queued at `now`.
   * SKIP LOCKED lets several dispatchers run at once without waiting for each other; the
   * caller queues the jobs before committing `tx`, so a failure leaves the rows unclaimed.
   */
  async claimForDispatch(tx: EntityManager, now: Date, requeueBefore: Date, limit: number): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await tx.query(
      `UPDATE notifications SET queued_at = $1
        WHERE id IN (SELECT id FROM notifications
                      WHERE state = 'pending' AND (queued_at IS NULL OR queued_at < $2)
                      ORDER BY created_at
                      LIMIT $3
                      FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      [now, requeueBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The outbox by state, for operators. */
  async counts(): Promise<OutboxCounts> {
    const rows: { state: NotificationState; count: string; oldest: Date | null }[] = await this.db.query(
      `SELECT state, count(*) AS count, min(created_at) AS oldest FROM notifications GROUP BY state`,
    );
    const of = (state: NotificationState) => rows.find((r) => r.state === state);
    return {
      pending: Number(of(NotificationState.Pending)?.count ?? 0),
      sent: Number(of(NotificationState.Sent)?.count ?? 0),
      failed: Number(of(NotificationState.Failed)?.count ?? 0),
      oldestPendingAt: of(NotificationState.Pending)?.oldest ?? null,
    };
  }
}
