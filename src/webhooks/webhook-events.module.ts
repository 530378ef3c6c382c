import { Module } from '@nestjs/common';
import { WebhookEvents } from './webhook-events.service';
import { WebhooksRepository } from './webhooks.repository';

/** Recording webhook events (WebhookEvents.record in the caller's transaction): for every feature that changes acts. */
@Module({
  providers: [WebhooksRepository, WebhookEvents],
  exports: [WebhooksRepository, WebhookEvents],
})
export class WebhookEventsModule {}
