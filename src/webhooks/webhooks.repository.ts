import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TimeCursor } from '../common/cursor';
import { preparedQuery } from '../common/pool-query';
import {
  LockedDelivery,
  NewWebhookEvent,
  WebhookCounts,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEventType,
  WebhookOwner,
} from './webhook.entity';

/** Date.prototype.toISOString() in SQL. */
const ISO_SQL = (value: string) => `to_char((${value})::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The fan-out, as CTEs continuing a WITH: writes the events of `source` (a relation with columns
 * type, act_id, service_center_id, data jsonb, ord) and, set-based, one delivery per endpoint
 * that hears each: the act's own service center's endpoints and every manager's endpoint, whose
 * event filter (null: all) holds the type. Disabled endpoints get their deliveries too: they
 * wait, and go out in order once the endpoint is enabled again. `at`: the placeholder of the
 * change's time. Used by record() and by set-based statements of other aggregates (the sweeps),
 * so that an event is written in the same statement as the change.
 */
export function webhookFanOutSql(source: string, at: string): string {
  return `wh_events AS (
        INSERT INTO webhook_events (id, type, act_id, service_center_id, payload, created_at)
        SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), s.type, s.act_id, s.service_center_id,
               jsonb_build_object('type', s.type, 'timestamp', ${ISO_SQL(at)}, 'data', s.data), ${at}
          FROM ${source} s
         ORDER BY s.ord
        RETURNING id, seq, type, act_id, service_center_id
      ), wh_deliveries AS (
        INSERT INTO webhook_deliveries (endpoint_id, event_id, act_id, next_attempt_at, created_at)
        SELECT w.id, e.id, e.act_id, ${at}, ${at}
          FROM wh_events e
          JOIN webhook_endpoints w
            ON (w.manager_id IS NOT NULL OR w.service_center_id = e.service_center_id)
           AND (w.events IS NULL OR e.type = ANY (w.events))
         ORDER BY e.seq, w.id
        RETURNING 1
      )`;
}

/** $1 the events (JSON), $2 the time. */
const RECORD = `
  WITH src AS (
    SELECT m.type, m.act_id, m.service_center_id, m.data, m.n AS ord
      FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (type text, act_id uuid, service_center_id uuid, data jsonb))
           WITH ORDINALITY AS m(type, act_id, service_center_id, data, n)
  ), ${webhookFanOutSql('src', '$2')}
  SELECT (SELECT count(*) FROM wh_events)::int AS events, (SELECT count(*) FROM wh_deliveries)::int AS deliveries`;

const ENDPOINT_COLUMNS = `id, service_center_id AS "serviceCenterId", manager_id AS "managerId", url, events, description, enabled,
  secret, previous_secret AS "previousSecret", previous_secret_until AS "previousSecretUntil", failing_since AS "failingSince",
  disabled_at AS "disabledAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The owner's predicate: by default $2 the service center, $3 the manager (one of them null). */
const owned = (sc = '$2', manager = '$3') =>
  `service_center_id IS NOT DISTINCT FROM ${sc}::uuid AND manager_id IS NOT DISTINCT FROM ${manager}::uuid`;
const OWNED = owned();

/** $1 service center, $2 manager, $3 url, $4 events, $5 description, $6 secret, $7 now. */
const INSERT_ENDPOINT = `
  INSERT INTO webhook_endpoints (service_center_id, manager_id, url, events, description, secret, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
  RETURNING ${ENDPOINT_COLUMNS}`;

const FIND_ENDPOINT = `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1 AND ${OWNED}`;

/** Newest first; $1/$2 the owner, $3/$4 the cursor (created_at, id) or nulls, $5 limit. */
const LIST_ENDPOINTS = `
  SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints
   WHERE ${owned('$1', '$2')} AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::uuid))
   ORDER BY created_at DESC, id DESC
   LIMIT $5`;

/** Every field at once (the service merges the patch); enabling again clears the failure and makes pending deliveries due now. */
const UPDATE_ENDPOINT = `
  UPDATE webhook_endpoints
     SET url = $4, events = $5, description = $6, enabled = $7,
         disabled_at = CASE WHEN $7 THEN NULL WHEN enabled THEN $8 ELSE disabled_at END,
         failing_since = CASE WHEN $7 AND NOT enabled THEN NULL ELSE failing_since END,
         updated_at = $8
   WHERE id = $1 AND ${OWNED}
  RETURNING ${ENDPOINT_COLUMNS}`;

const RESUME_DELIVERIES = `
  UPDATE webhook_deliveries SET next_attempt_at = $2, queued_at = NULL
   WHERE endpoint_id = $1 AND status = '${WebhookDeliveryStatus.Pending}'`;

const DELETE_ENDPOINT = `DELETE FROM webhook_endpoints WHERE id = $1 AND ${OWNED} RETURNING id`;

/** $4 new secret, $5 now, $6 until when the old one still signs. */
const ROTATE_SECRET = `
  UPDATE webhook_endpoints
     SET previous_secret = secret, previous_secret_until = $6, secret = $4, updated_at = $5
   WHERE id = $1 AND ${OWNED}
  RETURNING ${ENDPOINT_COLUMNS}`;

const DELIVERY_COLUMNS = `d.id, d.event_id AS "eventId", e.type AS event, d.act_id AS "actId", d.status, d.attempts,
  CASE WHEN d.status = '${WebhookDeliveryStatus.Pending}' THEN d.next_attempt_at END AS "nextAttemptAt",
  d.last_status_code AS "lastStatusCode", d.last_error AS "lastError", d.last_response_body AS "lastResponseBody",
  d.created_at AS "createdAt", d.delivered_at AS "deliveredAt"`;

/** One endpoint's deliveries, newest first; $2/$3 the cursor or nulls, $4 limit. */
const LIST_DELIVERIES = `
  SELECT ${DELIVERY_COLUMNS}
    FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
   WHERE d.endpoint_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2, $3::uuid))
   ORDER BY d.created_at DESC, d.id DESC
   LIMIT $4`;

/**
 * A manual retry: pending again, due now, one more attempt (the budget of a delivery that failed
 * for good becomes its attempts so far plus one). The webhook-id stays the event's id.
 */
const RETRY_DELIVERY = `
  UPDATE webhook_deliveries
     SET status = '${WebhookDeliveryStatus.Pending}', next_attempt_at = $3, queued_at = NULL, delivered_at = NULL,
         attempts_limit = CASE WHEN status = '${WebhookDeliveryStatus.Pending}' THEN attempts_limit ELSE attempts + 1 END
   WHERE id = $2 AND endpoint_id = $1
  RETURNING id`;

/**
 * Due pending deliveries of enabled endpoints that are first in their act's line for their
 * endpoint (no older pending one), never queued or queued before $2 (the job may be lost),
 * stamped queued at $1, oldest first. $3 batch size.
 */
const CLAIM_FOR_DISPATCH = `
  UPDATE webhook_deliveries SET queued_at = $1
   WHERE id IN (
     SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
      WHERE d.status = '${WebhookDeliveryStatus.Pending}' AND d.next_attempt_at <= $1 AND w.enabled
        AND (d.queued_at IS NULL OR d.queued_at < $2)
        AND NOT (d.act_id IS NOT NULL AND EXISTS (
          SELECT 1 FROM webhook_deliveries o
           WHERE o.endpoint_id = d.endpoint_id AND o.act_id = d.act_id AND o.status = '${WebhookDeliveryStatus.Pending}' AND o.seq < d.seq))
      ORDER BY d.seq
      LIMIT $3
      FOR UPDATE OF d SKIP LOCKED)
  RETURNING id, attempts, queued_at AS "queuedAt"`;

const LOCK_TIMEOUT = `SET LOCAL lock_timeout = '60s'`;

/**
 * Whether an older delivery of the same act to the same endpoint is still pending ($1 endpoint,
 * $2 act, $3 seq). A statement of its own, run once the row is locked: when the lock was waited
 * for, a new statement's snapshot sees what the transaction that held it committed (the locking
 * statement's own snapshot, under READ COMMITTED, would still see the older delivery pending).
 */
const WAITS_FOR_OLDER = `
  SELECT $2::uuid IS NOT NULL AND EXISTS (
           SELECT 1 FROM webhook_deliveries o
            WHERE o.endpoint_id = $1 AND o.act_id = $2 AND o.status = '${WebhookDeliveryStatus.Pending}' AND o.seq < $3::bigint
         ) AS waits`;

const LOCK_FOR_DELIVERY = `
  SELECT d.id, d.status, d.attempts, d.attempts_limit AS "attemptsLimit", d.next_attempt_at AS "nextAttemptAt",
         d.endpoint_id AS "endpointId", d.act_id AS "actId", d.seq::text AS seq, d.event_id AS "eventId", e.payload::text AS payload,
         w.url, w.secret, w.previous_secret AS "previousSecret", w.previous_secret_until AS "previousSecretUntil", w.enabled,
         w.failing_since AS "failingSince", w.service_center_id AS "serviceCenterId", w.manager_id AS "managerId"
    FROM webhook_deliveries d
    JOIN webhook_events e ON e.id = d.event_id
    JOIN webhook_endpoints w ON w.id = d.endpoint_id
   WHERE d.id = $1
     FOR UPDATE OF d`;

/** A job that will not send now: the dispatcher looks at the row again when it is due and first in line. */
const RELEASE = `UPDATE webhook_deliveries SET queued_at = NULL WHERE id = $1`;

/** $2 now, $3 status code, $4 body kept. */
const MARK_DELIVERED = `
  UPDATE webhook_deliveries
     SET status = '${WebhookDeliveryStatus.Delivered}', delivered_at = $2, attempts = attempts + 1,
         last_status_code = $3, last_error = NULL, last_response_body = $4, queued_at = NULL
   WHERE id = $1`;

/** $2 status code, $3 error, $4 body, $5 failed for good, $6 next attempt's time. */
const RECORD_FAILED_ATTEMPT = `
  UPDATE webhook_deliveries
     SET attempts = attempts + 1, last_status_code = $2, last_error = $3, last_response_body = $4,
         status = CASE WHEN $5 THEN '${WebhookDeliveryStatus.Failed}' ELSE status END,
         next_attempt_at = $6, queued_at = NULL
   WHERE id = $1`;

/** A job that gave up without recording it (it stalled too often): the row must say so. */
const MARK_FAILED = `
  UPDATE webhook_deliveries SET status = '${WebhookDeliveryStatus.Failed}', last_error = $2, queued_at = NULL
   WHERE id = $1 AND status = '${WebhookDeliveryStatus.Pending}'`;

/**
 * The next delivery of the same act to the same endpoint, once this one is settled: claimed at
 * once (queued at $2) when due, so a burst of changes to one act does not wait a poll per event.
 */
const CLAIM_NEXT_IN_LINE = `
  UPDATE webhook_deliveries SET queued_at = $2
   WHERE id = (
     SELECT o.id FROM webhook_deliveries o
      WHERE o.endpoint_id = $1 AND o.act_id = $3 AND o.status = '${WebhookDeliveryStatus.Pending}' AND o.seq > $4::bigint
      ORDER BY o.seq
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
     AND next_attempt_at <= $2
  RETURNING id, attempts, queued_at AS "queuedAt"`;

const ENDPOINT_SUCCEEDED = `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`;

/**
 * Records a failure on the endpoint; when it has been failing since before $3, disables it.
 * Returns whether this call disabled it.
 */
const ENDPOINT_FAILED = `
  UPDATE webhook_endpoints w
     SET failing_since = COALESCE(w.failing_since, $2),
         enabled = CASE WHEN w.failing_since <= $3 THEN false ELSE w.enabled END,
         disabled_at = CASE WHEN w.enabled AND w.failing_since <= $3 THEN $2 ELSE w.disabled_at END
    FROM webhook_endpoints o
   WHERE w.id = $1 AND o.id = w.id
  RETURNING o.enabled AND NOT w.enabled AS disabled, w.url, w.service_center_id AS "serviceCenterId", w.manager_id AS "managerId",
            w.failing_since AS "failingSince"`;

/** Deliveries created before $1, then events no delivery refers to any more (created before $1). */
const PURGE_DELIVERIES = `
  WITH gone AS (DELETE FROM webhook_deliveries WHERE created_at < $1 RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;
const PURGE_EVENTS = `
  WITH gone AS (
    DELETE FROM webhook_events e
     WHERE e.created_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
    RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

const COUNTS = `
  SELECT count(*) FILTER (WHERE status = '${WebhookDeliveryStatus.Pending}')::int AS pending,
         count(*) FILTER (WHERE status = '${WebhookDeliveryStatus.Delivered}')::int AS delivered,
         count(*) FILTER (WHERE status = '${WebhookDeliveryStatus.Failed}')::int AS failed,
         min(created_at) FILTER (WHERE status = '${WebhookDeliveryStatus.Pending}') AS "oldestPendingAt",
         (SELECT count(*) FROM webhook_endpoints WHERE NOT enabled)::int AS "disabledEndpoints"
    FROM webhook_deliveries`;

/** Longest error text and response body kept on a row. */
const MAX_ERROR_LENGTH = 2000;

const ownerParams = (owner: WebhookOwner) => [owner.serviceCenterId, owner.managerId];

export interface EndpointFailure {
  disabled: boolean;
  url: string;
  serviceCenterId: string | null;
  managerId: string | null;
  failingSince: Date;
}

/** A queued (or to-be-queued) send: the delivery and the attempt it is for (its job id). */
export interface DeliveryJob {
  id: string;
  attempts: number;
  /** When this claim queued it: a later claim of the same attempt (after a hold, a lost job) is another job. */
  queuedAt: Date;
}

/** The webhooks' SQL and nothing else: endpoints, events and their deliveries. */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes the events and their deliveries in the caller's transaction. */
  async record(tx: EntityManager, events: NewWebhookEvent[], at: Date): Promise<{ events: number; deliveries: number }> {
    const [row] = await preparedQuery<{ events: number; deliveries: number }>(tx, RECORD, [
      JSON.stringify(events.map((e) => ({ type: e.type, act_id: e.actId, service_center_id: e.serviceCenterId, data: e.data }))),
      at,
    ]);
    return row;
  }

  async insertEndpoint(
    owner: WebhookOwner,
    fields: { url: string; events: WebhookEventType[] | null; description: string | null; secret: string },
    now: Date,
  ): Promise<WebhookEndpoint> {
    const [row]: WebhookEndpoint[] = await this.db.query(INSERT_ENDPOINT, [
      owner.serviceCenterId,
      owner.managerId,
      fields.url,
      fields.events,
      fields.description,
      fields.secret,
      now,
    ]);
    return row;
  }

  async findEndpoint(id: string, owner: WebhookOwner): Promise<WebhookEndpoint | undefined> {
    const [row]: WebhookEndpoint[] = await this.db.query(FIND_ENDPOINT, [id, ...ownerParams(owner)]);
    return row;
  }

  /** limit + 1 rows, so the caller knows whether more follow. */
  async listEndpoints(owner: WebhookOwner, cursor: TimeCursor | undefined, limit: number): Promise<WebhookEndpoint[]> {
    return this.db.query(LIST_ENDPOINTS, [...ownerParams(owner), cursor?.t ?? null, cursor?.i ?? null, limit + 1]);
  }

  /** Writes the merged endpoint; enabling a disabled one makes its pending deliveries due now. */
  async updateEndpoint(
    id: string,
    owner: WebhookOwner,
    fields: Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'enabled'>,
    now: Date,
  ): Promise<WebhookEndpoint | undefined> {
    return this.db.transaction(async (tx) => {
      const [rows]: [WebhookEndpoint[], number] = await tx.query(UPDATE_ENDPOINT, [
        id,
        ...ownerParams(owner),
        fields.url,
        fields.events,
        fields.description,
        fields.enabled,
        now,
      ]);
      const [row] = rows;
      if (row && fields.enabled) await tx.query(RESUME_DELIVERIES, [id, now]);
      return row;
    });
  }

  async deleteEndpoint(id: string, owner: WebhookOwner): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.db.query(DELETE_ENDPOINT, [id, ...ownerParams(owner)]);
    return rows.length > 0;
  }

  async rotateSecret(id: string, owner: WebhookOwner, secret: string, now: Date, previousUntil: Date): Promise<WebhookEndpoint | undefined> {
    const [rows]: [WebhookEndpoint[], number] = await this.db.query(ROTATE_SECRET, [id, ...ownerParams(owner), secret, now, previousUntil]);
    return rows[0];
  }

  /** limit + 1 rows, newest first. */
  async listDeliveries(endpointId: string, cursor: TimeCursor | undefined, limit: number): Promise<WebhookDelivery[]> {
    return this.db.query(LIST_DELIVERIES, [endpointId, cursor?.t ?? null, cursor?.i ?? null, limit + 1]);
  }

  async retryDelivery(endpointId: string, deliveryId: string, now: Date): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.db.query(RETRY_DELIVERY, [endpointId, deliveryId, now]);
    return rows.length > 0;
  }

  async claimForDispatch(tx: EntityManager, now: Date, requeueBefore: Date, limit: number): Promise<DeliveryJob[]> {
    const [rows]: [DeliveryJob[], number] = await tx.query(CLAIM_FOR_DISPATCH, [now, requeueBefore, limit]);
    return rows;
  }

  /** Locks one delivery for the rest of `tx` (waiting at most 60 s for another holder). */
  async lockForDelivery(tx: EntityManager, id: string): Promise<LockedDelivery | undefined> {
    await tx.query(LOCK_TIMEOUT);
    const [row]: Omit<LockedDelivery, 'waitsForOlder'>[] = await tx.query(LOCK_FOR_DELIVERY, [id]);
    if (!row) return undefined;
    const [{ waits }]: { waits: boolean }[] = await tx.query(WAITS_FOR_OLDER, [row.endpointId, row.actId, row.seq]);
    return { ...row, waitsForOlder: waits };
  }

  async release(tx: EntityManager, id: string): Promise<void> {
    await tx.query(RELEASE, [id]);
  }

  async markDelivered(tx: EntityManager, id: string, at: Date, statusCode: number, body: string | null): Promise<void> {
    await tx.query(MARK_DELIVERED, [id, at, statusCode, body]);
  }

  async recordFailedAttempt(
    tx: EntityManager,
    id: string,
    failure: { statusCode: number | null; error: string; body: string | null; final: boolean; nextAttemptAt: Date },
  ): Promise<void> {
    await tx.query(RECORD_FAILED_ATTEMPT, [
      id,
      failure.statusCode,
      failure.error.slice(0, MAX_ERROR_LENGTH),
      failure.body,
      failure.final,
      failure.nextAttemptAt,
    ]);
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.db.query(MARK_FAILED, [id, reason.slice(0, MAX_ERROR_LENGTH)]);
  }

  /** Claims the next pending delivery of the act to the endpoint after `seq`, when it is due. */
  async claimNextInLine(
    tx: EntityManager,
    delivery: Pick<LockedDelivery, 'endpointId' | 'actId' | 'seq'>,
    now: Date,
  ): Promise<DeliveryJob | undefined> {
    if (!delivery.actId) return undefined;
    const [rows]: [DeliveryJob[], number] = await tx.query(CLAIM_NEXT_IN_LINE, [delivery.endpointId, now, delivery.actId, delivery.seq]);
    return rows[0];
  }

  async endpointSucceeded(tx: EntityManager, endpointId: string): Promise<void> {
    await tx.query(ENDPOINT_SUCCEEDED, [endpointId]);
  }

  /** Records a failure; disables the endpoint when it has been failing since before `disableBefore`. */
  async endpointFailed(tx: EntityManager, endpointId: string, now: Date, disableBefore: Date): Promise<EndpointFailure | undefined> {
    const [rows]: [EndpointFailure[], number] = await tx.query(ENDPOINT_FAILED, [endpointId, now, disableBefore]);
    return rows[0];
  }

  /** Deletes deliveries created before `before`, then the events left without a delivery. */
  async purge(before: Date): Promise<{ deliveries: number; events: number }> {
    const [{ n: deliveries }]: { n: number }[] = await this.db.query(PURGE_DELIVERIES, [before]);
    const [{ n: events }]: { n: number }[] = await this.db.query(PURGE_EVENTS, [before]);
    return { deliveries, events };
  }

  async counts(): Promise<WebhookCounts> {
    const [row]: WebhookCounts[] = await this.db.query(COUNTS);
    return row;
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const WEBHOOKS_SQL = {
  RECORD,
  INSERT_ENDPOINT,
  FIND_ENDPOINT,
  LIST_ENDPOINTS,
  UPDATE_ENDPOINT,
  RESUME_DELIVERIES,
  DELETE_ENDPOINT,
  ROTATE_SECRET,
  LIST_DELIVERIES,
  RETRY_DELIVERY,
  CLAIM_FOR_DISPATCH,
  LOCK_TIMEOUT,
  LOCK_FOR_DELIVERY,
  WAITS_FOR_OLDER,
  RELEASE,
  MARK_DELIVERED,
  RECORD_FAILED_ATTEMPT,
  MARK_FAILED,
  CLAIM_NEXT_IN_LINE,
  ENDPOINT_SUCCEEDED,
  ENDPOINT_FAILED,
  PURGE_DELIVERIES,
  PURGE_EVENTS,
  COUNTS,
};
