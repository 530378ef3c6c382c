import { Injectable } from '@nestjs/common';
import { Problems } from '../common/problem';
import { CreateServiceCenterDto } from './dto/create-service-center.dto';
import { ServiceCenter } from './service-center.entity';
import { ServiceCentersRepository } from './service-centers.repository';

@Injectable()
export class ServiceCentersService {
  constructor(private readonly serviceCenters: ServiceCentersRepository) {}

  create(dto: CreateServiceCenterDto): Promise<ServiceCenter> {
    return this.serviceCenters.insert({ ...dto, city: dto.city ?? null, phone: dto.phone ?? null });
  }

  list(): Promise<ServiceCenter[]> {
    return this.serviceCenters.list();
  }

  async get(id: string): Promise<ServiceCenter> {
    const found = await this.serviceCenters.findById(id);
    if (!found) throw Problems.notFound('Service center');
    return found;
  }
}
