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
const SERVICE_CENTER_ORDER = `sc.rank`;
const RANKED_SERVICE_CENTERS = `(SELECT s.id, s.name, row_number() OVER (ORDER BY s.name COLLATE "ru-RU-x-icu", s.id) AS rank FROM service_centers s)`;

/**
 * The order of the compensation rows. `totals-last` (CSV): each act's lines then its total, each
 * service center's acts then its total, the grand total last. `totals-first` (JSON, which names
 * counts and sums before the lists they sum): the grand total first, each service center's
 * total before its acts, each act's lines then its total.
 */
export type RollupOrder = 'totals-first' | 'totals-last';
const ROLLUP_ORDER: Record<RollupOrder, string> = {
  'totals-last': `${SERVICE_CENTER_ORDER}, a.closed_at, a.id, p.position`,
  'totals-first': `GROUPING(a.service_center_id) DESC, ${SERVICE_CENTER_ORDER}, GROUPING(a.id) DESC, a.closed_at, a.id, p.position`,
};

/**
 * Own-part lines of acts as one sorted list with their totals: ROLLUP adds each act's, each
 * service center's and the grand total (placed as `order` says; NULLs sort last), all in numeric,
 * with the acts and lines each total covers. Sorted by the database in the order the report is
 * written, so that the rows can be streamed to the client as they come.
 * `where` picks the acts (alias a); their own parts (p) and service center (sc) are joined.
 */
export const compensationRollupSql = (where: string, order: RollupOrder) => `
  SELECT CASE GROUPING(a.service_center_id, a.id, p.id)
           WHEN 0 THEN 'line' WHEN 1 THEN 'act' WHEN 3 THEN 'service_center' ELSE 'total' END AS level,
         a.service_center_id, sc.name AS service_center_name, a.id AS act_id, a.number, a.closed_at,
         to_char(a.closed_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') AS closed_on,
         p.id AS part_id, p.name AS part_name, p.diagram_number, p.quantity, p.unit_price::text AS unit_price,
         CASE WHEN GROUPING(p.id) = 0 THEN sum(${LINE_AMOUNT})
              ELSE round(coalesce(sum(${LINE_AMOUNT}), 0), 2) END::text AS amount,
         count(DISTINCT a.id)::int AS act_count, count(p.id)::int AS line_count
    FROM acts a
    JOIN act_parts p ON p.act_id = a.id AND p.own_part
    JOIN ${RANKED_SERVICE_CENTERS} sc ON sc.id = a.service_center_id
   WHERE ${where}
   GROUP BY ROLLUP ((sc.rank, a.service_center_id, sc.name), (a.closed_at, a.id, a.number),
                    (p.position, p.id, p.name, p.diagram_number, p.quantity, p.unit_price))
   ORDER BY ${ROLLUP_ORDER[order]}`;

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
const compensationSql = (serviceCenterFilter: string, settled: SettledFilter, order: RollupOrder) =>
  compensationRollupSql(
    `a.status = ${CLOSED} AND a.resolution = ${REPAIRED} AND a.kind = 'warranty'
     AND a.closed_at >= ($1::date)::timestamp AT TIME ZONE ${TZ}
     AND a.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}
     ${serviceCenterFilter} ${SETTLED_PREDICATE[settled]}`,
    order,
  );
const SETTLED_FILTERS = Object.keys(SETTLED_PREDICATE) as SettledFilter[];
const compensationTexts = (serviceCenterFilter: string, order: RollupOrder) =>
  Object.fromEntries(SETTLED_FILTERS.map((f) => [f, compensationSql(serviceCenterFilter, f, order)])) as Record<SettledFilter, string>;
const COMPENSATION_ALL = { json: compensationTexts('', 'totals-first'), csv: compensationTexts('', 'totals-last') };
const COMPENSATION_OF_SERVICE_CENTER = {
  json: compensationTexts('AND a.service_center_id = $3', 'totals-first'),
  csv: compensationTexts('AND a.service_center_id = $3', 'totals-last'),
};

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
 * Claims closed from $1 to $2 (days in TZ), withdrawn drafts aside, with what the quality report
 * counts of each: read index-only from ix_acts_closed. `approved`: a manager approved it (a
 * decision warranty or paid: decided, and not closed by a not-warranty or refund decision);
 * `compensated`: its own parts are compensated (closed repaired, kind warranty, as in the
 * compensation report). Then the parts of those acts, and whether a shipment carried the act.
 */
const QUALITY_BASE = `
  WITH closed AS MATERIALIZED (
    SELECT a.id, a.service_center_id, a.model_key, a.category_key, a.reason_code, a.resolution,
           a.decided_at IS NOT NULL AND a.resolution NOT IN ('${Resolution.NotWarranty}', '${Resolution.RefundOrExchange}') AS approved,
           a.resolution = ${REPAIRED} AND a.kind = 'warranty' AS compensated
      FROM acts a
     WHERE a.status = ${CLOSED} AND a.resolution <> '${Resolution.Withdrawn}'
       AND a.closed_at >= ($1::date)::timestamp AT TIME ZONE ${TZ}
       AND a.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}
  ), shipped AS (
    SELECT DISTINCT sa.act_id FROM shipment_acts sa JOIN closed c ON c.id = sa.act_id
  )`;

/** The counts of one group; `n(cond)` counts its acts where cond holds. */
const qualityCounts = (n: (cond: string) => string, partsShipped: string, ownPartCompensation: string) => `
         ${n('TRUE')} AS acts, ${n('c.approved')} AS approved,
         ${n(`c.resolution = '${Resolution.NotWarranty}'`)} AS not_warranty,
         ${n(`c.resolution = '${Resolution.WarrantyRefused}'`)} AS warranty_refused,
         ${n(`c.resolution = '${Resolution.NotRepaired}'`)} AS not_repaired,
         ${n(`c.resolution = '${Resolution.RefundOrExchange}'`)} AS refund,
         coalesce(${partsShipped}, 0)::int AS parts_shipped,
         round(coalesce(${ownPartCompensation}, 0), 2)::text AS own_part_compensation`;

/** One row per act: its groups' counts are counts of rows. */
const perAct = (cond: string) => `count(*) FILTER (WHERE ${cond})::int`;
/** One row per act and part: acts are counted once each. */
const perActOfParts = (cond: string) => `count(DISTINCT c.id) FILTER (WHERE ${cond})::int`;

/** Acts grouped by `key` (an expression over c), with the parts' figures summed per act first. */
const qualityByAct = (key: string, label: string, joins = '') => `${QUALITY_BASE}, parts AS (
    SELECT p.act_id, count(*) FILTER (WHERE NOT p.own_part) AS to_ship, sum(${LINE_AMOUNT}) FILTER (WHERE p.own_part) AS own
      FROM act_parts p JOIN closed c ON c.id = p.act_id
     GROUP BY p.act_id
  ), grouped AS (
  SELECT coalesce(${key}, '${NOT_GIVEN_KEY}') AS key, ${qualityCounts(perAct, 'sum(pt.to_ship) FILTER (WHERE s.act_id IS NOT NULL)', 'sum(pt.own) FILTER (WHERE c.compensated)')}
    FROM closed c LEFT JOIN parts pt ON pt.act_id = c.id LEFT JOIN shipped s ON s.act_id = c.id
   GROUP BY 1)
  SELECT g.key, ${label} AS label, g.acts, g.approved, g.not_warranty, g.warranty_refused, g.not_repaired, g.refund,
         g.parts_shipped, g.own_part_compensation
    FROM grouped g ${joins}
   ORDER BY g.acts DESC, g.key`;

/**
 * The quality report's query per grouping ($1, $2: the period's first and last day, Moscow).
 * Groups by the most acts first, then by key. Labels: the category's and the service center's
 * names, the model as written on one of its acts, a part's name as written on one of its lines;
 * reasons are labelled by the service (the catalogue), so their label here is NULL.
 */
const QUALITY_SQL: Record<QualityGroup, string> = {
  category: qualityByAct('c.category_key', 'pc.name', `LEFT JOIN product_categories pc ON pc.id::text = g.key`),
  serviceCenter: qualityByAct('c.service_center_id::text', 'sc.name', `LEFT JOIN service_centers sc ON sc.id::text = g.key`),
  reason: qualityByAct('c.reason_code', 'NULL::text'),
  // The model as written: from one act of the model (by the duplicate-serial index; a model only
  // ever claimed without a serial number shows its normalised key).
  model: qualityByAct(
    'c.model_key',
    `coalesce((SELECT m.product->>'model' FROM acts m
                WHERE m.model_key = g.key AND m.serial_key IS NOT NULL AND m.submitted_at IS NOT NULL LIMIT 1), g.key)`,
  ),
  // Per part name (trimmed, case ignored): the acts that have such a part, the lines of it shipped
  // and its own lines' amounts.
  part: `${QUALITY_BASE}
  SELECT lower(btrim(p.name)) AS key, min(p.name) AS label,
         ${qualityCounts(
           perActOfParts,
           'count(*) FILTER (WHERE NOT p.own_part AND s.act_id IS NOT NULL)',
           `sum(${LINE_AMOUNT}) FILTER (WHERE p.own_part AND c.compensated)`,
         )}
    FROM closed c JOIN act_parts p ON p.act_id = c.id LEFT JOIN shipped s ON s.act_id = c.id
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

/** One row of the compensation query: a line, or an act's, a service center's or the grand total. */
export interface CompensationRow {
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
  /** numeric(12,3): pg gives it as text. */
  quantity: string;
  unit_price: string | null;
  amount: string | null;
  /** The acts and own-part lines the row covers (1 and 1 for a line). */
  act_count: number;
  line_count: number;
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
   * The compensation rows, streamed from a cursor in the order the format writes them.
   * `from` and `to` are YYYY-MM-DD days in REPORT_TIME_ZONE, both included.
   */
  compensationRows(
    format: 'json' | 'csv',
    from: string,
    to: string,
    serviceCenterId?: string,
    settled: SettledFilter = 'all',
  ): Promise<RowStream<CompensationRow>> {
    return serviceCenterId
      ? streamRows(this.db, COMPENSATION_OF_SERVICE_CENTER[format][settled], [from, to, serviceCenterId])
      : streamRows(this.db, COMPENSATION_ALL[format][settled], [from, to]);
  }

  /** The quality report's groups, streamed from a cursor. `from` and `to` are YYYY-MM-DD days in REPORT_TIME_ZONE, both included. */
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
  COMPENSATION_ALL: COMPENSATION_ALL.json.all,
  COMPENSATION_ALL_SETTLED: COMPENSATION_ALL.json.settled,
  COMPENSATION_ALL_UNSETTLED: COMPENSATION_ALL.json.unsettled,
  COMPENSATION_OF_SERVICE_CENTER: COMPENSATION_OF_SERVICE_CENTER.json.all,
  COMPENSATION_OF_SERVICE_CENTER_SETTLED: COMPENSATION_OF_SERVICE_CENTER.json.settled,
  COMPENSATION_OF_SERVICE_CENTER_UNSETTLED: COMPENSATION_OF_SERVICE_CENTER.json.unsettled,
  COMPENSATION_ALL_CSV: COMPENSATION_ALL.csv.all,
  COMPENSATION_OF_SERVICE_CENTER_UNSETTLED_CSV: COMPENSATION_OF_SERVICE_CENTER.csv.unsettled,
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
