import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A POST seen with an Idempotency-Key: claimed while it runs, then holding the response
 * to replay for 24 hours. Keys are scoped to the caller's owner (a manager or an SC).
 */
@Entity('idempotency_keys')
export class IdempotencyRecord {
  @PrimaryColumn({ type: 'text' })
  owner: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** SHA-256 of method, path and body: the same key with another request is refused. */
  @Column({ type: 'text' })
  fingerprint: string;

  @Column({ name: 'response_status', type: 'int', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders: Record<string, string> | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
