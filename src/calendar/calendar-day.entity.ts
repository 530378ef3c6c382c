import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A manager's decision that a day is working or not (`calendar_days`); wins over the built-in calendar. */
@Entity('calendar_days')
export class CalendarDayOverride {
  /** YYYY-MM-DD (Postgres `date`, read back as that string). */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ type: 'boolean' })
  working: boolean;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
