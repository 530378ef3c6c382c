import { Module } from '@nestjs/common';
import { SettlementsController } from './settlements.controller';
import { SettlementsRepository } from './settlements.repository';
import { SettlementsService } from './settlements.service';

/** Own-part compensation settlements: each eligible act paid once, its own parts frozen after. */
@Module({
  controllers: [SettlementsController],
  providers: [SettlementsRepository, SettlementsService],
  exports: [SettlementsService],
})
export class SettlementsModule {}
