import { Module } from '@nestjs/common';
import { WebhookAddressGuard, webhookResolverProvider } from './webhook-address.service';
import { WebhookEventsModule } from './webhook-events.module';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/** The webhooks' HTTP API (endpoints, secrets, delivery logs) and their service for operators and housekeeping. */
@Module({
  imports: [WebhookEventsModule],
  controllers: [WebhooksController],
  providers: [WebhooksService, WebhookAddressGuard, webhookResolverProvider],
  exports: [WebhooksService],
})
export class WebhooksModule {}
