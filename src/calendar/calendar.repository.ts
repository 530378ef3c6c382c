import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DayOverride } from './business-calendar';
import { IsoDate } from './calendar-dates';

/** Managers' overrides of the business calendar (`calendar_days`). */
@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Every override. A handful per year: managers mark single days. */
  all(): Promise<DayOverride[]> {
    return this.db.query(`SELECT to_char(date, 'YYYY-MM-DD') AS date, working, note FROM calendar_days ORDER BY date`);
  }

  /** Marks a day working or not, replacing an earlier override of it. */
  async upsert(day: DayOverride, managerId: string | null, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO calendar_days (date, working, note, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (date) DO UPDATE SET working = EXCLUDED.working, note = EXCLUDED.note,
         updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
      [day.date, day.working, day.note, managerId, at],
    );
  }

  /** Drops a day's override; false when it had none. */
  async remove(date: IsoDate): Promise<boolean> {
    const [, count]: [unknown, number] = await this.db.query(`DELETE FROM calendar_days WHERE date = $1`, [date]);
    return count > 0;
  }
}
