import { Module } from '@nestjs/common';
import { CalendarModule } from '../calendar/calendar.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Managers' reports: own-part compensation and the summary dashboard, as JSON or CSV. */
@Module({
  imports: [CalendarModule],
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService],
})
export class ReportsModule {}
