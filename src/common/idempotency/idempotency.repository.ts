import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How long a key is remembered. */
const RETENTION = '24 hours';

/** Claims a new key, or takes over an expired one; returns a row only when the claim is this caller's. */
const CLAIM = `
  INSERT INTO idempotency_keys (owner, key, fingerprint, expires_at)
  VALUES ($1, $2, $3, now() + interval '${RETENTION}')
  ON CONFLICT (owner, key) DO UPDATE
     SET fingerprint = EXCLUDED.fingerprint, response_status = NULL, response_body = NULL,
         response_headers = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
   WHERE idempotency_keys.expires_at < now()
  RETURNING owner`;

const FIND = `
  SELECT fingerprint, response_status, response_body, response_headers
    FROM idempotency_keys WHERE owner = $1 AND key = $2`;

const COMPLETE = `
  UPDATE idempotency_keys SET response_status = $3, response_body = $4, response_headers = $5
   WHERE owner = $1 AND key = $2`;

/** Only a claim still in progress: a stored response is kept. */
const RELEASE = `DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND response_status IS NULL`;

const PURGE_EXPIRED = `DELETE FROM idempotency_keys WHERE expires_at < now()`;

/** A key as stored: `status` is null while its first request is still running. */
export interface IdempotencyRecordRow {
  fingerprint: string;
  status: number | null;
  body: unknown;
  headers: Record<string, string> | null;
}

/** The idempotency records (`idempotency_keys`). */
@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** True when the key is now this request's (new, or expired and taken over). */
  async claim(owner: string, key: string, fingerprint: string): Promise<boolean> {
    const claimed: unknown[] = await this.db.query(CLAIM, [owner, key, fingerprint]);
    return claimed.length > 0;
  }

  async find(owner: string, key: string): Promise<IdempotencyRecordRow | undefined> {
    const [row]: { fingerprint: string; response_status: number | null; response_body: unknown; response_headers: Record<string, string> | null }[] =
      await this.db.query(FIND, [owner, key]);
    return row && { fingerprint: row.fingerprint, status: row.response_status, body: row.response_body, headers: row.response_headers };
  }

  async complete(owner: string, key: string, status: number, body: unknown, headers: Record<string, string>): Promise<void> {
    await this.db.query(COMPLETE, [owner, key, status, JSON.stringify(body ?? null), JSON.stringify(headers)]);
  }

  async release(owner: string, key: string): Promise<void> {
    await this.db.query(RELEASE, [owner, key]);
  }

  /** Drops the records past their retention; returns how many. */
  async purgeExpired(): Promise<number> {
    const [, deleted] = await this.db.query<[unknown, number | undefined]>(PURGE_EXPIRED);
    return Number(deleted ?? 0);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const IDEMPOTENCY_SQL = { CLAIM, FIND, COMPLETE, RELEASE, PURGE_EXPIRED };
