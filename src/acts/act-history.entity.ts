import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorRole, ActStatus, Resolution } from './act-status';

/** One status change of an act: who, when, why. */
@Entity('act_history')
export class ActHistoryEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

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

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
