import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServiceCenter } from './service-center.entity';

export type NewServiceCenter = Pick<ServiceCenter, 'name' | 'email' | 'city' | 'phone'>;

/** The partner service centers (`service_centers`). */
@Injectable()
export class ServiceCentersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes a service center; returns it with its id and creation time. */
  insert(fields: NewServiceCenter): Promise<ServiceCenter> {
    return this.db.manager.save(this.db.manager.create(ServiceCenter, fields));
  }

  /** All of them, by name. */
  list(): Promise<ServiceCenter[]> {
    return this.db.manager.find(ServiceCenter, { order: { name: 'ASC', id: 'ASC' } });
  }

  findById(id: string): Promise<ServiceCenter | null> {
    return this.db.manager.findOneBy(ServiceCenter, { id });
  }
}
