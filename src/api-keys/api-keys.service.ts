import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Principal, Role } from '../common/auth/principal';
import { Problems } from '../common/problem';
import { ApiKey } from './api-key.entity';
import { ApiKeyCreatedView } from './api-key.view';

const KEY_PREFIX = 'wa_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService {
  private readonly revocationListeners = new Set<(keyId: string) => Promise<void> | void>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Calls `listener` with the id of every key revoked here, once the revocation is stored; the
   * revocation answers after the listeners have done.
   */
  onRevoked(listener: (keyId: string) => Promise<void> | void): void {
    this.revocationListeners.add(listener);
  }

  /** Issues a key; the plain key is in the result and nowhere else, ever. */
  async issue(
    owner: { managerId: string } | { serviceCenterId: string },
    label: string | null = null,
    manager: EntityManager = this.db.manager,
  ): Promise<ApiKeyCreatedView> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = manager.create(ApiKey, {
      keyHash: hashKey(key),
      label,
      managerId: 'managerId' in owner ? owner.managerId : null,
      serviceCenterId: 'serviceCenterId' in owner ? owner.serviceCenterId : null,
    });
    await manager.insert(ApiKey, row);
    return { id: row.id, key, label: row.label, createdAt: row.createdAt };
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
    const [row] = await this.db.query<
      { id: string; manager_id: string | null; service_center_id: string | null; name: string }[]
    >(
      `SELECT k.id, k.manager_id, k.service_center_id, COALESCE(m.name, sc.name) AS name
         FROM api_keys k
         LEFT JOIN managers m ON m.id = k.manager_id
         LEFT JOIN service_centers sc ON sc.id = k.service_center_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashKey(key)],
    );
    if (!row) return undefined;
    return row.manager_id
      ? { role: Role.Manager, ownerId: row.manager_id, name: row.name, keyId: row.id }
      : { role: Role.ServiceCenter, ownerId: row.service_center_id as string, name: row.name, keyId: row.id };
  }

  listForServiceCenter(serviceCenterId: string): Promise<ApiKey[]> {
    return this.db.getRepository(ApiKey).find({ where: { serviceCenterId }, order: { createdAt: 'ASC' } });
  }

  /** Revokes at once: the next request with the key is refused. Revoking twice is harmless. */
  async revoke(id: string): Promise<void> {
    const result = await this.db
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where('id = :id', { id })
      .execute();
    if (!result.affected) throw Problems.notFound('API key');
    await Promise.all([...this.revocationListeners].map((listener) => listener(id)));
  }
}
