import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { ApiKeyCreatedView } from '../api-keys/api-key.view';
import { detailMessage, fieldMessage, ProblemException, Problems } from '../common/problem';
import { CreateManagerDto } from './dto/create-manager.dto';
import { UpdateManagerDto } from './dto/update-manager.dto';
import { Manager } from './manager.entity';
import { ManagerView } from './manager.view';
import { DuplicateManagerEmail, ManagerChanges, ManagersRepository } from './managers.repository';

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

  async list(): Promise<ManagerView[]> {
    return (await this.managers.list()).map(toView);
  }

  /** Registers a manager, without a key: the manager gets one from the CLI (create-manager with this e-mail). */
  async register(dto: CreateManagerDto): Promise<ManagerView> {
    const manager = await this.managers
      .insert({ name: dto.name, email: dto.email, phone: dto.phone ?? null, office: dto.office ?? null })
      .catch(duplicateAsConflict);
    return toView(manager);
  }

  async update(id: string, dto: UpdateManagerDto): Promise<ManagerView> {
    const changes: ManagerChanges = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.email !== undefined) changes.email = dto.email;
    if (dto.phone !== undefined) changes.phone = dto.phone;
    if (dto.office !== undefined) changes.office = dto.office;
    const manager = await this.managers.update(id, changes).catch(duplicateAsConflict);
    if (!manager) throw Problems.notFound('manager');
    return toView(manager);
  }

  /** A new key of the calling manager; a manager may not make keys for another. */
  issueKey(callerId: string, managerId: string, label: string | null): Promise<ApiKeyCreatedView> {
    if (callerId !== managerId) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', detailMessage('ownKeysOnly'));
    }
    return this.apiKeys.issue({ managerId }, label);
  }
}

function toView(manager: Manager): ManagerView {
  const { id, name, email, phone, office, createdAt } = manager;
  return { id, name, email, phone: phone ?? null, office: office ?? null, createdAt };
}

function duplicateAsConflict(error: unknown): never {
  if (error instanceof DuplicateManagerEmail)
    throw Problems.conflict('duplicate-email', detailMessage('duplicateEmail'), {
      errors: [{ field: 'email', message: fieldMessage('emailTaken') }],
    });
  throw error;
}
