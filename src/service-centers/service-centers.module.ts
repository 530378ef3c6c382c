import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServiceCenter } from './service-center.entity';
import { ServiceCentersController } from './service-centers.controller';
import { ServiceCentersService } from './service-centers.service';

@Module({
  imports: [TypeOrmModule.forFeature([ServiceCenter])],
  controllers: [ServiceCentersController],
  providers: [ServiceCentersService],
  exports: [ServiceCentersService],
})
export class ServiceCentersModule {}
