import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { NotificationKind } from './notification.entity';

export interface NewNotification {
  serviceCenterId: string;
  actId: string | null;
  kind: NotificationKind;
  subject: string;
  body: string;
  dedupeKey?: string;
}

@Injectable()
export class NotificationsService {
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
}
