import { HttpStatus, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { detailMessage, ProblemException, Problems } from '../common/problem';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyCreatedView } from './api-key.view';

const KEY_PREFIX = 'wa_';

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService {
  private readonly revocationListeners = new Set<(keyId: string) => Promise<void> | void>();

  constructor(private readonly keys: ApiKeysRepository) {}

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
    tx?: EntityManager,
  ): Promise<ApiKeyCreatedView> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.keys.insert(
      {
        keyHash: hashKey(key),
        label,
        managerId: 'managerId' in owner ? owner.managerId : null,
        serviceCenterId: 'serviceCenterId' in owner ? owner.serviceCenterId : null,
      },
      tx,
    );
    return { id: row.id, key, label: row.label, createdAt: row.createdAt };
  }

  async authenticate(key: string): Promise<Principal | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return undefined;
    return this.keys.findPrincipal(hashKey(key));
  }

  listForServiceCenter(serviceCenterId: string): Promise<ApiKey[]> {
    return this.keys.listForServiceCenter(serviceCenterId);
  }

  /**
   * Revokes a key for the manager `managerId`: a service center's key or one of the manager's own.
   * Another manager's key is refused (403); only that manager, or an operator with the CLI, may.
   */
  async revokeAsManager(managerId: string, id: string): Promise<void> {
    const owner = await this.keys.findOwner(id);
    if (!owner) throw Problems.notFound('apiKey');
    if (owner.managerId !== null && owner.managerId !== managerId) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', detailMessage('revokeForbidden'));
    }
    await this.revoke(id);
  }

  /** Revokes any key at once: the next request with the key is refused. Revoking twice is harmless. */
  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw Problems.notFound('apiKey');
    await Promise.all([...this.revocationListeners].map(async (listener) => listener(id)));
  }
}
