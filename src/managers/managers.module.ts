import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ManagersController } from './managers.controller';
import { ManagersCoreModule } from './managers-core.module';
import { ManagersService } from './managers.service';

@Module({
  imports: [ManagersCoreModule, ApiKeysModule],
  controllers: [ManagersController],
  providers: [ManagersService],
  exports: [ManagersService, ManagersCoreModule],
})
export class ManagersModule {}
