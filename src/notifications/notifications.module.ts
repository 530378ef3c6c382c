import { Module } from '@nestjs/common';
import { OutboxRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';

@Module({
  providers: [OutboxRepository, NotificationsService],
  exports: [OutboxRepository, NotificationsService],
})
export class NotificationsModule {}
