import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorRole, ActStatus, Resolution } from './act-status';

export type HistoryType = 'status' | 'edit';

/** One field of a section changed after the draft: its path, old and new value. */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** One status change of an act, or one correction of its sections after the draft: who, when, why. */
@Entity('act_history')
export class ActHistoryEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'text', default: 'status' })
  type: HistoryType;

  @Column({ name: 'act_id', type: 'uuid' })
  actId: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus: ActStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus: ActStatus;

  @Column({ type: 'text', nullable: true })
  resolution: Resolution | null;

  @Column({ name: 'actor_role', type: 'text' })
  actorRole: ActorRole;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_name', type: 'text' })
  actorName: string;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** For `edit` entries: every changed field. */
  @Column({ type: 'jsonb', nullable: true })
  changes: FieldChange[] | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
