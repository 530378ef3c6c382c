import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ManagersService } from './managers.service';

@Module({
  imports: [ApiKeysModule],
  providers: [ManagersService],
  exports: [ManagersService],
})
export class ManagersModule {}
