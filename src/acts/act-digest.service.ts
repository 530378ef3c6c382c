import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { moscowDate } from '../messages/format';
import { mailTexts } from '../messages/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { NewNotification, NotificationsService } from '../notifications/notifications.service';
import { ActsRepository, OverdueAct } from './acts.repository';

/**
 * The managers' morning digest (DIGEST_AT): for each manager, the acts it answers for that wait
 * for a decision longer than REVIEW_SLA. Nothing is written for a manager with no such act. The
 * dedupe key (manager and Moscow day) makes a second run on the same day write nothing, so a
 * retried or doubled job sends each manager one digest a day.
 */
@Injectable()
export class ActDigest {
  private readonly logger = new Logger(ActDigest.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly acts: ActsRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'reviewSla'>,
  ) {}

  /** Writes today's digests; returns how many were written (0 on a re-run the same day). */
  async sendDigests(): Promise<number> {
    const now = this.clock.now();
    const day = moscowDate(now);
    const written = await this.db.transaction(async (tx) => {
      const rows = await this.acts.overdueByManager(await this.calendar.overdueBefore(now, this.config.reviewSla), tx);
      const byManager = new Map<string, OverdueAct[]>();
      for (const row of rows) byManager.set(row.managerId, [...(byManager.get(row.managerId) ?? []), row]);
      const messages: NewNotification[] = [...byManager].map(([managerId, acts]) => ({
        serviceCenterId: null,
        managerId,
        actId: null,
        kind: NotificationKind.Digest,
        dedupeKey: `digest:${managerId}:${day}`,
        ...mailTexts.digest(acts[0].managerName, acts),
      }));
      return this.notifications.enqueue(tx, messages);
    });
    if (written.length) this.logger.log(`Wrote ${written.length} review digests for ${day}`);
    return written.length;
  }
}
