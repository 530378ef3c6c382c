import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Principal, Role } from '../common/auth/principal';
import { TimeCursor } from '../common/cursor';
import { poolQuery, preparedQuery } from '../common/pool-query';
import { scopeToTenant, tenantParam, tenantPredicate } from '../common/tenant-scope';
import { assignedManagerSql } from '../managers/managers.repository';
import { Act } from './act.entity';
import { ActComment } from './act-comment.entity';
import { ActHistoryEntry } from './act-history.entity';
import { ActPart } from './act-part.entity';
import { ActFlagRow, FLAGS_JSON, FlagType } from './act-flags.repository';
import { PartRow } from './act-sections';
import type { Actor } from './actor';
import type { PartUnit } from './act-vocabulary';
import { PhotoKind } from './photo-kind';
import { ActorRole, ActStatus, Resolution } from './act-status';
import { NotificationKind } from '../notifications/notification.entity';
import { WebhookEventType } from '../webhooks/webhook.entity';
import { webhookFanOutSql } from '../webhooks/webhooks.repository';

/** An act's photo as the act shows it (metadata; never the storage key). */
export interface ActPhotoRow {
  id: string;
  kind: PhotoKind;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}

/** The responsible manager of an act's service center. */
export interface AssignedManager {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

/** One priced line of an invoice (money as decimal strings). */
export interface InvoiceLine {
  partId: string;
  name: string;
  diagramNumber: string | null;
  quantity: number;
  unit: PartUnit;
  unitPrice: string;
  /** quantity × unitPrice, rounded to kopecks. */
  amount: string;
}

/** A paid order's invoice as stored (timestamps as JSON gives them). */
export interface InvoiceRow {
  amount: string;
  currency: 'RUB';
  paymentReference: string;
  issuedAt: string;
  paidAt: string | null;
  paidAmount: string | null;
  lines: InvoiceLine[];
}

/** An act with its parts, photos and responsible manager: what a view is made of. */
export interface ActRecord {
  act: Act;
  parts: ActPart[];
  photos: ActPhotoRow[];
  assignedManager: AssignedManager | null;
  invoice: InvoiceRow | null;
  /** The act's integrity flags: read for managers only, undefined for a service center. */
  flags?: ActFlagRow[];
}

export interface ActListFilter {
  statuses?: ActStatus[];
  serviceCenterId?: string;
  /** Lower-case text looked for in the number, serial number, model and customer name. */
  text?: string;
  createdFrom?: Date;
  /** Exclusive. */
  createdBefore?: Date;
  /** The review queue (pre-sale first, then oldest submitted) instead of newest first. */
  review: boolean;
  /** Acts of service centers this manager is responsible for, or that have no responsible manager (every manager is). */
  assignedTo?: string;
  /** Only acts an SC has spoken on since a manager last acted (true), or only the others (false). */
  needsAttention?: boolean;
  /** Only acts with some flag (true) or without any (false). */
  flagged?: boolean;
  /** Only acts with a flag of one of these types. */
  flagTypes?: FlagType[];
  cursor?: TimeCursor;
  limit: number;
}

/** An act's parts and photos as JSON, from correlated subqueries (money as text, never a float). */
const partsJson = (from: string) => `(SELECT coalesce(json_agg(json_build_object('id', p.id, 'actId', p.act_id, 'position', p.position,
    'name', p.name, 'diagramNumber', p.diagram_number, 'quantity', p.quantity, 'unit', p.unit, 'ownPart', p.own_part,
    'unitPrice', p.unit_price::text, 'shipmentId', p.shipment_id) ORDER BY p.position), '[]') FROM ${from} p WHERE p.act_id = a.id)`;
const PARTS_JSON = partsJson('act_parts');
const PHOTOS_JSON = `(SELECT coalesce(json_agg(json_build_object('id', f.id, 'actId', f.act_id, 'kind', f.kind,
    'fileName', f.file_name, 'contentType', f.content_type, 'size', f.size, 'sha256', f.sha256,
    'createdAt', f.created_at) ORDER BY f.created_at, f.id), '[]') FROM act_photos f WHERE f.act_id = a.id)`;

const ACT_COLUMNS = `a.id, a.number, a.year, a.seq, a.service_center_id, a.status, a.resolution, a.kind, a.product,
  a.diagnosis, a.extra, a.reply_deadline, a.mismatch_deadline, a.reminded_deadline, a.version, a.created_at,
  a.updated_at, a.submitted_at, a.decided_at, a.closed_at, a.problem, a.needs_attention, a.reason_code, a.urgent, a.settlement_id,
  a.expected_dispatch_date::text AS expected_dispatch_date, a.partial_consent, a.shipping_round`;

/** A paid act's invoice (money as text, never a float), or null. */
const INVOICE_JSON = `(SELECT json_build_object('amount', i.amount::text, 'currency', i.currency, 'paymentReference', i.payment_reference,
    'issuedAt', i.issued_at, 'paidAt', i.paid_at, 'paidAmount', i.paid_amount::text, 'lines', i.lines) FROM act_invoices i WHERE i.act_id = a.id)`;

/** The hottest read: one act by id, scoped to the caller, in one round trip and a fixed text. */
const ASSIGNED_MANAGER_JSON = assignedManagerSql('a.service_center_id');

export const ACT_BY_ID_SQL = `SELECT ${ACT_COLUMNS}, ${PARTS_JSON} AS parts_json, ${PHOTOS_JSON} AS photos_json,
  ${ASSIGNED_MANAGER_JSON} AS assigned_manager, ${INVOICE_JSON} AS invoice
  FROM acts a WHERE a.id = $1 AND ${tenantPredicate('a.service_center_id', '$2')}`;

/** Issues (or, while unpaid, replaces) the act's invoice; a paid one is never overwritten. $1 act, $2 amount, $3 reference, $4 lines, $5 at, $6 by. */
export const UPSERT_INVOICE_SQL = `INSERT INTO act_invoices (act_id, amount, currency, payment_reference, lines, issued_at, issued_by)
  VALUES ($1, $2, 'RUB', $3, $4, $5, $6)
  ON CONFLICT (act_id) DO UPDATE SET amount = EXCLUDED.amount, payment_reference = EXCLUDED.payment_reference, lines = EXCLUDED.lines,
    issued_at = EXCLUDED.issued_at, issued_by = EXCLUDED.issued_by
  WHERE act_invoices.paid_at IS NULL
  RETURNING (xmax <> 0) AS replaced`;

/** Records the payment of an unpaid invoice. $1 act, $2 amount, $3 paid at, $4 by. */
export const PAY_INVOICE_SQL = `UPDATE act_invoices SET paid_at = $3, paid_amount = $2, payment_recorded_by = $4
  WHERE act_id = $1 AND paid_at IS NULL RETURNING act_id`;

const INVOICE_OF_ACT_SQL = `SELECT ${INVOICE_JSON} AS invoice FROM acts a WHERE a.id = $1`;

/** ACT_BY_ID_SQL with the act's integrity flags, for managers (a service center never reads them). */
export const ACT_BY_ID_WITH_FLAGS_SQL = `SELECT ${ACT_COLUMNS}, ${PARTS_JSON} AS parts_json, ${PHOTOS_JSON} AS photos_json,
  ${ASSIGNED_MANAGER_JSON} AS assigned_manager, ${INVOICE_JSON} AS invoice, ${FLAGS_JSON} AS flags_json
  FROM acts a WHERE a.id = $1 AND ${tenantPredicate('a.service_center_id', '$2')}`;

/** Numbers restart every year; unique, increasing, with a gap where a create failed. */
export const NEXT_NUMBER_SQL = `INSERT INTO act_number_counters (year, last_value) VALUES ($1, 1)
  ON CONFLICT (year) DO UPDATE SET last_value = act_number_counters.last_value + 1
  RETURNING last_value`;

export type DeadlineColumn = 'reply_deadline' | 'mismatch_deadline';

/** One deadline sweep: acts in `from` whose `column` passed go to `to` with `resolution`. */
export interface Expiry {
  from: ActStatus;
  to: ActStatus;
  resolution: Resolution;
  column: DeadlineColumn;
}

/** Texts a sweep writes; `{{number}}` and `{{deadline}}` are replaced by each act's values in SQL. */
export interface SweepTexts {
  actorName: string;
  reason: string;
  comment: string;
  subject: string;
  body: string;
}

export const NUMBER_MARK = '{{number}}';
export const DEADLINE_MARK = '{{deadline}}';
/** formatMoscow() (ru-RU, short date and time) in SQL; a test holds the two together. */
const MOSCOW_TIME_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY, HH24:MI')`;
/** Date.prototype.toISOString() in SQL. */
const ISO_SQL = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Statuses and resolutions are spliced into the sweeps' SQL as literals (so the partial deadline indexes apply): enum values only. */
function literal(value: string): string {
  if (!/^[a-z_]+$/.test(value)) throw new Error(`Unexpected value ${value} for a SQL literal`);
  return `'${value}'`;
}

/*
 * LOCKED_DUE_ACTS. A sweep's `due` CTE locks the acts it picks (FOR UPDATE SKIP LOCKED); an act
 * changed and committed since the statement began is locked in its latest version and checked
 * against `due`'s condition again (READ COMMITTED), and one that no longer matches is left out.
 * Once locked, no one else can change it, so the UPDATE that follows in the same statement
 * matches the acts by id alone. Repeating the condition there let the planner reach the acts
 * through the partial deadline index instead of their primary key: a hash join that read every
 * act still overdue for each batch (370 000 rows for a batch of 1000 at 10 000 000 acts: 2.9 s).
 */

/**
 * Closes one batch of acts past a deadline, in one statement (one transaction): picks due acts
 * with FOR UPDATE SKIP LOCKED (LOCKED_DUE_ACTS: the UPDATE matches them by id alone), and writes what
 * ActLifecycle.apply writes for each act: the act row, a history row, a system comment, the
 * status e-mail (to the SC's current address) and the webhook events (act.status_changed, then
 * act.comment_added, with the fields of ActLifecycle's eventData) with their deliveries.
 * The comment's id is drawn in the UPDATE's RETURNING, so that the events take it from there:
 * joined to the comments' INSERT instead, the two CTEs (whose size the planner guesses at 1-3
 * rows) were matched in a nested loop, quadratic in the batch: 33 000 acts in one statement
 * took 150 s in that join alone (a batch of 1000, up to 0.14 s).
 * $1 now, $2 batch size, $3-$7 the texts.
 */
export function closeExpiredSql({ from, to, resolution, column }: Expiry): string {
  const [f, t, r] = [literal(from), literal(to), literal(resolution)];
  return `
      WITH due AS (
        SELECT id FROM acts
         WHERE status = ${f} AND ${column} < $1
         ORDER BY ${column}
         LIMIT $2
         FOR UPDATE SKIP LOCKED
      ), closed AS (
        UPDATE acts a
           SET status = ${t}, resolution = ${r}, closed_at = $1,
               reply_deadline = NULL, mismatch_deadline = NULL,
               version = a.version + 1, updated_at = $1
          FROM due
         WHERE a.id = due.id
        RETURNING a.id, a.number, a.service_center_id, a.kind, a.version, gen_random_uuid() AS comment_id
      ), history AS (
        INSERT INTO act_history (act_id, from_status, to_status, resolution, actor_role, actor_id, actor_name, reason, at)
        SELECT id, ${f}, ${t}, ${r}, '${ActorRole.System}', NULL, $3, $4, $1 FROM closed
      ), comments AS (
        INSERT INTO act_comments (id, act_id, author_role, author_id, author_name, text, created_at)
        SELECT comment_id, id, '${ActorRole.System}', NULL, $3, $5, $1 FROM closed
      ), wh_source AS (
        SELECT x.type, c.id AS act_id, c.service_center_id,
               jsonb_build_object('actId', c.id, 'number', c.number, 'serviceCenterId', c.service_center_id, 'status', ${t}::text,
                                  'resolution', ${r}::text, 'kind', c.kind, 'version', c.version) || x.data AS data,
               row_number() OVER (ORDER BY c.id, x.k) AS ord
          FROM closed c
          CROSS JOIN LATERAL (VALUES
            (1, '${WebhookEventType.ActStatusChanged}', jsonb_build_object('previousStatus', ${f}::text, 'reason', $4::text)),
            (2, '${WebhookEventType.ActCommentAdded}', jsonb_build_object('comment', jsonb_build_object('id', c.comment_id,
                'author', jsonb_build_object('role', '${ActorRole.System}', 'name', $3::text), 'text', $5::text, 'createdAt', ${ISO_SQL('$1::timestamptz')})))
          ) AS x(k, type, data)
      ), ${webhookFanOutSql('wh_source', '$1')}, mail AS (
        INSERT INTO notifications (service_center_id, act_id, kind, recipient, reply_to, subject, body)
        SELECT c.service_center_id, c.id, '${NotificationKind.StatusChanged}', sc.email, rm.email,
               replace($6, '${NUMBER_MARK}', c.number), replace($7, '${NUMBER_MARK}', c.number)
          FROM closed c JOIN service_centers sc ON sc.id = c.service_center_id
          LEFT JOIN managers rm ON rm.id = sc.manager_id
      )
      SELECT count(*)::int AS n FROM closed`;
}

/**
 * Marks one batch of acts reminded of their deadline and writes the reminder e-mails.
 * reminded_deadline marks the deadline reminded of, in the same statement; the dedupe key
 * (unique) holds even if that column were ever reset. A new deadline gets its own reminder.
 * The acts are locked in `due` and updated by id alone (LOCKED_DUE_ACTS).
 * $1 now, $2 the horizon, $3 batch size, $4-$5 subject and body.
 */
export function remindSql({ from, column }: Pick<Expiry, 'from' | 'column'>): string {
  const due = `a.status = ${literal(from)} AND a.${column} > $1 AND a.${column} <= $2
                 AND a.reminded_deadline IS DISTINCT FROM a.${column}`;
  return `
      WITH due AS (
        SELECT a.id FROM acts a
         WHERE ${due}
         ORDER BY a.${column}
         LIMIT $3
         FOR UPDATE SKIP LOCKED
      ), reminded AS (
        UPDATE acts a SET reminded_deadline = a.${column}
          FROM due
         WHERE a.id = due.id
        RETURNING a.id, a.number, a.service_center_id, a.${column} AS deadline
      ), mail AS (
        INSERT INTO notifications (service_center_id, act_id, kind, recipient, reply_to, subject, body, dedupe_key)
        SELECT r.service_center_id, r.id, '${NotificationKind.Reminder}', sc.email, rm.email,
               replace(replace($4, '${NUMBER_MARK}', r.number), '${DEADLINE_MARK}', ${MOSCOW_TIME_SQL('r.deadline')}),
               replace(replace($5, '${NUMBER_MARK}', r.number), '${DEADLINE_MARK}', ${MOSCOW_TIME_SQL('r.deadline')}),
               'reminder:' || r.id || ':' || ${ISO_SQL('r.deadline')}
          FROM reminded r JOIN service_centers sc ON sc.id = r.service_center_id
          LEFT JOIN managers rm ON rm.id = sc.manager_id
        ON CONFLICT (dedupe_key) DO NOTHING
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM reminded)::int AS picked, (SELECT count(*) FROM mail)::int AS sent`;
}

/**
 * Acts submitted before $1 and still waiting for a decision, with each manager who answers for
 * them: the service center's responsible manager, or every manager when it has none.
 */
const OVERDUE_BY_MANAGER = `
  SELECT m.id AS "managerId", m.name AS "managerName", a.number, sc.name AS "serviceCenter", a.submitted_at AS "submittedAt"
    FROM acts a
    JOIN service_centers sc ON sc.id = a.service_center_id
    JOIN managers m ON sc.manager_id IS NULL OR m.id = sc.manager_id
   WHERE a.status = '${ActStatus.Submitted}' AND a.submitted_at < $1
   ORDER BY m.id, a.submitted_at, a.number`;

/** One act past the review SLA, for one manager's digest. */
export interface OverdueAct {
  managerId: string;
  managerName: string;
  number: string;
  serviceCenter: string;
  submittedAt: Date;
}

interface JsonExtras {
  assigned_manager: AssignedManager | null;
  invoice: InvoiceRow | null;
  parts_json: ActPart[];
  photos_json: (Omit<ActPhotoRow, 'createdAt'> & { createdAt: string })[];
  flags_json?: ActFlagRow[];
}

/** An acts row (snake_case columns, as ACT_COLUMNS selects them) as the entity. */
function actFromRow(row: Record<string, never>): Act {
  return Object.assign(new Act(), {
    id: row.id,
    number: row.number,
    year: row.year,
    seq: row.seq,
    serviceCenterId: row.service_center_id,
    status: row.status,
    resolution: row.resolution,
    kind: row.kind,
    product: row.product,
    diagnosis: row.diagnosis,
    extra: row.extra,
    replyDeadline: row.reply_deadline,
    mismatchDeadline: row.mismatch_deadline,
    remindedDeadline: row.reminded_deadline,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    closedAt: row.closed_at,
    problem: row.problem,
    needsAttention: row.needs_attention,
    reasonCode: row.reason_code,
    urgent: row.urgent,
    settlementId: row.settlement_id,
    expectedDispatchDate: row.expected_dispatch_date,
    partialConsent: row.partial_consent,
    shippingRound: row.shipping_round,
  });
}

function recordOf(act: Act, extras: JsonExtras | undefined): ActRecord {
  return {
    act,
    parts: extras?.parts_json ?? [],
    photos: (extras?.photos_json ?? []).map((photo) => ({ ...photo, createdAt: new Date(photo.createdAt) })),
    assignedManager: extras?.assigned_manager ?? null,
    invoice: extras?.invoice ?? null,
    ...(extras?.flags_json ? { flags: extras.flags_json } : {}),
  };
}

/**
 * The act aggregate's writes on the filing path, as fixed texts run as prepared statements
 * (preparedQuery): TypeORM building each statement, and Postgres parsing and planning it, was a
 * fifth of the API's and of Postgres' time per filed act.
 */
const LOCK_ACT_SQL = `SELECT ${ACT_COLUMNS} FROM acts a WHERE a.id = $1 AND ${tenantPredicate('a.service_center_id', '$2')} FOR UPDATE`;

/** LOCK_ACT_SQL with the act's parts (PARTS_JSON) and the kinds of its photos: what a submit checks. */
const LOCK_ACT_WITH_CONTENT_SQL = `SELECT ${ACT_COLUMNS}, ${PARTS_JSON} AS parts_json,
    (SELECT coalesce(array_agg(f.kind), '{}') FROM act_photos f WHERE f.act_id = a.id) AS photo_kinds
  FROM acts a WHERE a.id = $1 AND ${tenantPredicate('a.service_center_id', '$2')} FOR UPDATE`;

/** Parts as rows `p`, from a parameter holding a JSON array of act_parts' columns (partRecords). */
const partRows = (param: string) => `jsonb_to_recordset(${param}::jsonb) AS p(position int, name text, diagram_number text,
    quantity numeric, unit text, own_part boolean, unit_price numeric, shipment_id uuid)`;

/** act_history's columns, in the order of historyRow. */
const HISTORY_COLUMNS = 'type, act_id, from_status, to_status, resolution, actor_role, actor_id, actor_name, reason, changes, at';

/**
 * The act ($1–$13), its parts ($14, a JSON array of act_parts' columns) and its history's first row
 * (by $15–$17) at once; returns what ACT_BY_ID_SQL would read of it (a new act has no photos,
 * invoice or flags), since a statement cannot read back the rows it inserts.
 */
const CREATE_ACT_SQL = `
  WITH a AS (
    INSERT INTO acts (number, year, seq, service_center_id, status, resolution, kind, product, diagnosis, extra, version, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    RETURNING *
  ), parts AS (
    INSERT INTO act_parts (act_id, position, name, diagram_number, quantity, unit, own_part, unit_price, shipment_id)
    SELECT a.id, p.position, p.name, p.diagram_number, p.quantity, p.unit, p.own_part, p.unit_price, p.shipment_id
      FROM a, ${partRows('$14')}
    RETURNING *
  ), history AS (
    INSERT INTO act_history (${HISTORY_COLUMNS})
    SELECT 'status', a.id, NULL, a.status, NULL, $15, $16, $17, NULL, NULL, a.created_at FROM a
  )
  SELECT ${ACT_COLUMNS}, ${partsJson('parts')} AS parts_json, '[]'::json AS photos_json,
    ${ASSIGNED_MANAGER_JSON} AS assigned_manager, NULL::json AS invoice
  FROM a`;

const PARTS_SQL = `SELECT id, act_id, position, name, diagram_number, quantity, unit, own_part, unit_price, shipment_id
  FROM act_parts WHERE act_id = $1 ORDER BY position`;

/** $1 act, $2 the parts as a JSON array (act_parts' columns, positions included). */
const INSERT_PARTS_SQL = `INSERT INTO act_parts (act_id, position, name, diagram_number, quantity, unit, own_part, unit_price, shipment_id)
  SELECT $1, p.position, p.name, p.diagram_number, p.quantity, p.unit, p.own_part, p.unit_price, p.shipment_id
    FROM ${partRows('$2')}`;

/** How many parameters one history row takes (historyValues). */
const HISTORY_VALUES = 10;

/** A history row's columns but its act's, from parameters $n… (historyValues); `act` is the act's id. */
const historyRow = (act: string, n: number) =>
  `$${n}::text, ${act}, $${n + 1}::text, $${n + 2}::text, $${n + 3}::text, $${n + 4}::text, $${n + 5}::uuid, $${n + 6}::text,
    $${n + 7}::text, $${n + 8}::jsonb, coalesce($${n + 9}::timestamptz, now())`;

/** $1 the act, $2… the row (historyValues). */
const INSERT_HISTORY_SQL = `INSERT INTO act_history (${HISTORY_COLUMNS}) SELECT ${historyRow('$1::uuid', 2)}`;

/** act_comments' columns, in the order of commentRow. */
const COMMENT_COLUMNS = 'act_id, author_role, author_id, author_name, text, created_at';

/** A comment row's values but its act's, from parameters $n… (commentValues); `act` is the act's id. */
const commentRow = (act: string, n: number) =>
  `${act}, $${n}::text, $${n + 1}::uuid, $${n + 2}::text, $${n + 3}::text, coalesce($${n + 4}::timestamptz, now())`;

/** $1 the act, $2… the comment (commentValues). */
const INSERT_COMMENT_SQL = `INSERT INTO act_comments (${COMMENT_COLUMNS}) SELECT ${commentRow('$1::uuid', 2)} RETURNING id, created_at`;

/**
 * The tsquery of a search text (lower case) that every act containing it matches (migration
 * SearchGrams): its 4-character pieces, or, when it has exactly 3 characters, a piece starting
 * with it; undefined when shorter (no index narrows such a search). Pieces in `common` (those in
 * a large share of the acts, commonSearchPieces) are left out while another piece remains: GIN
 * reads the whole list of acts of every piece it is asked for, and LIKE, which decides the result,
 * needs none of them. At 10 000 000 acts, `q=ACT-2026-9972481` took 120 ms with `act-`, `2026`
 * and the other pieces every act's number has, and 5.5 ms without. Characters are code points,
 * as Postgres' substr counts them; each piece is quoted as tsquery input wants.
 */
export function searchQuery(text: string, common: ReadonlySet<string> = new Set()): string | undefined {
  const chars = Array.from(text);
  const quoted = (piece: string) => `'${piece.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  if (chars.length < 3) return undefined;
  if (chars.length === 3) return `${quoted(text)}:*`;
  const pieces = new Set<string>();
  for (let i = 0; i + 4 <= chars.length; i++) pieces.add(chars.slice(i, i + 4).join(''));
  const rare = [...pieces].filter((piece) => !common.has(piece));
  return (rare.length ? rare : [...pieces]).map(quoted).join(' & ');
}

/** How long the search index's most common pieces are used before they are read again. */
const COMMON_PIECES_FOR_MS = 10 * 60_000;

/**
 * The pieces ANALYZE found most common in the search index (pg_stats' most_common_elems of its
 * expression: the 1000 most frequent with the default statistics target; at 10 000 000 seeded
 * acts, each is in at least 0.3 % of them). None before the first ANALYZE.
 */
const COMMON_PIECES_SQL = `SELECT coalesce(most_common_elems::text::text[], '{}') AS pieces FROM pg_stats
  WHERE schemaname = current_schema() AND tablename = 'ix_acts_search_grams' AND attname = 'act_search_grams'`;

/** `UPDATE acts SET <the columns of a patch> WHERE id = $1`, one text per set of columns (a handful in all). */
const updateTexts = new Map<string, { sql: string; columns: { property: keyof Act; json: boolean }[] }>();

/**
 * The act aggregate's SQL: the act row with its parts, history and comments, the act views,
 * locks, numbering and the deadline sweeps' set-based statements. Tenant scoping is in every
 * query a caller reaches (an SC sees its own acts only, and another SC's act is "not found").
 */
@Injectable()
export class ActsRepository {
  /** The search index's most common pieces (COMMON_PIECES_SQL), and until when (Date.now() ms) they are used. */
  private commonPieces?: { pieces: Promise<ReadonlySet<string>>; until: number };

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The pieces a search leaves out when it has others (searchQuery), read again every
   * COMMON_PIECES_FOR_MS: they change only when (auto)ANALYZE runs. Searches that come while they
   * are read wait for the same read.
   */
  commonSearchPieces(): Promise<ReadonlySet<string>> {
    const now = Date.now();
    if (!this.commonPieces || this.commonPieces.until <= now) {
      const pieces = poolQuery<{ pieces: string[] }>(this.db, COMMON_PIECES_SQL, []).then(([row]) => new Set(row?.pieces ?? []));
      this.commonPieces = { pieces, until: now + COMMON_PIECES_FOR_MS };
      // A failed read is not kept: the next search reads again.
      pieces.catch(() => {
        if (this.commonPieces?.pieces === pieces) this.commonPieces = undefined;
      });
    }
    return this.commonPieces.pieces;
  }

  /** One act with its parts and photos, if the caller may see it. */
  async findRecord(id: string, principal: Principal): Promise<ActRecord | undefined> {
    const manager = principal.role === Role.Manager;
    const sql = manager ? ACT_BY_ID_WITH_FLAGS_SQL : ACT_BY_ID_SQL;
    const [row] = await poolQuery<Record<string, never> & JsonExtras>(this.db, sql, [id, tenantParam(principal)], true);
    return row ? recordOf(actFromRow(row), row) : undefined;
  }

  /** A page of acts (limit + 1 rows, so the caller knows whether more follow), keyset-paginated. */
  async list(principal: Principal, filter: ActListFilter): Promise<ActRecord[]> {
    const qb = this.scoped(this.db.manager, principal);
    if (filter.statuses?.length) qb.andWhere('a.status IN (:...statuses)', { statuses: filter.statuses });
    if (filter.serviceCenterId) qb.andWhere('a.service_center_id = :sc', { sc: filter.serviceCenterId });
    if (filter.text) {
      const like = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('a.search_text LIKE :like', { like });
      // The index of the text's pieces finds the candidates; LIKE above keeps the true matches.
      const pieces = searchQuery(filter.text, await this.commonSearchPieces());
      if (pieces) qb.andWhere('act_search_grams(a.search_text) @@ CAST(:pieces AS tsquery)', { pieces });
    }
    if (filter.createdFrom) qb.andWhere('a.created_at >= :from', { from: filter.createdFrom });
    if (filter.createdBefore) qb.andWhere('a.created_at < :to', { to: filter.createdBefore });
    if (filter.assignedTo) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM service_centers fsc WHERE fsc.id = a.service_center_id AND (fsc.manager_id = :assignedTo OR fsc.manager_id IS NULL))',
        { assignedTo: filter.assignedTo },
      );
    }
    if (filter.needsAttention !== undefined) qb.andWhere('a.needs_attention = :needsAttention', { needsAttention: filter.needsAttention });
    if (filter.flagged !== undefined) qb.andWhere(`${filter.flagged ? '' : 'NOT '}EXISTS (SELECT 1 FROM act_flags ff WHERE ff.act_id = a.id)`);
    if (filter.flagTypes?.length) {
      qb.andWhere('EXISTS (SELECT 1 FROM act_flags ft WHERE ft.act_id = a.id AND ft.type IN (:...flagTypes))', { flagTypes: filter.flagTypes });
    }
    const cursor = filter.cursor;
    if (filter.review) {
      qb.andWhere('a.submitted_at IS NOT NULL');
      if (cursor) {
        qb.andWhere('(a.pre_sale < :p OR (a.pre_sale = :p AND (a.submitted_at, a.id) > (:t, :i)))', {
          p: cursor.p,
          t: cursor.t,
          i: cursor.i,
        });
      }
      qb.orderBy('a.pre_sale', 'DESC').addOrderBy('a.submitted_at', 'ASC').addOrderBy('a.id', 'ASC');
    } else {
      if (cursor) qb.andWhere('(a.created_at, a.id) < (:t, :i)', { t: cursor.t, i: cursor.i });
      qb.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC');
    }
    return this.records(qb.limit(filter.limit + 1), principal);
  }

  /**
   * By short sequence number (ignoring leading zeros), year and sequence (`2026-000717`), full
   * number, or the SC's internal number. A value written as an act number (full, or year and
   * sequence) finds acts by their number only: an SC's internal number cannot shadow another act.
   */
  async lookup(principal: Principal, value: string): Promise<ActRecord[]> {
    const qb = this.scoped(this.db.manager, principal);
    const yearSeq = /^(?:ACT-)?(\d{4})-(\d{1,9})$/i.exec(value);
    if (yearSeq) {
      qb.andWhere('a.year = :year AND a.seq = :seq', { year: Number(yearSeq[1]), seq: Number(yearSeq[2]) });
    } else {
      const conditions = ['a.internal_number = :internal'];
      const params: Record<string, unknown> = { internal: value.toLowerCase() };
      if (/^\d{1,9}$/.test(value)) {
        conditions.push('a.seq = :seq');
        params.seq = Number(value);
      }
      qb.andWhere(`(${conditions.join(' OR ')})`, params);
    }
    qb.orderBy('a.created_at', 'DESC').limit(50);
    return this.records(qb, principal);
  }

  /** The act's status (and resolution) if the caller may see it; a read without a lock. */
  async findState(id: string, principal: Principal): Promise<Pick<Act, 'id' | 'status' | 'resolution'> | undefined> {
    const row = await this.scoped(this.db.manager, principal).andWhere('a.id = :id', { id }).select(['a.id', 'a.status', 'a.resolution']).getOne();
    return row ?? undefined;
  }

  /** Locks an act for the rest of the transaction, scoped to the caller when one is given. */
  async lock(tx: EntityManager, id: string, principal?: Principal): Promise<Act | undefined> {
    const [row] = await preparedQuery<Record<string, never>>(tx, LOCK_ACT_SQL, [id, tenantParam(principal)]);
    return row ? actFromRow(row) : undefined;
  }

  /** lock, with the act's parts and the kinds of its photos, in the same statement. */
  async lockWithContent(
    tx: EntityManager,
    id: string,
    principal: Principal,
  ): Promise<{ act: Act; parts: ActPart[]; photoKinds: PhotoKind[] } | undefined> {
    const [row] = await preparedQuery<Record<string, never> & { parts_json: ActPart[]; photo_kinds: PhotoKind[] }>(tx, LOCK_ACT_WITH_CONTENT_SQL, [
      id,
      tenantParam(principal),
    ]);
    return row ? { act: actFromRow(row), parts: row.parts_json, photoKinds: row.photo_kinds } : undefined;
  }

  /** Row locks in one stable order (by id), so two transactions over overlapping acts cannot deadlock. */
  async lockMany(tx: EntityManager, ids: string[]): Promise<Act[]> {
    if (ids.length === 0) return [];
    return tx.createQueryBuilder(Act, 'a').where('a.id IN (:...ids)', { ids }).orderBy('a.id').setLock('pessimistic_write').getMany();
  }

  /** The next sequence number of a year, in its own short statement (see ActsService.create). */
  async nextNumber(year: number): Promise<number> {
    const [row] = await preparedQuery<{ last_value: number }>(this.db.manager, NEXT_NUMBER_SQL, [year]);
    return row.last_value;
  }

  /** A new act with its parts and its history's first row (its creation, by `actor`), in one statement; returns it as findRecord would. */
  async create(act: NewAct, parts: PartRow[], actor: Actor): Promise<ActRecord> {
    const [row] = await preparedQuery<Record<string, never> & JsonExtras>(this.db.manager, CREATE_ACT_SQL, [
      act.number,
      act.year,
      act.seq,
      act.serviceCenterId,
      act.status,
      act.resolution,
      act.kind,
      JSON.stringify(act.product),
      JSON.stringify(act.diagnosis),
      JSON.stringify(act.extra),
      act.version,
      act.createdAt,
      act.updatedAt,
      JSON.stringify(partRecords(parts)),
      actor.role,
      actor.id,
      actor.name,
    ]);
    return recordOf(actFromRow(row), row);
  }

  /**
   * Sets the patch's columns (those not undefined) of one act and adds its `history` rows (in
   * their order) and the `comment`, in the same statement; returns the comment as addComment
   * would.
   */
  async update(
    tx: EntityManager,
    id: string,
    patch: Partial<Act>,
    history: Omit<ActHistoryEntry, 'id' | 'actId'>[] = [],
    comment?: Omit<ActComment, 'id' | 'actId'>,
  ): Promise<ActComment | undefined> {
    const properties = (Object.keys(patch) as (keyof Act)[]).filter((key) => patch[key] !== undefined).sort();
    if (properties.length === 0 && !history.length && !comment) return undefined;
    const { sql, columns } = updateText(tx, properties, history.length, !!comment);
    const values = columns.map(({ property, json }) => (json && patch[property] !== null ? JSON.stringify(patch[property]) : patch[property]));
    const rows = await preparedQuery<{ id: string; created_at: Date }>(tx, sql, [
      id,
      ...values,
      ...history.flatMap(historyValues),
      ...(comment ? commentValues(comment) : []),
    ]);
    return comment && Object.assign(new ActComment(), comment, { actId: id, id: rows[0].id, createdAt: rows[0].created_at });
  }

  async parts(tx: EntityManager, actId: string): Promise<ActPart[]> {
    const rows = await preparedQuery<Record<string, never>>(tx, PARTS_SQL, [actId]);
    return rows.map((row) =>
      Object.assign(new ActPart(), {
        id: row.id,
        actId: row.act_id,
        position: row.position,
        name: row.name,
        diagramNumber: row.diagram_number,
        quantity: Number(row.quantity),
        unit: row.unit,
        ownPart: row.own_part,
        unitPrice: row.unit_price,
        shipmentId: row.shipment_id,
      }),
    );
  }

  /**
   * Replaces the act's parts list, in the given order. A part that shipped already keeps its
   * parcel when the new list has the same part (name, diagram number, quantity, unit, not own):
   * a correction of a price or a new row does not make shipped parts ship again.
   */
  async replaceParts(tx: EntityManager, actId: string, parts: PartRow[], replacing = true): Promise<void> {
    const shipped = replacing ? (await this.parts(tx, actId)).filter((p) => p.shipmentId) : [];
    if (replacing) await tx.delete(ActPart, { actId });
    if (parts.length === 0) return;
    const sameAs = (a: PartRow, b: ActPart) =>
      !a.ownPart &&
      a.name === b.name &&
      (a.diagramNumber ?? null) === b.diagramNumber &&
      Number(a.quantity) === Number(b.quantity) &&
      a.unit === b.unit;
    const rows = partRecords(parts, (part) => {
      const match = shipped.findIndex((old) => sameAs(part, old));
      return match >= 0 ? shipped.splice(match, 1)[0].shipmentId : null;
    });
    await preparedQuery(tx, INSERT_PARTS_SQL, [actId, JSON.stringify(rows)]);
  }

  async addHistory(tx: EntityManager, entry: Omit<ActHistoryEntry, 'id'>): Promise<void> {
    await preparedQuery(tx, INSERT_HISTORY_SQL, [entry.actId, ...historyValues(entry)]);
  }

  async history(actId: string): Promise<ActHistoryEntry[]> {
    return this.db.manager.find(ActHistoryEntry, { where: { actId }, order: { id: 'ASC' } });
  }

  async addComment(tx: EntityManager, comment: Omit<ActComment, 'id'>): Promise<ActComment> {
    const [row] = await preparedQuery<{ id: string; created_at: Date }>(tx, INSERT_COMMENT_SQL, [comment.actId, ...commentValues(comment)]);
    return Object.assign(new ActComment(), comment, { id: row.id, createdAt: row.created_at });
  }

  async comments(actId: string): Promise<ActComment[]> {
    return this.db.manager.find(ActComment, { where: { actId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Closes one batch of acts past a deadline (closeExpiredSql); returns how many it closed. */
  async closeExpiredBatch(expiry: Expiry, now: Date, batchSize: number, texts: SweepTexts): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(closeExpiredSql(expiry), [
      now,
      batchSize,
      texts.actorName,
      texts.reason,
      texts.comment,
      texts.subject,
      texts.body,
    ]);
    return n;
  }

  /** Reminds one batch of acts of a coming deadline (remindSql); returns the acts picked and e-mails written. */
  async remindBatch(
    expiry: Pick<Expiry, 'from' | 'column'>,
    now: Date,
    horizon: Date,
    batchSize: number,
    texts: Pick<SweepTexts, 'subject' | 'body'>,
  ): Promise<{ picked: number; sent: number }> {
    const [row]: { picked: number; sent: number }[] = await this.db.query(remindSql(expiry), [now, horizon, batchSize, texts.subject, texts.body]);
    return row;
  }

  /** The act's invoice, if one was issued. */
  async invoice(tx: EntityManager, actId: string): Promise<InvoiceRow | null> {
    const [row]: { invoice: InvoiceRow | null }[] = await tx.query(INVOICE_OF_ACT_SQL, [actId]);
    return row?.invoice ?? null;
  }

  /** Writes the act's invoice, replacing an unpaid one. Returns whether it replaced one; undefined when a paid one stands. */
  async upsertInvoice(
    tx: EntityManager,
    invoice: { actId: string; amount: string; paymentReference: string; lines: InvoiceLine[]; issuedAt: Date; issuedBy: string },
  ): Promise<{ replaced: boolean } | undefined> {
    const rows: { replaced: boolean }[] = await tx.query(UPSERT_INVOICE_SQL, [
      invoice.actId,
      invoice.amount,
      invoice.paymentReference,
      JSON.stringify(invoice.lines),
      invoice.issuedAt,
      invoice.issuedBy,
    ]);
    return rows[0];
  }

  /** Records the payment of the act's unpaid invoice; false when there was none to pay. */
  async payInvoice(tx: EntityManager, actId: string, amount: string, paidAt: Date, by: string): Promise<boolean> {
    // An UPDATE answers [rows, affected count] through TypeORM's query().
    const [, affected]: [unknown[], number] = await tx.query(PAY_INVOICE_SQL, [actId, amount, paidAt, by]);
    return affected > 0;
  }

  /** Acts submitted before `before` and not decided yet, per manager who answers for them. */
  overdueByManager(before: Date, tx: EntityManager = this.db.manager): Promise<OverdueAct[]> {
    return tx.query(OVERDUE_BY_MANAGER, [before]);
  }

  /** Acts the caller may see: an SC only its own, in the query itself. */
  private scoped(manager: EntityManager, principal: Principal): SelectQueryBuilder<Act> {
    return scopeToTenant(manager.createQueryBuilder(Act, 'a').where('TRUE'), 'a.service_center_id', principal);
  }

  /** The acts a query selects with their parts and photos, in ONE round trip. */
  private async records(qb: SelectQueryBuilder<Act>, principal: Principal): Promise<ActRecord[]> {
    qb.addSelect(PARTS_JSON, 'parts_json')
      .addSelect(PHOTOS_JSON, 'photos_json')
      .addSelect(ASSIGNED_MANAGER_JSON, 'assigned_manager')
      .addSelect(INVOICE_JSON, 'invoice');
    // Flags are the managers' alone: a service center's query does not even read them.
    if (principal.role === Role.Manager) qb.addSelect(FLAGS_JSON, 'flags_json');
    const { entities, raw } = await qb.getRawAndEntities();
    const extras = new Map<string, JsonExtras>(raw.map((row: JsonExtras & { a_id: string }) => [row.a_id, row]));
    return entities.map((act) => recordOf(act, extras.get(act.id)));
  }
}

/** What a new act is made of (ActsService.create); the database gives it its id. */
export type NewAct = Pick<
  Act,
  | 'number'
  | 'year'
  | 'seq'
  | 'serviceCenterId'
  | 'status'
  | 'resolution'
  | 'kind'
  | 'product'
  | 'diagnosis'
  | 'extra'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
>;

/**
 * The UPDATE of these properties of an act (sorted; $1 the act, then the properties' values),
 * with `histories` history rows after them (historyValues each, in their order) and then a
 * comment (commentValues, returning its id and time) when `withComment`; made once from the
 * entity's columns.
 */
function updateText(tx: EntityManager, properties: (keyof Act)[], histories: number, withComment: boolean) {
  const key = `${properties.join(',')}+${histories}${withComment ? '+comment' : ''}`;
  let text = updateTexts.get(key);
  if (!text) {
    const metadata = tx.dataSource.getMetadata(Act);
    const columns = properties.map((property) => {
      const column = metadata.findColumnWithPropertyName(property);
      if (!column) throw new Error(`acts has no column for ${property}`);
      return { property, name: column.databaseName, json: column.type === 'jsonb' };
    });
    const update = columns.length
      ? `UPDATE acts SET ${columns.map((column, i) => `${column.name} = $${i + 2}`).join(', ')} WHERE id = $1 RETURNING id`
      : 'SELECT $1::uuid AS id';
    // The rows come out of UNION ALL in its order, so their ids (the history's order) follow it.
    const rows = Array.from(
      { length: histories },
      (_, i) => `SELECT ${historyRow('changed.id', columns.length + 2 + i * HISTORY_VALUES)} FROM changed`,
    );
    const history = `INSERT INTO act_history (${HISTORY_COLUMNS}) ${rows.join(' UNION ALL ')}`;
    const comment = `INSERT INTO act_comments (${COMMENT_COLUMNS}) SELECT ${commentRow('changed.id', columns.length + 2 + histories * HISTORY_VALUES)}
      FROM changed RETURNING id, created_at`;
    let sql = update;
    if (histories && withComment) sql = `WITH changed AS (${update}), history AS (${history}) ${comment}`;
    else if (histories) sql = `WITH changed AS (${update}) ${history}`;
    else if (withComment) sql = `WITH changed AS (${update}) ${comment}`;
    text = { sql, columns };
    updateTexts.set(key, text);
  }
  return text;
}

/** A comment row's values for commentRow, in its order. */
function commentValues(comment: Omit<ActComment, 'id' | 'actId'>): unknown[] {
  return [comment.authorRole, comment.authorId ?? null, comment.authorName, comment.text, comment.createdAt ?? null];
}

/** A history row's values for historyRow, in its order. */
function historyValues(entry: Omit<ActHistoryEntry, 'id' | 'actId'>): unknown[] {
  return [
    entry.type ?? 'status',
    entry.fromStatus,
    entry.toStatus,
    entry.resolution ?? null,
    entry.actorRole,
    entry.actorId ?? null,
    entry.actorName,
    entry.reason ?? null,
    entry.changes ? JSON.stringify(entry.changes) : null,
    entry.at ?? null,
  ];
}

/** Parts as partRows reads them, in their order; `shipmentOf` keeps a shipped part's parcel. */
function partRecords(parts: PartRow[], shipmentOf: (part: PartRow) => string | null = () => null) {
  return parts.map((part, position) => ({
    position,
    name: part.name,
    diagram_number: part.diagramNumber ?? null,
    quantity: part.quantity,
    unit: part.unit,
    own_part: part.ownPart,
    unit_price: part.unitPrice ?? null,
    shipment_id: shipmentOf(part),
  }));
}

/** The fixed texts of the act's writes, for the snapshot test that shows every change of them as a diff. */
export const ACT_WRITES_SQL = {
  LOCK_ACT_SQL,
  LOCK_ACT_WITH_CONTENT_SQL,
  CREATE_ACT_SQL,
  PARTS_SQL,
  INSERT_PARTS_SQL,
  INSERT_HISTORY_SQL,
  INSERT_COMMENT_SQL,
};
