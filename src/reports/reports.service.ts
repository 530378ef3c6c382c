import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActorRole, ActStatus, Resolution } from '../acts/act-status';
import { Clock } from '../common/clock';
import { Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { CompensationQueryDto } from './dto/compensation-query.dto';
import { SummaryQueryDto } from './dto/summary-query.dto';
import {
  CompensationActView,
  CompensationReportView,
  CompensationServiceCenterView,
  StatusCountsView,
  SummaryReportView,
} from './reports.view';

/** Report periods are calendar days in the distributor's head office time. */
export const REPORT_TIME_ZONE = 'Europe/Moscow';
export const MAX_PERIOD_DAYS = 366;
/** The summary's look-back for decision times and automatic refusals. */
export const SUMMARY_WINDOW_DAYS = 30;
const OLDEST_OVERDUE = 10;
const DAY_MS = 86_400_000;

// Enum values written into the SQL as literals (never user input), so that the planner can
// match the partial indexes of migration ReportIndexes.
const CLOSED = `'${ActStatus.Closed}'`;
const SUBMITTED = `'${ActStatus.Submitted}'`;
const REPAIRED = `'${Resolution.Repaired}'`;
const REFUSED = `'${Resolution.WarrantyRefused}'`;
const SYSTEM = `'${ActorRole.System}'`;
const TZ = `'${REPORT_TIME_ZONE}'`;

/** One row of the compensation query: a line, or an act's, a service center's or the grand total. */
interface CompensationRow {
  level: 'line' | 'act' | 'service_center' | 'total';
  service_center_id: string;
  service_center_name: string;
  act_id: string;
  number: string;
  closed_at: Date;
  closed_on: string;
  part_id: string;
  part_name: string;
  diagram_number: string | null;
  quantity: number;
  unit_price: string | null;
  amount: string | null;
}

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Own parts of warranty acts closed as repaired in [from, to] (Moscow days), with exact totals. */
  async compensation(query: CompensationQueryDto): Promise<CompensationReportView> {
    assertPeriod(query.from, query.to);
    const params: unknown[] = [query.from, query.to];
    let scFilter = '';
    if (query.serviceCenterId) {
      params.push(query.serviceCenterId);
      scFilter = `AND a.service_center_id = $${params.length}`;
    }
    // One sort and one pass: ROLLUP adds each act's, each service center's and the grand total
    // after the rows they sum (NULLs sort last), all in numeric. JavaScript only nests the rows.
    const rows: CompensationRow[] = await this.db.query(
      `SELECT CASE GROUPING(a.service_center_id, a.id, p.id)
                WHEN 0 THEN 'line' WHEN 1 THEN 'act' WHEN 3 THEN 'service_center' ELSE 'total' END AS level,
              a.service_center_id, sc.name AS service_center_name, a.id AS act_id, a.number, a.closed_at,
              to_char(a.closed_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') AS closed_on,
              p.id AS part_id, p.name AS part_name, p.diagram_number, p.quantity, p.unit_price::text AS unit_price,
              CASE WHEN GROUPING(p.id) = 0 THEN round(sum(p.quantity * p.unit_price), 2)
                   ELSE round(coalesce(sum(p.quantity * p.unit_price), 0), 2) END::text AS amount
         FROM acts a
         JOIN act_parts p ON p.act_id = a.id AND p.own_part
         JOIN service_centers sc ON sc.id = a.service_center_id
        WHERE a.status = ${CLOSED} AND a.resolution = ${REPAIRED} AND a.kind = 'warranty'
          AND a.closed_at >= ($1::date)::timestamp AT TIME ZONE ${TZ}
          AND a.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}
          ${scFilter}
        GROUP BY ROLLUP ((a.service_center_id, sc.name), (a.closed_at, a.id, a.number),
                         (p.position, p.id, p.name, p.diagram_number, p.quantity, p.unit_price))
        ORDER BY a.service_center_id, a.closed_at, a.id, p.position`,
      params,
    );

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
        quantity: row.quantity,
        unitPrice: row.unit_price,
        lineTotal: row.amount,
      });
    }
    serviceCenters.sort((x, y) => x.serviceCenterName.localeCompare(y.serviceCenterName, 'ru') || (x.serviceCenterId < y.serviceCenterId ? -1 : 1));
    return {
      from: query.from,
      to: query.to,
      timeZone: REPORT_TIME_ZONE,
      serviceCenterId: query.serviceCenterId ?? null,
      serviceCenters,
      actCount: serviceCenters.reduce((n, s) => n + s.actCount, 0),
      lineCount,
      total,
    };
  }

  /** The managers' dashboard, as of the clock's now. */
  async summary(query: SummaryQueryDto): Promise<SummaryReportView> {
    const now = this.clock.now();
    const sc = query.serviceCenterId;
    // $1 is now, $2 the service center or NULL for all (pg plans each call with its values,
    // so the NULL test folds away), $3 the SLA in ms.
    const scIs = (column: string, param = '$2') => `(${param}::uuid IS NULL OR ${column} = ${param}::uuid)`;
    const params = [now, sc ?? null];
    const slaParams = [...params, this.config.reviewSlaMs];
    const overdue = `a.status = ${SUBMITTED} AND a.submitted_at < $1::timestamptz - $3::float8 * interval '1 millisecond' AND ${scIs('a.service_center_id')}`;
    const window = `interval '${SUMMARY_WINDOW_DAYS} days'`;

    const [statusRows, overdueCount, oldest, decision, refused] = await Promise.all([
      this.db.query(`SELECT status, count(*)::int AS count FROM acts a WHERE ${scIs('a.service_center_id', '$1')} GROUP BY status`, [sc ?? null]),
      this.db.query(`SELECT count(*)::int AS count FROM acts a WHERE ${overdue}`, slaParams),
      this.db.query(
        `SELECT a.id, a.number, a.service_center_id, sc.name AS service_center_name, a.submitted_at,
                round((extract(epoch FROM $1::timestamptz - a.submitted_at) / 3600)::numeric, 1)::float8 AS age_hours
           FROM acts a JOIN service_centers sc ON sc.id = a.service_center_id
          WHERE ${overdue}
          ORDER BY a.submitted_at, a.id
          LIMIT ${OLDEST_OVERDUE}`,
        slaParams,
      ),
      this.db.query(
        `SELECT count(*)::int AS count,
                round((percentile_cont(0.5) WITHIN GROUP (ORDER BY d.hours))::numeric, 2)::float8 AS median,
                round((percentile_cont(0.9) WITHIN GROUP (ORDER BY d.hours))::numeric, 2)::float8 AS p90
           FROM (SELECT extract(epoch FROM a.decided_at - a.submitted_at)::float8 / 3600 AS hours
                   FROM acts a
                  WHERE a.decided_at > $1::timestamptz - ${window} AND a.decided_at <= $1::timestamptz
                    AND a.submitted_at IS NOT NULL AND ${scIs('a.service_center_id')}) d`,
        params,
      ),
      this.db.query(
        `SELECT a.service_center_id, sc.name AS service_center_name, count(DISTINCT h.act_id)::int AS count
           FROM act_history h
           JOIN acts a ON a.id = h.act_id
           JOIN service_centers sc ON sc.id = a.service_center_id
          WHERE h.to_status = ${CLOSED} AND h.resolution = ${REFUSED} AND h.actor_role = ${SYSTEM}
            AND h.at > $1::timestamptz - ${window} AND h.at <= $1::timestamptz
            AND ${scIs('a.service_center_id')}
          GROUP BY a.service_center_id, sc.name
          ORDER BY count DESC, sc.name, a.service_center_id`,
        params,
      ),
    ]);

    const byStatus = Object.fromEntries(Object.values(ActStatus).map((s) => [s, 0])) as unknown as StatusCountsView;
    for (const row of statusRows as { status: ActStatus; count: number }[]) byStatus[row.status] = row.count;
    const byServiceCenter = (refused as { service_center_id: string; service_center_name: string; count: number }[]).map((r) => ({
      serviceCenterId: r.service_center_id,
      serviceCenterName: r.service_center_name,
      count: r.count,
    }));
    return {
      generatedAt: now,
      serviceCenterId: sc ?? null,
      byStatus,
      overdueReview: {
        slaHours: Math.round((this.config.reviewSlaMs / 3_600_000) * 100) / 100,
        count: overdueCount[0].count,
        oldest: oldest.map((r: Record<string, unknown>) => ({
          actId: r.id as string,
          number: r.number as string,
          serviceCenterId: r.service_center_id as string,
          serviceCenterName: r.service_center_name as string,
          submittedAt: r.submitted_at as Date,
          ageHours: r.age_hours as number,
        })),
      },
      decisionTime: {
        windowDays: SUMMARY_WINDOW_DAYS,
        decidedCount: decision[0].count,
        medianHours: decision[0].median,
        p90Hours: decision[0].p90,
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
    throw Problems.badRequest('The period ends before it starts.', [{ field: 'to', message: 'must not be before from' }]);
  }
  if (days > MAX_PERIOD_DAYS) {
    throw Problems.badRequest(`The period is longer than ${MAX_PERIOD_DAYS} days.`, [
      { field: 'to', message: `must be at most ${MAX_PERIOD_DAYS - 1} days after from (${MAX_PERIOD_DAYS} days counting both ends)` },
    ]);
  }
}
