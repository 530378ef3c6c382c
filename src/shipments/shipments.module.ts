import { Module } from '@nestjs/common';
import { ActsCoreModule } from '../acts/acts-core.module';
import { WebhookEventsModule } from '../webhooks/webhook-events.module';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [ActsCoreModule, WebhookEventsModule],
  controllers: [ShipmentsController],
  providers: [ShipmentsService, ShipmentsRepository],
})
export class ShipmentsModule {}
