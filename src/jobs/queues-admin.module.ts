import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { QueuesController } from './queues.controller';
import { QueuesStatusService } from './queues-status.service';
import { QueuesModule } from './queues.module';
import { WebhooksModule } from '../webhooks/webhooks.module';

/** The operators' view of the worker's queues, served by the API. */
@Module({
  imports: [QueuesModule, NotificationsModule, WebhooksModule],
  controllers: [QueuesController],
  providers: [QueuesStatusService],
  exports: [QueuesStatusService],
})
export class QueuesAdminModule {}
