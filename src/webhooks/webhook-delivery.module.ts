import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { WebhookAddressGuard, webhookResolverProvider } from './webhook-address.service';
import { WebhookEventsModule } from './webhook-events.module';
import { WebhookSender } from './webhook-sender.service';
import { WebhooksService } from './webhooks.service';

/** Sending webhooks: the worker's side (the send jobs, the purge). */
@Module({
  imports: [WebhookEventsModule, NotificationsModule],
  providers: [WebhookSender, WebhookAddressGuard, webhookResolverProvider, WebhooksService],
  exports: [WebhookSender, WebhooksService, WebhookEventsModule],
})
export class WebhookDeliveryModule {}
