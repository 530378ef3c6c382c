import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ProductCategoriesModule } from '../product-categories/product-categories.module';
import { ActActionsController } from './act-actions.controller';
import { ActActionsService } from './act-actions.service';
import { ActsController } from './acts.controller';
import { ActsCoreModule } from './acts-core.module';
import { ActsService } from './acts.service';
import { WebhookEventsModule } from '../webhooks/webhook-events.module';
import { PaidOrdersService } from './paid-orders.service';
import { ReasonCodesController } from './reason-codes.controller';

/** The acts API: drafts, sections, submission, the review and repair steps. */
@Module({
  imports: [ActsCoreModule, ProductCategoriesModule, CalendarModule, WebhookEventsModule],
  controllers: [ActsController, ActActionsController, ReasonCodesController],
  providers: [ActsService, ActActionsService, PaidOrdersService],
  exports: [PaidOrdersService],
})
export class ActsModule {}
