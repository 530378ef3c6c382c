import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { NotificationKind } from '../notifications/notification.entity';
import { statusMessage } from './act-lifecycle.service';
import { ActAction, ActorRole, ActStatus, allowedFrom, findTransition, resolutionLabel, Resolution } from './act-status';
import { SYSTEM_ACTOR } from './actor';

/** Acts handled per statement (and so per transaction). */
export const SWEEP_BATCH = 1000;

// The texts are built once in TypeScript with these markers; SQL puts each act's values in.
const NUMBER = '{{number}}';
const DEADLINE = '{{deadline}}';
/** formatMoscow() (ru-RU, short date and time) in SQL; a test holds the two together. */
const MOSCOW_TIME_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY, HH24:MI')`;
/** Date.prototype.toISOString() in SQL. */
const ISO_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

type DeadlineColumn = 'reply_deadline' | 'mismatch_deadline';

interface Deadline {
  /** The system's action when the deadline passes in silence. */
  action: ActAction;
  column: DeadlineColumn;
  reason: string;
  comment: (resolution: Resolution) => string;
  reminder: { subject: string; body: (resolution: Resolution) => string };
}

const REPLY: Deadline = {
  action: ActAction.ExpireReply,
  column: 'reply_deadline',
  reason: 'Нет ответа на запрос информации в срок',
  comment: (resolution) =>
    `Сервисный центр не ответил на запрос информации в срок. Акт закрыт: «${resolutionLabel(resolution)}». ` +
    'Открыть его снова может менеджер.',
  reminder: {
    subject: `Акт ${NUMBER}: ответьте до ${DEADLINE} (МСК)`,
    body: (resolution) =>
      `Напоминаем: по акту ${NUMBER} менеджер ждёт ответа на свой запрос.\n` +
      `Ответьте, пожалуйста, до ${DEADLINE} (МСК) комментарием или фото. ` +
      `Без ответа акт будет закрыт с решением «${resolutionLabel(resolution)}».`,
  },
};

const MISMATCH: Deadline = {
  action: ActAction.ExpireMismatch,
  column: 'mismatch_deadline',
  reason: 'Нет сообщения о несоответствии запчасти в срок',
  comment: (resolution) =>
    `Сервисный центр не сообщил о несоответствии запчасти в срок после доставки. Акт закрыт: «${resolutionLabel(resolution)}».`,
  reminder: {
    subject: `Акт ${NUMBER}: проверьте запчасти до ${DEADLINE} (МСК)`,
    body: (resolution) =>
      `Напоминаем: сообщить о неверной или неполной запчасти по акту ${NUMBER} можно до ${DEADLINE} (МСК).\n` +
      `Если замечаний нет, акт будет закрыт как «${resolutionLabel(resolution)}».`,
  },
};

/** What the status machine says the system does when a deadline passes: from, to, resolution. */
function expiry(deadline: Deadline): { from: ActStatus; to: ActStatus; resolution: Resolution } {
  const [from] = allowedFrom(deadline.action, ActorRole.System);
  const transition = from && findTransition(from, deadline.action, ActorRole.System);
  if (!transition?.resolution) throw new Error(`${deadline.action} is not a closing action of the system`);
  // Spliced into SQL as literals (so the partial deadline indexes apply): enum values only.
  for (const value of [transition.from, transition.to, transition.resolution]) {
    if (!/^[a-z_]+$/.test(value)) throw new Error(`Unexpected status value ${value}`);
  }
  return { from: transition.from, to: transition.to, resolution: transition.resolution };
}

/**
 * The worker's sweeps over act deadlines, set-based: each batch is one statement (one
 * transaction) that picks due acts with FOR UPDATE SKIP LOCKED, re-checks the status and the
 * deadline in its UPDATE, and writes everything ActLifecycle.apply would write for each act.
 * Safe with several workers and when a job runs twice: a row is taken by one statement only,
 * and a handled act no longer matches. An act whose row another transaction holds (the SC
 * answering right now) is skipped and looked at again by the next run, when it matches no more
 * if the answer was committed.
 */
@Injectable()
export class ActSweeps {
  private readonly logger = new Logger(ActSweeps.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'reminderBeforeMs'>,
  ) {}

  /** info_requested past its reply deadline → closed: warranty_refused. Returns the acts closed. */
  closeSilentActs(batchSize = SWEEP_BATCH): Promise<number> {
    return this.closeExpired(REPLY, batchSize);
  }

  /** parts_delivered past its mismatch deadline → closed: repaired. Returns the acts closed. */
  closeDeliveredActs(batchSize = SWEEP_BATCH): Promise<number> {
    return this.closeExpired(MISMATCH, batchSize);
  }

  /** One reminder per deadline, REMINDER_BEFORE ahead of it. Returns the reminders written. */
  async sendReminders(batchSize = SWEEP_BATCH): Promise<number> {
    const sent = (await this.remind(REPLY, batchSize)) + (await this.remind(MISMATCH, batchSize));
    if (sent) this.logger.log(`Reminded service centers of ${sent} deadlines`);
    return sent;
  }

  private async closeExpired(deadline: Deadline, batchSize: number): Promise<number> {
    const { from, to, resolution } = expiry(deadline);
    const now = this.clock.now();
    const message = statusMessage(
      { number: NUMBER, status: to, resolution, replyDeadline: null, mismatchDeadline: null },
      deadline.reason,
    );
    const column = deadline.column;
    // Mirrors ActLifecycle.apply for each act: the act row, a history row, a system comment and
    // the status e-mail (to the SC's current address, as NotificationsService.enqueue does).
    const sql = `
      WITH due AS (
        SELECT id FROM acts
         WHERE status = '${from}' AND ${column} < $1
         ORDER BY ${column}
         LIMIT $2
         FOR UPDATE SKIP LOCKED
      ), closed AS (
        UPDATE acts a
           SET status = '${to}', resolution = '${resolution}', closed_at = $1,
               reply_deadline = NULL, mismatch_deadline = NULL,
               version = a.version + 1, updated_at = $1
          FROM due
         WHERE a.id = due.id AND a.status = '${from}' AND a.${column} < $1
        RETURNING a.id, a.number, a.service_center_id
      ), history AS (
        INSERT INTO act_history (act_id, from_status, to_status, resolution, actor_role, actor_id, actor_name, reason, at)
        SELECT id, '${from}', '${to}', '${resolution}', '${ActorRole.System}', NULL, $3, $4, $1 FROM closed
      ), comments AS (
        INSERT INTO act_comments (act_id, author_role, author_id, author_name, text, created_at)
        SELECT id, '${ActorRole.System}', NULL, $3, $5, $1 FROM closed
      ), mail AS (
        INSERT INTO notifications (service_center_id, act_id, kind, recipient, subject, body)
        SELECT c.service_center_id, c.id, '${NotificationKind.StatusChanged}', sc.email,
               replace($6, '${NUMBER}', c.number), replace($7, '${NUMBER}', c.number)
          FROM closed c JOIN service_centers sc ON sc.id = c.service_center_id
      )
      SELECT count(*)::int AS n FROM closed`;
    const params = [now, batchSize, SYSTEM_ACTOR.name, deadline.reason, deadline.comment(resolution), message.subject, message.body];

    let total = 0;
    for (;;) {
      const [{ n }]: { n: number }[] = await this.db.query(sql, params);
      total += n;
      if (n < batchSize) break;
    }
    if (total) this.logger.log(`Closed ${total} acts ${from} past their ${column} as ${to}/${resolution}`);
    return total;
  }

  private async remind(deadline: Deadline, batchSize: number): Promise<number> {
    const { from, resolution } = expiry(deadline);
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + this.config.reminderBeforeMs);
    const column = deadline.column;
    const due = `a.status = '${from}' AND a.${column} > $1 AND a.${column} <= $2
                 AND a.reminded_deadline IS DISTINCT FROM a.${column}`;
    // reminded_deadline marks the deadline reminded of, in the same statement; the dedupe key
    // (unique) holds even if that column were ever reset. A new deadline gets its own reminder.
    const sql = `
      WITH due AS (
        SELECT a.id FROM acts a
         WHERE ${due}
         ORDER BY a.${column}
         LIMIT $3
         FOR UPDATE SKIP LOCKED
      ), reminded AS (
        UPDATE acts a SET reminded_deadline = a.${column}
          FROM due
         WHERE a.id = due.id AND ${due}
        RETURNING a.id, a.number, a.service_center_id, a.${column} AS deadline
      ), mail AS (
        INSERT INTO notifications (service_center_id, act_id, kind, recipient, subject, body, dedupe_key)
        SELECT r.service_center_id, r.id, '${NotificationKind.Reminder}', sc.email,
               replace(replace($4, '${NUMBER}', r.number), '${DEADLINE}', ${MOSCOW_TIME_SQL('r.deadline')}),
               replace(replace($5, '${NUMBER}', r.number), '${DEADLINE}', ${MOSCOW_TIME_SQL('r.deadline')}),
               'reminder:' || r.id || ':' || ${ISO_SQL('r.deadline')}
          FROM reminded r JOIN service_centers sc ON sc.id = r.service_center_id
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM reminded)::int AS picked, (SELECT count(*) FROM mail)::int AS sent`;
    const params = [now, horizon, batchSize, deadline.reminder.subject, deadline.reminder.body(resolution)];

    let total = 0;
    for (;;) {
      const [{ picked, sent }]: { picked: number; sent: number }[] = await this.db.query(sql, params);
      total += sent;
      if (picked < batchSize) break;
    }
    return total;
  }
}
