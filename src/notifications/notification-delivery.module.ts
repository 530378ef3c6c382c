import { Module } from '@nestjs/common';
import { Mailer } from './mailer';
import { NotificationSender } from './notification-sender.service';
import { NotificationsModule } from './notifications.module';

/** Sending the outbox: the worker's side of notifications. */
@Module({
  imports: [NotificationsModule],
  providers: [Mailer, NotificationSender],
  exports: [NotificationsModule, NotificationSender],
})
export class NotificationDeliveryModule {}
