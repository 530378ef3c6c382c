import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PhotoKind } from '../acts/photo-kind';

export { PhotoKind };

/** Evidence attached to an act. The bytes live in storage under `storageKey`, never the client's name. */
@Entity('act_photos')
export class ActPhoto {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'act_id', type: 'uuid' })
  actId: string;

  @Column({ type: 'text' })
  kind: PhotoKind;

  /** The client's file name, sanitised; metadata only. */
  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType: string;

  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  size: number;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'storage_key', type: 'text', select: false })
  storageKey: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
