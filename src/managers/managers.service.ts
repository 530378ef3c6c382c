import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyCreatedView } from '../api-keys/api-key.view';
import { Manager } from './manager.entity';

@Injectable()
export class ManagersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** Creates a manager (or finds one by e-mail) and issues a new key, in one transaction. */
  create(name: string, email: string): Promise<{ manager: Manager; key: ApiKeyCreatedView }> {
    return this.db.transaction(async (tx) => {
      await tx
        .createQueryBuilder()
        .insert()
        .into(Manager)
        .values({ name, email: email.toLowerCase() })
        .orIgnore()
        .execute();
      const manager = await tx.findOneByOrFail(Manager, { email: email.toLowerCase() });
      const key = await this.apiKeys.issue({ managerId: manager.id }, 'cli', tx);
      return { manager, key };
    });
  }
}
