import { Module } from '@nestjs/common';
import { ActsCoreModule } from '../acts/acts-core.module';
import { CalendarModule } from '../calendar/calendar.module';
import { DispatchController } from './dispatch.controller';
import { DispatchService } from './dispatch.service';
import { WebhookEventsModule } from '../webhooks/webhook-events.module';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsCoreModule } from './shipments-core.module';
import { ShipmentsService } from './shipments.service';

@Module({
  imports: [ActsCoreModule, ShipmentsCoreModule, CalendarModule, WebhookEventsModule],
  controllers: [ShipmentsController, DispatchController],
  providers: [ShipmentsService, DispatchService],
})
export class ShipmentsModule {}
