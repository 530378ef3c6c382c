import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Problems } from '../common/problem';
import { CreateServiceCenterDto } from './dto/create-service-center.dto';
import { ServiceCenter } from './service-center.entity';

@Injectable()
export class ServiceCentersService {
  constructor(@InjectRepository(ServiceCenter) private readonly repo: Repository<ServiceCenter>) {}

  create(dto: CreateServiceCenterDto): Promise<ServiceCenter> {
    return this.repo.save(this.repo.create({ ...dto, city: dto.city ?? null, phone: dto.phone ?? null }));
  }

  list(): Promise<ServiceCenter[]> {
    return this.repo.find({ order: { name: 'ASC', id: 'ASC' } });
  }

  async get(id: string): Promise<ServiceCenter> {
    const found = await this.repo.findOneBy({ id });
    if (!found) throw Problems.notFound('Service center');
    return found;
  }
}
