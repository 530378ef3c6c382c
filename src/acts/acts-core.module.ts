import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ManagersCoreModule } from '../managers/managers-core.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { ShipmentsCoreModule } from '../shipments/shipments-core.module';
import { WebhookEventsModule } from '../webhooks/webhook-events.module';
import { ActDigest } from './act-digest.service';
import { ActFlags } from './act-flags.service';
import { ActFlagsRepository } from './act-flags.repository';
import { ActLifecycle } from './act-lifecycle.service';
import { ActSweeps } from './act-sweeps.service';
import { ActsRepository } from './acts.repository';

/**
 * The act aggregate without HTTP: its SQL, its lifecycle (every change goes through it) and the
 * deadline sweeps. Imported by the API's feature modules that change acts and by the worker.
 */
@Module({
  imports: [NotificationsModule, ManagersCoreModule, CalendarModule, ShipmentsCoreModule, WebhookEventsModule],
  providers: [ActsRepository, ActLifecycle, ActSweeps, ActDigest, ActFlagsRepository, ActFlags],
  exports: [ActsRepository, ActLifecycle, ActSweeps, ActDigest, ActFlags],
})
export class ActsCoreModule {}
