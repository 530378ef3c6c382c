import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, Role } from '../common/auth/principal';
import { ApiKey } from './api-key.entity';

/** A live key by its hash, with the name of its manager or service center. */
const FIND_ACTIVE_BY_HASH = `
  SELECT k.id, k.manager_id, k.service_center_id, COALESCE(m.name, sc.name) AS name
    FROM api_keys k
    LEFT JOIN managers m ON m.id = k.manager_id
    LEFT JOIN service_centers sc ON sc.id = k.service_center_id
   WHERE k.key_hash = $1 AND k.revoked_at IS NULL`;

export type NewApiKey = Pick<ApiKey, 'keyHash' | 'label' | 'managerId' | 'serviceCenterId'>;

/** The API keys (`api_keys`). */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes a key, in `tx` when given; returns the row with its id and creation time. */
  async insert(fields: NewApiKey, tx: EntityManager = this.db.manager): Promise<ApiKey> {
    const row = tx.create(ApiKey, fields);
    await tx.insert(ApiKey, row);
    return row;
  }

  /** Who holds the live key with this hash; undefined for an unknown or revoked key. */
  async findPrincipal(keyHash: string): Promise<Principal | undefined> {
    const [row]: { id: string; manager_id: string | null; service_center_id: string | null; name: string }[] = await this.db.query(
      FIND_ACTIVE_BY_HASH,
      [keyHash],
    );
    if (!row) return undefined;
    return row.manager_id
      ? { role: Role.Manager, ownerId: row.manager_id, name: row.name, keyId: row.id }
      : { role: Role.ServiceCenter, ownerId: row.service_center_id as string, name: row.name, keyId: row.id };
  }

  /** A service center's keys, oldest first (never their hashes). */
  listForServiceCenter(serviceCenterId: string): Promise<ApiKey[]> {
    return this.db.manager.find(ApiKey, { where: { serviceCenterId }, order: { createdAt: 'ASC' } });
  }

  /** Who a key belongs to (revoked or not); undefined when there is no such key. */
  async findOwner(id: string): Promise<Pick<ApiKey, 'managerId' | 'serviceCenterId'> | undefined> {
    const row = await this.db.manager.findOne(ApiKey, { where: { id }, select: { managerId: true, serviceCenterId: true } });
    return row ?? undefined;
  }

  /** Stamps the key revoked unless it already is; false when there is no such key. */
  async revoke(id: string): Promise<boolean> {
    const result = await this.db
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where('id = :id', { id })
      .execute();
    return Boolean(result.affected);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const API_KEYS_SQL = { FIND_ACTIVE_BY_HASH };
