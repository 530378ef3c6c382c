import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A bearer key of a manager or of one service center. Only the SHA-256 of the key is
 * stored: keys are 256-bit random, so a fast hash is enough and lookups stay O(1).
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'key_hash', type: 'text', unique: true, select: false })
  keyHash: string;

  @Column({ type: 'text', nullable: true })
  label: string | null;

  @Column({ name: 'manager_id', type: 'uuid', nullable: true })
  managerId: string | null;

  @Column({ name: 'service_center_id', type: 'uuid', nullable: true })
  serviceCenterId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
