import { Injectable } from '@nestjs/common';
import { fieldMessage, Problems } from '../common/problem';
import { CreateServiceCenterDto } from './dto/create-service-center.dto';
import { UpdateServiceCenterDto } from './dto/update-service-center.dto';
import { ServiceCenter } from './service-center.entity';
import { ServiceCenterChanges, ServiceCentersRepository, UnknownManager } from './service-centers.repository';

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
    if (!found) throw Problems.notFound('serviceCenter');
    return found;
  }

  /** Changes the fields sent; `managerId` sets (or, null, removes) the responsible manager. */
  async update(id: string, dto: UpdateServiceCenterDto): Promise<ServiceCenter> {
    const changes: ServiceCenterChanges = {};
    for (const field of ['name', 'email', 'city', 'phone', 'managerId'] as const) {
      if (dto[field] !== undefined) (changes as Record<string, unknown>)[field] = dto[field];
    }
    const updated = await this.serviceCenters.update(id, changes).catch((error: unknown) => {
      if (error instanceof UnknownManager) throw Problems.validation([{ field: 'managerId', message: fieldMessage('unknownManager') }]);
      throw error;
    });
    if (!updated) throw Problems.notFound('serviceCenter');
    return updated;
  }
}
