import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ManagersRepository } from './managers.repository';
import { ManagersService } from './managers.service';

@Module({
  imports: [ApiKeysModule],
  providers: [ManagersRepository, ManagersService],
  exports: [ManagersService],
})
export class ManagersModule {}
