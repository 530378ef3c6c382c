import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export enum NotificationKind {
  StatusChanged = 'status_changed',
  ManagerComment = 'manager_comment',
  Reminder = 'reminder',
  /** To a manager: what a service center did on an act. */
  ManagerNotice = 'manager_notice',
  /** To a manager: the morning list of acts past the review SLA. */
  Digest = 'digest',
  /** To a service center: a parcel shipped DELIVERY_FOLLOW_UP ago is not confirmed delivered yet. */
  DeliveryFollowUp = 'delivery_follow_up',
  /** To a webhook endpoint's owner (service center or manager): the endpoint failed for too long and was disabled. */
  WebhookDisabled = 'webhook_disabled',
}

export enum NotificationState {
  Pending = 'pending',
  Sent = 'sent',
  Failed = 'failed',
}

/**
 * The outbox: an e-mail to a service center (or, with manager_id, to a manager), written in the same transaction as the change it
 * reports, and sent afterwards by the worker. Nothing is lost if a process dies in between.
 */
@Entity('notifications')
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The service center the e-mail is about; null for a manager's digest. */
  @Column({ name: 'service_center_id', type: 'uuid', nullable: true })
  serviceCenterId: string | null;

  /** Set when the e-mail goes to this manager rather than to the service center. */
  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId: string | null;

  /** Reply-To: the responsible manager for a service center's e-mail, the SC for a manager's. */
  @Column({ name: 'reply_to', type: 'text', nullable: true })
  replyTo: string | null;

  /** The order of events: e-mails about one act to one address go out by seq. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false })
  seq: string;

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
