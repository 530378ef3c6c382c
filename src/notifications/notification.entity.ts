import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum NotificationKind {
  StatusChanged = 'status_changed',
  ManagerComment = 'manager_comment',
  Reminder = 'reminder',
}

export enum NotificationState {
  Pending = 'pending',
  Sent = 'sent',
  Failed = 'failed',
}

/**
 * The outbox: an e-mail to a service center, written in the same transaction as the change it
 * reports, and sent afterwards by the worker. Nothing is lost if a process dies in between.
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'service_center_id', type: 'uuid' })
  serviceCenterId: string;

  @Column({ name: 'act_id', type: 'uuid', nullable: true })
  actId: string | null;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  /** Makes a message unique (e.g. one reminder per deadline); null when any number may exist. */
  @Column({ name: 'dedupe_key', type: 'text', nullable: true, unique: true })
  dedupeKey: string | null;

  @Column({ type: 'text', default: NotificationState.Pending })
  state: NotificationState;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When the dispatcher last queued a send job for this row; null: never. */
  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt: Date | null;
}
