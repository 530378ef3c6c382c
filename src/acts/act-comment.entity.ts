import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ActorRole } from './act-status';

/** A message in an act's conversation, from the SC, a manager or the system. */
@Entity('act_comments')
export class ActComment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'act_id', type: 'uuid' })
  actId: string;

  @Column({ name: 'author_role', type: 'text' })
  authorRole: ActorRole;

  @Column({ name: 'author_id', type: 'uuid', nullable: true })
  authorId: string | null;

  @Column({ name: 'author_name', type: 'text' })
  authorName: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
