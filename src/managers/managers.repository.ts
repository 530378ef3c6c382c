import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Manager } from './manager.entity';

/** The managers (`managers`). */
@Injectable()
export class ManagersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The manager with this e-mail, written first when there is none (a concurrent writer's row is kept). */
  async findOrCreate(name: string, email: string, tx: EntityManager = this.db.manager): Promise<Manager> {
    await tx.createQueryBuilder().insert().into(Manager).values({ name, email }).orIgnore().execute();
    return tx.findOneByOrFail(Manager, { email });
  }
}
