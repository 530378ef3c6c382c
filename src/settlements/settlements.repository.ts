import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ActStatus, Resolution } from '../acts/act-status';
import { TimeCursor } from '../common/cursor';
import { tenantPredicate } from '../common/tenant-scope';
import { RowStream, streamRows } from '../common/row-stream';
import { CompensationLine, compensationLinesSql, LINE_AMOUNT, REPORT_TIME_ZONE } from '../reports/reports.repository';

// Enum values as literals (never user input), so that the planner matches the partial index
// ix_acts_unsettled of migration CompensationSettlements.
const CLOSED = `'${ActStatus.Closed}'`;
const REPAIRED = `'${Resolution.Repaired}'`;
const TZ = `'${REPORT_TIME_ZONE}'`;

/** A new settlement, its totals filled in once it has taken its acts; no row when $4 names no service center. */
const INSERT_SQL = `INSERT INTO compensation_settlements (closed_to, service_center_id, created_at, created_by, act_count, amount)
  SELECT $1::date, $2::uuid, $3::timestamptz, $4::uuid, 0, 0
   WHERE $2::uuid IS NULL OR EXISTS (SELECT 1 FROM service_centers WHERE id = $2::uuid)
  RETURNING id`;

/**
 * Takes every eligible act for settlement $1: closed repaired, warranty, with own parts, closed
 * on or before the Moscow day $2, not settled yet. The rows are locked in id order (so two
 * settlements never deadlock) and, when another transaction settled one meanwhile, re-checked
 * after its commit (settlement_id IS NULL no longer holds: skipped). An act is thus in at most one
 * settlement however many are requested at once.
 */
const takeActsSql = (serviceCenterFilter: string) => `
  UPDATE acts a SET settlement_id = $1, version = a.version + 1, updated_at = $3
    FROM (SELECT e.id FROM acts e
           WHERE e.status = ${CLOSED} AND e.resolution = ${REPAIRED} AND e.kind = 'warranty' AND e.settlement_id IS NULL
             AND e.closed_at < ($2::date + 1)::timestamp AT TIME ZONE ${TZ}
             AND EXISTS (SELECT 1 FROM act_parts p WHERE p.act_id = e.id AND p.own_part)
             ${serviceCenterFilter}
           ORDER BY e.id
             FOR UPDATE OF e) eligible
   WHERE a.id = eligible.id
  RETURNING a.id`;
const TAKE_ACTS_SQL = takeActsSql('');
const TAKE_ACTS_OF_SERVICE_CENTER_SQL = takeActsSql('AND e.service_center_id = $4');

/**
 * The settlement's totals from its acts' own parts. A statement of its own after the acts were
 * taken: it sees every change committed before their locks were granted, and none can follow.
 */
const STORE_TOTALS_SQL = `UPDATE compensation_settlements s
     SET act_count = (SELECT count(*) FROM acts a WHERE a.settlement_id = s.id),
         amount = (SELECT coalesce(sum(${LINE_AMOUNT}), 0) FROM acts a JOIN act_parts p ON p.act_id = a.id AND p.own_part
                    WHERE a.settlement_id = s.id)
   WHERE s.id = $1`;

const COLUMNS = `s.id, s.closed_to::text AS closed_to, s.service_center_id, s.created_at, s.created_by, s.act_count, s.amount::text AS amount`;
/** An SC sees the settlements that hold one of its acts; $2 is the SC, or NULL for managers. */
const VISIBLE = `($2::uuid IS NULL OR EXISTS (SELECT 1 FROM acts v WHERE v.settlement_id = s.id AND v.service_center_id = $2::uuid))`;

const FIND_SQL = `SELECT ${COLUMNS} FROM compensation_settlements s WHERE s.id = $1 AND ${VISIBLE}`;

/** Newest first, keyset on (created_at, id); $3/$4 the cursor or NULL, $5 the page size + 1. */
const LIST_SQL = `SELECT ${COLUMNS} FROM compensation_settlements s
   WHERE ${VISIBLE}
     AND ($3::timestamptz IS NULL OR (s.created_at, s.id) < ($3::timestamptz, $4::uuid))
   ORDER BY s.created_at DESC, s.id DESC
   LIMIT $1`;

/** Acts and amounts of settlements $1 per service center, limited to the SC $2 (NULL: all). */
const BREAKDOWN_SQL = `SELECT a.settlement_id, a.service_center_id, sc.name AS service_center_name,
         count(DISTINCT a.id)::int AS act_count, round(coalesce(sum(${LINE_AMOUNT}), 0), 2)::text AS amount
    FROM acts a
    JOIN service_centers sc ON sc.id = a.service_center_id
    LEFT JOIN act_parts p ON p.act_id = a.id AND p.own_part
   WHERE a.settlement_id = ANY($1::uuid[]) AND ${tenantPredicate('a.service_center_id', '$2')}
   GROUP BY a.settlement_id, a.service_center_id, sc.name`;

/** The settlement's own-part lines with their totals, as the compensation report's lines; $2 the SC or NULL. */
const LINES_SQL = compensationLinesSql(`a.settlement_id = $1 AND ${tenantPredicate('a.service_center_id', '$2')}`, true);

export interface SettlementRow {
  id: string;
  closed_to: string;
  service_center_id: string | null;
  created_at: Date;
  created_by: string;
  act_count: number;
  amount: string;
}

export interface SettlementBreakdownRow {
  settlement_id: string;
  service_center_id: string;
  service_center_name: string;
  act_count: number;
  amount: string;
}

export interface NewSettlement {
  closedTo: string;
  serviceCenterId: string | null;
  createdAt: Date;
  createdBy: string;
}

/** The compensation settlements' SQL: the settlement rows and the acts they take (acts.settlement_id). */
@Injectable()
export class SettlementsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The new settlement's id; undefined when its service center does not exist. */
  async insert(tx: EntityManager, s: NewSettlement): Promise<string | undefined> {
    const rows: { id: string }[] = await tx.query(INSERT_SQL, [s.closedTo, s.serviceCenterId, s.createdAt, s.createdBy]);
    return rows[0]?.id;
  }

  /** Marks the eligible acts as settled by `settlementId`; their ids. */
  async takeActs(tx: EntityManager, settlementId: string, s: NewSettlement): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = s.serviceCenterId
      ? await tx.query(TAKE_ACTS_OF_SERVICE_CENTER_SQL, [settlementId, s.closedTo, s.createdAt, s.serviceCenterId])
      : await tx.query(TAKE_ACTS_SQL, [settlementId, s.closedTo, s.createdAt]);
    return rows.map((r) => r.id);
  }

  async storeTotals(tx: EntityManager, settlementId: string): Promise<void> {
    await tx.query(STORE_TOTALS_SQL, [settlementId]);
  }

  /** One settlement, if visible to `tenant` (an SC id; undefined for managers). */
  async find(id: string, tenant: string | null, db: DataSource | EntityManager = this.db): Promise<SettlementRow | undefined> {
    const rows: SettlementRow[] = await db.query(FIND_SQL, [id, tenant]);
    return rows[0];
  }

  /** Up to `limit` settlements visible to `tenant`, newest first, after `cursor`. */
  list(tenant: string | null, limit: number, cursor: TimeCursor | undefined): Promise<SettlementRow[]> {
    return this.db.query(LIST_SQL, [limit, tenant, cursor?.t ?? null, cursor?.i ?? null]);
  }

  breakdown(settlementIds: string[], tenant: string | null, db: DataSource | EntityManager = this.db): Promise<SettlementBreakdownRow[]> {
    return db.query(BREAKDOWN_SQL, [settlementIds, tenant]);
  }

  /** The settlement's own-part lines with their totals (and the grand totals), streamed in the order they are written. */
  lines(settlementId: string, tenant: string | null): Promise<RowStream<CompensationLine>> {
    return streamRows(this.db, LINES_SQL, [settlementId, tenant]);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const SETTLEMENTS_SQL = {
  INSERT_SQL,
  TAKE_ACTS_SQL,
  TAKE_ACTS_OF_SERVICE_CENTER_SQL,
  STORE_TOTALS_SQL,
  FIND_SQL,
  LIST_SQL,
  BREAKDOWN_SQL,
  LINES_SQL,
};
