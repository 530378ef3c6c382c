import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActorRole, ActStatus, Resolution } from '../acts/act-status';
import { RowStream, streamRows } from '../common/row-stream';

/** Report periods are calendar days in the distributor's head office time. */
export const REPORT_TIME_ZONE = 'Europe/Moscow';
/** The summary's look-back for decision times and automatic refusals. */
export const SUMMARY_WINDOW_DAYS = 30;
/** Longest overdue acts listed by the summary. */
const OLDEST_OVERDUE = 10;

// Enum values written into the SQL as literals (never user input), so that the planner can
// match the partial indexes of migration ReportIndexes.
const CLOSED = `'${ActStatus.Closed}'`;
const SUBMITTED = `'${ActStatus.Submitted}'`;
const REPAIRED = `'${Resolution.Repaired}'`;
const REFUSED = `'${Resolution.WarrantyRefused}'`;
const SYSTEM = `'${ActorRole.System}'`;
const TZ = `'${REPORT_TIME_ZONE}'`;

/**
 * A line's amount, rounded to kopecks; every total is the sum of its lines' amounts, so that
 * totals add up exactly however they are grouped (a line, an act, a service center, a settlement).
 */
export const LINE_AMOUNT = 'round(p.quantity * p.unit_price, 2)';

/**
 * Service centers in the order people read names (Russian collation, as localeCompare(…, 'ru')),
 * then by id: ranked once over the small service_centers table, so that the big sort of the lines
 * compares integers, not names.
 */
const RANKED_SERVICE_CENTERS = `(SELECT s.id, s.name, row_number() OVER (ORDER BY s.name COLLATE "ru-RU-x-icu", s.id) AS rank FROM service_centers s)`;

/**
 * Own-part lines of acts in the order the reports write them: service centers by name, their acts
 * by closing time, each act's lines by position. A line also carries what is written before or
 * after the lists it belongs to, on the line that opens them and NULL on the others (each read
 * once): the first line of an act its act's fields and total; the first line of a service center
 * the service center and its totals (acts, lines, amount). With `grandTotals`, every line also
 * carries the totals of all the lines (for a writer that names them before the lists).
 * Totals are sums of the lines' amounts in numeric: exact however they are grouped.
 * No GROUP BY: the windows share the one sort of the lines, and the join can run in parallel.
 * `where` picks the acts (alias a); their own parts (p) and service center (sc) are joined.
 */
export const compensationLinesSql = (where: string, grandTotals = false) => `
  SELECT CASE WHEN l.sc_nth = 1 THEN l.service_center_id END AS service_center_id,
         CASE WHEN l.sc_nth = 1 THEN l.service_center_name END AS service_center_name,
         CASE WHEN l.sc_nth = 1 THEN (count(*) FILTER (WHERE l.nth = 1) OVER sc)::int END AS sc_act_count,
         CASE WHEN l.sc_nth = 1 THEN (count(*) OVER sc)::int END AS sc_line_count,
         CASE WHEN l.sc_nth = 1 THEN round(coalesce(sum(l.amount) OVER sc, 0), 2)::text END AS sc_amount,
         CASE WHEN l.nth = 1 THEN l.act_id END AS act_id,
         CASE WHEN l.nth = 1 THEN l.number END AS number,
         CASE WHEN l.nth = 1 THEN l.closed_at END AS closed_at,
         CASE WHEN l.nth = 1 THEN l.closed_on END AS closed_on,
         CASE WHEN l.nth = 1 THEN l.act_amount END AS act_amount,
         l.part_id, l.part_name, l.diagram_number, l.quantity, l.unit_price, l.amount::text AS amount${
           grandTotals
             ? `,
         (count(*) FILTER (WHERE l.nth = 1) OVER ())::int AS act_count, (count(*) OVER ())::int AS line_count,
         round(coalesce(sum(l.amount) OVER (), 0), 2)::text AS total_amount`
             : ''
         }
    FROM (SELECT sc.rank, a.service_center_id, sc.name AS service_center_name, a.id AS act_id, a.number, a.closed_at,
                 to_char(a.closed_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') AS closed_on,
                 p.id AS part_id, p.name AS part_name, p.diagram_number, p.quantity, p.unit_price::text AS unit_price,
                 ${LINE_AMOUNT} AS amount,
                 row_number() OVER (PARTITION BY sc.rank, a.closed_at, a.id ORDER BY p.position, p.id) AS nth,
                 row_number() OVER (PARTITION BY sc.rank ORDER BY a.closed_at, a.id, p.position, p.id) AS sc_nth,
                 round(coalesce(sum(${LINE_AMOUNT}) OVER (PARTITION BY sc.rank, a.closed_at, a.id), 0), 2)::text AS act_amount
            FROM acts a
            JOIN act_parts p ON p.act_id = a.id AND p.own_part
            JOIN ${RANKED_SERVICE_CENTERS} sc ON sc.id = a.service_center_id
           WHERE ${where}) l
  WINDOW sc AS (PARTITION BY l.rank)
   ORDER BY l.rank, l.closed_at, l.act_id, l.nth`;

/** Which acts of the period a compensation report lists, by whether a settlement took them. */
export type SettledFilter = 'all' | 'settled' | 'unsettled';
const SETTLED_PREDICATE: Record<SettledFilter, string> = {
  all: '',
  settled: 'AND a.settlement_id IS NOT NULL',
  unsettled: 'AND a.settlement_id IS NULL',
};

/**
 * Own parts of warranty acts closed as repaired from $1 to $2 (days in TZ), optionally of one
 * service center ($3), optionally only the settled or the unsettled ones.
 */
const compensationSql = (serviceCenterFilter: string, settled: SettledFilter) =>
  compensationLinesSql(
    `a.status = ${CLOSED} AND a.resolution = ${REPAIRED} AND a.kind = 'warranty'
     AND a.closed_at >= ($1::date)::timestamp AT TIME ZONE ${TZ}
     AND a.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}
     ${serviceCenterFilter} ${SETTLED_PREDICATE[settled]}`,
  );
const SETTLED_FILTERS = Object.keys(SETTLED_PREDICATE) as SettledFilter[];
const compensationTexts = (serviceCenterFilter: string) =>
  Object.fromEntries(SETTLED_FILTERS.map((f) => [f, compensationSql(serviceCenterFilter, f)])) as Record<SettledFilter, string>;
const COMPENSATION_ALL = compensationTexts('');
const COMPENSATION_OF_SERVICE_CENTER = compensationTexts('AND a.service_center_id = $3');

// The summary's texts: $1 is now, $2 the service center or NULL for all (pg plans each call with
// its values, so the NULL test folds away), $3 the submission time before which the review is
// overdue (CalendarService.overdueBefore: the same due time each act shows).
const serviceCenterIs = (column: string, param = '$2') => `(${param}::uuid IS NULL OR ${column} = ${param}::uuid)`;
/** Submitted acts whose review is overdue: submitted before the cut-off, of the service center or all. */
const overdue = (serviceCenter: string, cutoff: string) =>
  `a.status = ${SUBMITTED} AND a.submitted_at < ${cutoff}::timestamptz AND ${serviceCenterIs('a.service_center_id', serviceCenter)}`;
const WINDOW = `interval '${SUMMARY_WINDOW_DAYS} days'`;

/** Here $1 is the service center or NULL. */
const STATUS_COUNTS = `SELECT status, count(*)::int AS count FROM acts a WHERE ${serviceCenterIs('a.service_center_id', '$1')} GROUP BY status`;

/** Here $1 is the service center or NULL, $2 the cut-off. */
const OVERDUE_COUNT = `SELECT count(*)::int AS count FROM acts a WHERE ${overdue('$1', '$2')}`;

const OLDEST_OVERDUE_ACTS = `
  SELECT a.id, a.number, a.service_center_id, sc.name AS service_center_name, a.submitted_at,
         round((extract(epoch FROM $1::timestamptz - a.submitted_at) / 3600)::numeric, 1)::float8 AS age_hours
    FROM acts a JOIN service_centers sc ON sc.id = a.service_center_id
   WHERE ${overdue('$2', '$3')}
   ORDER BY a.submitted_at, a.id
   LIMIT ${OLDEST_OVERDUE}`;

const DECISION_TIME = `
  SELECT count(*)::int AS count,
         round((percentile_cont(0.5) WITHIN GROUP (ORDER BY d.hours))::numeric, 2)::float8 AS median,
         round((percentile_cont(0.9) WITHIN GROUP (ORDER BY d.hours))::numeric, 2)::float8 AS p90
    FROM (SELECT extract(epoch FROM a.decided_at - a.submitted_at)::float8 / 3600 AS hours
            FROM acts a
           WHERE a.decided_at > $1::timestamptz - ${WINDOW} AND a.decided_at <= $1::timestamptz
             AND a.submitted_at IS NOT NULL AND ${serviceCenterIs('a.service_center_id')}) d`;

const AUTO_REFUSED = `
  SELECT a.service_center_id, sc.name AS service_center_name, count(DISTINCT h.act_id)::int AS count
    FROM act_history h
    JOIN acts a ON a.id = h.act_id
    JOIN service_centers sc ON sc.id = a.service_center_id
   WHERE h.to_status = ${CLOSED} AND h.resolution = ${REFUSED} AND h.actor_role = ${SYSTEM}
     AND h.at > $1::timestamptz - ${WINDOW} AND h.at <= $1::timestamptz
     AND ${serviceCenterIs('a.service_center_id')}
   GROUP BY a.service_center_id, sc.name
   ORDER BY count DESC, sc.name, a.service_center_id`;

/** What the quality report groups closed acts by. */
export const QUALITY_GROUPS = ['category', 'model', 'part', 'reason', 'serviceCenter'] as const;
export type QualityGroup = (typeof QUALITY_GROUPS)[number];
/** The key of a group with no value (no category, model or not-warranty reason code). */
export const NOT_GIVEN_KEY = 'none';

/**
 * Claims closed from $1 to $2 (days in TZ), withdrawn drafts aside: read index-only from
 * ix_acts_closed. Repeated in each part of a query rather than shared as a CTE, so that each part
 * is planned on its own and can run in parallel.
 */
const CLOSED_IN_PERIOD = `a.status = ${CLOSED} AND a.resolution <> '${Resolution.Withdrawn}'
     AND a.closed_at >= ($1::date)::timestamp AT TIME ZONE ${TZ}
     AND a.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}`;
/** A manager approved it: decided, and not closed by a not-warranty or refund decision. */
const APPROVED = `a.decided_at IS NOT NULL AND a.resolution NOT IN ('${Resolution.NotWarranty}', '${Resolution.RefundOrExchange}')`;
/** Its own parts are compensated (closed repaired, kind warranty, as in the compensation report). */
const COMPENSATED = `a.resolution = ${REPAIRED} AND a.kind = 'warranty'`;

/** The acts' counts of one group; `n(cond)` counts its acts where cond holds. */
const actCounts = (n: (cond: string) => string) => `
         ${n('TRUE')} AS acts, ${n(APPROVED)} AS approved,
         ${n(`a.resolution = '${Resolution.NotWarranty}'`)} AS not_warranty,
         ${n(`a.resolution = '${Resolution.WarrantyRefused}'`)} AS warranty_refused,
         ${n(`a.resolution = '${Resolution.NotRepaired}'`)} AS not_repaired,
         ${n(`a.resolution = '${Resolution.RefundOrExchange}'`)} AS refund`;
/** The parts' figures of one group: lines to ship that a parcel carried, own lines' amounts of compensated acts. */
const PARTS_SHIPPED = `count(*) FILTER (WHERE NOT p.own_part AND p.shipment_id IS NOT NULL)`;
const OWN_PART_COMPENSATION = `sum(${LINE_AMOUNT}) FILTER (WHERE p.own_part AND ${COMPENSATED})`;

/**
 * Acts grouped by `key` (an expression over a): the acts' counts from the acts alone, the parts'
 * figures from the acts joined with their parts, each aggregated on its own (in parallel where
 * Postgres can) and matched by key.
 */
const qualityByAct = (key: string, label: string, joins = '') => `
  WITH by_act AS (
    SELECT coalesce(${key}, '${NOT_GIVEN_KEY}') AS key, ${actCounts((cond) => `count(*) FILTER (WHERE ${cond})::int`)}
      FROM acts a
     WHERE ${CLOSED_IN_PERIOD}
     GROUP BY 1
  ), by_part AS (
    SELECT coalesce(${key}, '${NOT_GIVEN_KEY}') AS key, ${PARTS_SHIPPED} AS parts_shipped, ${OWN_PART_COMPENSATION} AS own
      FROM acts a
      JOIN act_parts p ON p.act_id = a.id
     WHERE ${CLOSED_IN_PERIOD}
     GROUP BY 1
  )
  SELECT g.key, ${label} AS label, g.acts, g.approved, g.not_warranty, g.warranty_refused, g.not_repaired, g.refund,
         coalesce(bp.parts_shipped, 0)::int AS parts_shipped, round(coalesce(bp.own, 0), 2)::text AS own_part_compensation
    FROM by_act g LEFT JOIN by_part bp ON bp.key = g.key ${joins}
   ORDER BY g.acts DESC, g.key`;

/**
 * The quality report's query per grouping ($1, $2: the period's first and last day, Moscow).
 * Groups by the most acts first, then by key. Labels: the category's and the service center's
 * names, the model as written on one of its acts, a part's name as written on one of its lines;
 * reasons are labelled by the service (the catalogue), so their label here is NULL.
 */
const QUALITY_SQL: Record<QualityGroup, string> = {
  category: qualityByAct('a.category_key', 'pc.name', `LEFT JOIN product_categories pc ON pc.id::text = g.key`),
  serviceCenter: qualityByAct('a.service_center_id::text', 'sc.name', `LEFT JOIN service_centers sc ON sc.id::text = g.key`),
  reason: qualityByAct('a.reason_code', 'NULL::text'),
  // The model as written: from one act of the model (by the duplicate-serial index; a model only
  // ever claimed without a serial number shows its normalised key).
  model: qualityByAct(
    'a.model_key',
    `coalesce((SELECT m.product->>'model' FROM acts m
                WHERE m.model_key = g.key AND m.serial_key IS NOT NULL AND m.submitted_at IS NOT NULL LIMIT 1), g.key)`,
  ),
  // Per part name (trimmed, case ignored): the acts that have such a part (each once), the lines
  // of it shipped and its own lines' amounts.
  part: `
  SELECT lower(btrim(p.name)) AS key, min(p.name) AS label, ${actCounts((cond) => `count(DISTINCT a.id) FILTER (WHERE ${cond})::int`)},
         coalesce(${PARTS_SHIPPED}, 0)::int AS parts_shipped, round(coalesce(${OWN_PART_COMPENSATION}, 0), 2)::text AS own_part_compensation
    FROM acts a
    JOIN act_parts p ON p.act_id = a.id
   WHERE ${CLOSED_IN_PERIOD}
   GROUP BY 1
   ORDER BY acts DESC, key`,
};

/** One group of the quality report. */
export interface QualityRow {
  key: string;
  label: string | null;
  acts: number;
  approved: number;
  not_warranty: number;
  warranty_refused: number;
  not_repaired: number;
  refund: number;
  parts_shipped: number;
  own_part_compensation: string;
}

/**
 * One own-part line of the compensation query (compensationLinesSql), with the fields of the act
 * and of the service center it opens (NULL on the lines that open neither).
 */
export interface CompensationLine {
  /** The first line of a service center: the service center, its acts, lines and amount. */
  service_center_id: string | null;
  service_center_name: string | null;
  sc_act_count: number | null;
  sc_line_count: number | null;
  sc_amount: string | null;
  /** The first line of an act: the act and its total. */
  act_id: string | null;
  number: string | null;
  closed_at: Date | null;
  closed_on: string | null;
  act_amount: string | null;
  part_id: string;
  part_name: string;
  diagram_number: string | null;
  /** numeric(12,3): pg gives it as text. */
  quantity: string;
  unit_price: string | null;
  /** quantity × unit_price rounded to kopecks; NULL without a price. */
  amount: string | null;
  /** With grand totals (every line): the acts, lines and amount of them all. */
  act_count?: number;
  line_count?: number;
  total_amount?: string;
}

export interface OverdueActRow {
  id: string;
  number: string;
  service_center_id: string;
  service_center_name: string;
  submitted_at: Date;
  age_hours: number;
}

export interface DecisionTimeRow {
  count: number;
  median: number | null;
  p90: number | null;
}

export interface AutoRefusedRow {
  service_center_id: string;
  service_center_name: string;
  count: number;
}

/** The managers' reports: read-only queries over acts, their parts and history. */
@Injectable()
export class ReportsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The compensation lines, streamed in the order the reports write them.
   * `from` and `to` are YYYY-MM-DD days in REPORT_TIME_ZONE, both included.
   */
  compensationLines(from: string, to: string, serviceCenterId?: string, settled: SettledFilter = 'all'): Promise<RowStream<CompensationLine>> {
    return serviceCenterId
      ? streamRows(this.db, COMPENSATION_OF_SERVICE_CENTER[settled], [from, to, serviceCenterId])
      : streamRows(this.db, COMPENSATION_ALL[settled], [from, to]);
  }

  /** The quality report's groups, streamed. `from` and `to` are YYYY-MM-DD days in REPORT_TIME_ZONE, both included. */
  qualityRows(groupBy: QualityGroup, from: string, to: string): Promise<RowStream<QualityRow>> {
    return streamRows(this.db, QUALITY_SQL[groupBy], [from, to]);
  }

  /** Acts by status; only statuses that have acts are listed. */
  statusCounts(serviceCenterId: string | null): Promise<{ status: ActStatus; count: number }[]> {
    return this.db.query(STATUS_COUNTS, [serviceCenterId]);
  }

  /** Submitted acts whose review is overdue at `now` (submitted before `overdueBefore`). */
  async overdueCount(serviceCenterId: string | null, overdueBefore: Date): Promise<number> {
    const [row]: { count: number }[] = await this.db.query(OVERDUE_COUNT, [serviceCenterId, overdueBefore]);
    return row.count;
  }

  /** The longest-waiting overdue acts, oldest first. */
  oldestOverdue(now: Date, serviceCenterId: string | null, overdueBefore: Date): Promise<OverdueActRow[]> {
    return this.db.query(OLDEST_OVERDUE_ACTS, [now, serviceCenterId, overdueBefore]);
  }

  /** Decisions in the SUMMARY_WINDOW_DAYS before `now`: how many, and the hours they took. */
  async decisionTime(now: Date, serviceCenterId: string | null): Promise<DecisionTimeRow> {
    const [row]: DecisionTimeRow[] = await this.db.query(DECISION_TIME, [now, serviceCenterId]);
    return row;
  }

  /** Acts the system closed as refused (silence) in the SUMMARY_WINDOW_DAYS before `now`, per service center. */
  autoRefused(now: Date, serviceCenterId: string | null): Promise<AutoRefusedRow[]> {
    return this.db.query(AUTO_REFUSED, [now, serviceCenterId]);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const REPORTS_SQL = {
  COMPENSATION_ALL: COMPENSATION_ALL.all,
  COMPENSATION_ALL_SETTLED: COMPENSATION_ALL.settled,
  COMPENSATION_ALL_UNSETTLED: COMPENSATION_ALL.unsettled,
  COMPENSATION_OF_SERVICE_CENTER: COMPENSATION_OF_SERVICE_CENTER.all,
  COMPENSATION_OF_SERVICE_CENTER_SETTLED: COMPENSATION_OF_SERVICE_CENTER.settled,
  COMPENSATION_OF_SERVICE_CENTER_UNSETTLED: COMPENSATION_OF_SERVICE_CENTER.unsettled,
  QUALITY_BY_CATEGORY: QUALITY_SQL.category,
  QUALITY_BY_MODEL: QUALITY_SQL.model,
  QUALITY_BY_PART: QUALITY_SQL.part,
  QUALITY_BY_REASON: QUALITY_SQL.reason,
  QUALITY_BY_SERVICE_CENTER: QUALITY_SQL.serviceCenter,
  STATUS_COUNTS,
  OVERDUE_COUNT,
  OLDEST_OVERDUE_ACTS,
  DECISION_TIME,
  AUTO_REFUSED,
};
