import { Inject, Injectable } from '@nestjs/common';
import { ActStatus } from '../acts/act-status';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { detailMessage, fieldMessage, Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { collect, StreamedReport } from '../common/row-stream';
import { compensationCsvRows, compensationJson } from './compensation.stream';
import { CompensationQueryDto } from './dto/compensation-query.dto';
import { QualityQueryDto } from './dto/quality-query.dto';
import { qualityCsv, qualityJson } from './quality.stream';
import type { ReasonCode } from '../acts/act-vocabulary';
import type { Language } from '../messages/language';
import { notGivenLabel, reasonCodeLabel } from '../messages/messages';
import { SummaryQueryDto } from './dto/summary-query.dto';
import { NOT_GIVEN_KEY, QualityRow, REPORT_TIME_ZONE, ReportsRepository, SettledFilter, SUMMARY_WINDOW_DAYS } from './reports.repository';
import { CompensationReportView, StatusCountsView, SummaryReportView } from './reports.view';

export { REPORT_TIME_ZONE, SUMMARY_WINDOW_DAYS } from './reports.repository';
// The compensation JSON and CSV writers, for other features that serve own-part lines the same way.
export { COMPENSATION_CSV_HEADER } from './reports.csv';
export { compensationCsvRows, serviceCentersJson, type ServiceCenterJson } from './compensation.stream';
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

  /**
   * Own parts of warranty acts closed as repaired in [from, to] (Moscow days), with exact totals,
   * as JSON (CompensationReportView) or CSV, streamed: written while it is read.
   */
  async compensationStream(query: CompensationQueryDto, format: 'json' | 'csv'): Promise<StreamedReport> {
    assertPeriod(query.from, query.to);
    const settled: SettledFilter = query.settled === undefined ? 'all' : query.settled === 'true' ? 'settled' : 'unsettled';
    const rows = await this.reports.compensationLines(query.from, query.to, query.serviceCenterId, settled);
    const head: Pick<CompensationReportView, 'from' | 'to' | 'timeZone' | 'serviceCenterId' | 'settled'> = {
      from: query.from,
      to: query.to,
      timeZone: REPORT_TIME_ZONE,
      serviceCenterId: query.serviceCenterId ?? null,
      settled: query.settled === undefined ? null : query.settled === 'true',
    };
    return format === 'csv'
      ? { format, rows, body: compensationCsvRows(rows), fileName: `compensation-${query.from}-${query.to}.csv` }
      : { format, rows, body: compensationJson(head, rows) };
  }

  /** The compensation report as one object (the streamed JSON, read whole): for callers inside the service. */
  async compensation(query: CompensationQueryDto): Promise<CompensationReportView> {
    return JSON.parse(await collect((await this.compensationStream(query, 'json')).body)) as CompensationReportView;
  }

  /**
   * Closed acts of the period grouped by category, model, part, not-warranty reason or service
   * center (QualityItemView says what each column counts), as JSON or CSV, streamed.
   */
  async qualityStream(query: QualityQueryDto, format: 'json' | 'csv', language: Language): Promise<StreamedReport> {
    assertPeriod(query.from, query.to);
    const groupBy = query.groupBy ?? 'category';
    const rows = await this.reports.qualityRows(groupBy, query.from, query.to);
    const labelOf = (row: QualityRow) =>
      row.key === NOT_GIVEN_KEY
        ? notGivenLabel(language)
        : groupBy === 'reason'
          ? reasonCodeLabel(row.key as ReasonCode, language)
          : (row.label ?? row.key);
    if (format === 'csv') return { format, rows, body: qualityCsv(rows, labelOf), fileName: `quality-${groupBy}-${query.from}-${query.to}.csv` };
    return { format, rows, body: qualityJson({ from: query.from, to: query.to, timeZone: REPORT_TIME_ZONE, groupBy }, rows, labelOf) };
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
