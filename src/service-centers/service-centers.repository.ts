import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryFailedError } from 'typeorm';
import { ServiceCenter } from './service-center.entity';

export type NewServiceCenter = Pick<ServiceCenter, 'name' | 'email' | 'city' | 'phone'>;
export type ServiceCenterChanges = Partial<Pick<ServiceCenter, 'name' | 'email' | 'city' | 'phone' | 'managerId'>>;

/** Thrown by update when `managerId` names no manager (the foreign key refused it). */
export class UnknownManager extends Error {
  constructor(readonly managerId: string) {
    super(`There is no manager with the id ${managerId}.`);
    this.name = new.target.name;
  }
}

/** The partner service centers (`service_centers`). */
@Injectable()
export class ServiceCentersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes a service center; returns it with its id and creation time. */
  insert(fields: NewServiceCenter): Promise<ServiceCenter> {
    return this.db.manager.save(this.db.manager.create(ServiceCenter, { ...fields, managerId: null }));
  }

  /** All of them, by name. */
  list(): Promise<ServiceCenter[]> {
    return this.db.manager.find(ServiceCenter, { order: { name: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<ServiceCenter | null> {
    return this.db.manager.findOneBy(ServiceCenter, { id });
  }

  /**
   * Changes the given fields in one statement; null when there is no such service center.
   * An unknown `managerId` is refused by the foreign key, so a manager written concurrently is
   * never missed and one being removed is never set: UnknownManager.
   */
  async update(id: string, changes: ServiceCenterChanges): Promise<ServiceCenter | null> {
    if (Object.keys(changes).length > 0) {
      const result = await this.db.manager.update(ServiceCenter, { id }, changes).catch((error: unknown) => {
        if (error instanceof QueryFailedError && (error.driverError as { constraint?: string }).constraint === 'fk_service_centers_manager') {
          throw new UnknownManager(changes.managerId as string);
        }
        throw error;
      });
      if (!result.affected) return null;
    }
    return this.findById(id);
  }
}
