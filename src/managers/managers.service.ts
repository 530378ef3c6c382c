import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyCreatedView } from '../api-keys/api-key.view';
import { Manager } from './manager.entity';
import { ManagersRepository } from './managers.repository';

@Injectable()
export class ManagersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly managers: ManagersRepository,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** Creates a manager (or finds one by e-mail) and issues a new key, in one transaction. */
  create(name: string, email: string): Promise<{ manager: Manager; key: ApiKeyCreatedView }> {
    return this.db.transaction(async (tx) => {
      const manager = await this.managers.findOrCreate(name, email.toLowerCase(), tx);
      const key = await this.apiKeys.issue({ managerId: manager.id }, 'cli', tx);
      return { manager, key };
    });
  }
}
