import { Inject, Injectable } from '@nestjs/common';
import { ActStatus } from '../acts/act-status';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { detailMessage, fieldMessage, Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { CompensationQueryDto } from './dto/compensation-query.dto';
import { SummaryQueryDto } from './dto/summary-query.dto';
import { CompensationRow, REPORT_TIME_ZONE, ReportsRepository, SettledFilter, SUMMARY_WINDOW_DAYS } from './reports.repository';
import { CompensationActView, CompensationReportView, CompensationServiceCenterView, StatusCountsView, SummaryReportView } from './reports.view';

export { REPORT_TIME_ZONE, SUMMARY_WINDOW_DAYS } from './reports.repository';
// The compensation CSV, for other features that serve own-part lines in the same columns.
export { COMPENSATION_CSV_HEADER, compensationCsv } from './reports.csv';
export { CSV_CONTENT_TYPE, toCsv } from './csv';
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Own parts of warranty acts closed as repaired in [from, to] (Moscow days), with exact totals. */
  async compensation(query: CompensationQueryDto): Promise<CompensationReportView> {
    assertPeriod(query.from, query.to);
    const settled: SettledFilter = query.settled === undefined ? 'all' : query.settled === 'true' ? 'settled' : 'unsettled';
    const rows = await this.reports.compensationRows(query.from, query.to, query.serviceCenterId, settled);
    return {
      from: query.from,
      to: query.to,
      timeZone: REPORT_TIME_ZONE,
      serviceCenterId: query.serviceCenterId ?? null,
      settled: query.settled === undefined ? null : query.settled === 'true',
      ...nestCompensationRows(rows),
    };
  }

  /** The managers' dashboard, as of the clock's now. */
  async summary(query: SummaryQueryDto): Promise<SummaryReportView> {
    const now = this.clock.now();
    const sc = query.serviceCenterId ?? null;
    const overdueBefore = await this.calendar.overdueBefore(now, this.config.reviewSla);
    const [statusRows, overdueCount, oldest, decision, refused] = await Promise.all([
      this.reports.statusCounts(sc),
      this.reports.overdueCount(sc, overdueBefore),
      this.reports.oldestOverdue(now, sc, overdueBefore),
      this.reports.decisionTime(now, sc),
      this.reports.autoRefused(now, sc),
    ]);

    const byStatus = Object.fromEntries(Object.values(ActStatus).map((s) => [s, 0])) as unknown as StatusCountsView;
    for (const row of statusRows) byStatus[row.status] = row.count;
    const byServiceCenter = refused.map((r) => ({
      serviceCenterId: r.service_center_id,
      serviceCenterName: r.service_center_name,
      count: r.count,
    }));
    return {
      generatedAt: now,
      serviceCenterId: sc,
      byStatus,
      overdueReview: {
        slaHours: Math.round((this.config.reviewSlaMs / 3_600_000) * 100) / 100,
        count: overdueCount,
        oldest: oldest.map((r) => ({
          actId: r.id,
          number: r.number,
          serviceCenterId: r.service_center_id,
          serviceCenterName: r.service_center_name,
          submittedAt: r.submitted_at,
          ageHours: r.age_hours,
        })),
      },
      decisionTime: {
        windowDays: SUMMARY_WINDOW_DAYS,
        decidedCount: decision.count,
        medianHours: decision.median,
        p90Hours: decision.p90,
      },
      autoRefused: {
        windowDays: SUMMARY_WINDOW_DAYS,
        count: byServiceCenter.reduce((n, r) => n + r.count, 0),
        byServiceCenter,
      },
    };
  }
}

/** The compensation rows nested by service center (ordered by name) and act, with the totals summed by the database. */
export function nestCompensationRows(rows: CompensationRow[]): Pick<CompensationReportView, 'serviceCenters' | 'actCount' | 'lineCount' | 'total'> {
  // JavaScript only nests the rows; the totals come summed from the database.
  const serviceCenters: CompensationServiceCenterView[] = [];
  let sc: CompensationServiceCenterView | undefined;
  let act: CompensationActView | undefined;
  let lineCount = 0;
  let total = '0.00';
  for (const row of rows) {
    if (row.level === 'total') {
      total = row.amount ?? total;
      continue;
    }
    if (sc?.serviceCenterId !== row.service_center_id) {
      sc = { serviceCenterId: row.service_center_id, serviceCenterName: row.service_center_name, actCount: 0, acts: [], total: '0.00' };
      serviceCenters.push(sc);
    }
    if (row.level === 'service_center') {
      sc.total = row.amount as string;
      continue;
    }
    if (act?.actId !== row.act_id) {
      act = { actId: row.act_id, number: row.number, closedAt: row.closed_at, closedOn: row.closed_on, lines: [], total: '0.00' };
      sc.acts.push(act);
      sc.actCount += 1;
    }
    if (row.level === 'act') {
      act.total = row.amount as string;
      continue;
    }
    lineCount += 1;
    act.lines.push({
      partId: row.part_id,
      partName: row.part_name,
      diagramNumber: row.diagram_number,
      quantity: Number(row.quantity),
      unitPrice: row.unit_price,
      lineTotal: row.amount,
    });
  }
  serviceCenters.sort((x, y) => x.serviceCenterName.localeCompare(y.serviceCenterName, 'ru') || (x.serviceCenterId < y.serviceCenterId ? -1 : 1));
  return { serviceCenters, actCount: serviceCenters.reduce((n, s) => n + s.actCount, 0), lineCount, total };
}

/** from ≤ to, and at most MAX_PERIOD_DAYS days counting both ends; else 400 naming `to`. */
export function assertPeriod(from: string, to: string): void {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days < 1) {
    throw Problems.badRequest(detailMessage('periodReversed'), [{ field: 'to', message: fieldMessage('notBeforeFrom') }]);
  }
  if (days > MAX_PERIOD_DAYS) {
    throw Problems.badRequest(detailMessage('periodTooLong', { maxDays: MAX_PERIOD_DAYS }), [
      { field: 'to', message: fieldMessage('periodTooLong', { maxDays: MAX_PERIOD_DAYS }) },
    ]);
  }
}
