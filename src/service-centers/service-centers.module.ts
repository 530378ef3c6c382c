import { Module } from '@nestjs/common';
import { ServiceCentersController } from './service-centers.controller';
import { ServiceCentersRepository } from './service-centers.repository';
import { ServiceCentersService } from './service-centers.service';

@Module({
  controllers: [ServiceCentersController],
  providers: [ServiceCentersRepository, ServiceCentersService],
  exports: [ServiceCentersService],
})
export class ServiceCentersModule {}
