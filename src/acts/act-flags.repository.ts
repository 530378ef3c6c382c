import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { preparedQuery } from '../common/pool-query';

/** The integrity flags a manager sees on an act (API.md "Integrity flags"). */
export enum FlagType {
  /** Another submitted act, of any service center, with the same model and serial number within 24 months. */
  DuplicateSerial = 'duplicate_serial',
  /** A photo with the same SHA-256 on another submitted act. */
  DuplicatePhoto = 'duplicate_photo',
  /** The sale date plus the category's warranty term falls before the accepted date (never for pre-sale products). */
  OutOfWarranty = 'out_of_warranty',
}
export const FLAG_TYPES = Object.values(FlagType);

/** An act_flags row as the act view reads it (FLAGS_JSON). */
export interface ActFlagRow {
  type: FlagType;
  actIds: string[];
  details: { warrantyMonths?: number; warrantyEnd?: string } | null;
}

/** How far apart (by submission) two acts with the same serial number and model count as a duplicate. */
export const DUPLICATE_SERIAL_WINDOW = `interval '24 months'`;

/**
 * The act's flags as JSON, a correlated subquery over alias `a` (managers' views only).
 */
export const FLAGS_JSON = `(SELECT coalesce(json_agg(json_build_object('type', fl.type, 'actIds', fl.related_act_ids, 'details', fl.details)
    ORDER BY fl.type), '[]') FROM act_flags fl WHERE fl.act_id = a.id)`;

/**
 * Serialises flag computations that could see each other: one transaction-scoped advisory lock
 * per (model, serial number) and per photo SHA-256 of the act $1, taken in a stable order. Two
 * acts with the same serial number submitted at the same moment would otherwise each miss the
 * other (neither sees the other's uncommitted row); with the lock, the second computes after the
 * first has committed, in a statement that starts after the lock was granted.
 * It also sets plan_cache_mode for the rest of the transaction (ActFlagsRepository.lockKeys).
 * One act, not an array: the generic plan is then as good as a custom one, and Postgres stops
 * planning the statement for every call (an array's took 0.6 ms to plan, each time).
 */
export const LOCK_FLAG_KEYS_SQL = `SELECT count(pg_advisory_xact_lock(k.key))::int AS locked,
         set_config('plan_cache_mode', 'force_generic_plan', true) AS plan_cache_mode
    FROM (SELECT DISTINCT hashtextextended('act-flag:' || v.value, 0) AS key
            FROM (SELECT a.model_key || '|' || a.serial_key AS value FROM acts a
                   WHERE a.id = $1::uuid AND a.serial_key IS NOT NULL AND a.model_key IS NOT NULL
                  UNION
                  SELECT p.sha256 FROM act_photos p WHERE p.act_id = $1::uuid) v
           ORDER BY 1) k`;

/**
 * Recomputes every flag of the acts $1, set-based, in one statement: the flags that hold now are
 * upserted, the others deleted. Only submitted acts (submitted_at set: submitted, or any later
 * status, closed included) have flags and count as counterparts; drafts and withdrawn drafts never
 * do. Returns the acts on the other side of a duplicate, before or after (they must learn of the
 * change too: see ActFlags.recompute).
 * - duplicate_serial: same model_key and serial_key (Б/Н has none, so never matches), submitted
 *   within 24 months of each other, either way (so the relation is symmetric);
 * - duplicate_photo: a photo of the act has the SHA-256 of a photo of another act;
 * - out_of_warranty: not pre-sale, and sale date + the category's warranty_months < accepted date.
 */
export const REFRESH_FLAGS_SQL = `
  WITH target AS (
    SELECT a.id, a.model_key, a.serial_key, a.submitted_at, a.product
      FROM acts a
     WHERE a.id = ANY($1::uuid[]) AND a.submitted_at IS NOT NULL
  ), serial AS (
    SELECT t.id, array_agg(o.id ORDER BY o.submitted_at, o.id) AS ids
      FROM target t
      JOIN acts o ON o.model_key = t.model_key AND o.serial_key = t.serial_key AND o.id <> t.id
                 AND o.submitted_at IS NOT NULL
                 AND o.submitted_at > t.submitted_at - ${DUPLICATE_SERIAL_WINDOW}
                 AND o.submitted_at < t.submitted_at + ${DUPLICATE_SERIAL_WINDOW}
     WHERE t.serial_key IS NOT NULL AND t.model_key IS NOT NULL
     GROUP BY t.id
  ), photo AS (
    SELECT t.id, array_agg(DISTINCT o.act_id ORDER BY o.act_id) AS ids
      FROM target t
      JOIN act_photos p ON p.act_id = t.id
      JOIN act_photos o ON o.sha256 = p.sha256 AND o.act_id <> t.id
      JOIN acts oa ON oa.id = o.act_id AND oa.submitted_at IS NOT NULL
     GROUP BY t.id
  ), term AS (
    SELECT t.id, c.warranty_months,
           ((t.product->>'saleDate')::date + make_interval(months => c.warranty_months))::date AS warranty_end,
           (t.product->>'acceptedDate')::date AS accepted
      FROM target t
      JOIN product_categories c ON c.id::text = t.product->>'categoryId'
     WHERE coalesce(t.product->>'condition', '') <> 'pre_sale'
       AND t.product->>'saleDate' ~ '^\\d{4}-\\d{2}-\\d{2}$' AND t.product->>'acceptedDate' ~ '^\\d{4}-\\d{2}-\\d{2}$'
  ), fresh AS (
    SELECT id, '${FlagType.DuplicateSerial}' AS type, ids, NULL::jsonb AS details FROM serial
    UNION ALL
    SELECT id, '${FlagType.DuplicatePhoto}', ids, NULL::jsonb FROM photo
    UNION ALL
    SELECT id, '${FlagType.OutOfWarranty}', '{}'::uuid[],
           jsonb_build_object('warrantyMonths', warranty_months, 'warrantyEnd', to_char(warranty_end, 'YYYY-MM-DD'))
      FROM term WHERE warranty_end < accepted
  ), old AS (
    SELECT f.related_act_ids FROM act_flags f WHERE f.act_id = ANY($1::uuid[])
  ), removed AS (
    DELETE FROM act_flags f
     WHERE f.act_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM fresh n WHERE n.id = f.act_id AND n.type = f.type)
  ), saved AS (
    INSERT INTO act_flags (act_id, type, related_act_ids, details)
    SELECT id, type, ids, details FROM fresh
    ON CONFLICT (act_id, type) DO UPDATE SET related_act_ids = EXCLUDED.related_act_ids, details = EXCLUDED.details
     WHERE (act_flags.related_act_ids, act_flags.details) IS DISTINCT FROM (EXCLUDED.related_act_ids, EXCLUDED.details)
  )
  SELECT DISTINCT r.id
    FROM (SELECT unnest(related_act_ids) AS id FROM old UNION SELECT unnest(ids) FROM fresh) r
   WHERE r.id <> ALL($1::uuid[])`;

/** The integrity flags' SQL (`act_flags`), always in the caller's transaction. */
@Injectable()
export class ActFlagsRepository {
  /**
   * Takes the advisory locks of the act's serial number and photos (LOCK_FLAG_KEYS_SQL) and, in
   * the same statement, has Postgres plan the flags' prepared statements generically, once, until
   * planAsUsual or the transaction's end. Postgres would otherwise plan REFRESH_FLAGS_SQL anew
   * for every call, its custom plan for one act looking cheaper than the generic one: on the
   * bench database that planning was 1.7 ms a call, and the generic plan runs the whole
   * statement in 1.4 ms against the custom plan's 3.3 ms (planning included).
   */
  async lockKeys(tx: EntityManager, actId: string): Promise<void> {
    await preparedQuery(tx, LOCK_FLAG_KEYS_SQL, [actId]);
  }

  /** Lets Postgres choose between custom and generic plans again, for the rest of the transaction. */
  async planAsUsual(tx: EntityManager): Promise<void> {
    await tx.query('SET LOCAL plan_cache_mode = DEFAULT');
  }

  /** Recomputes the acts' flags (REFRESH_FLAGS_SQL); returns the other acts of their duplicates, old and new. */
  async refresh(tx: EntityManager, actIds: string[]): Promise<string[]> {
    const rows = await preparedQuery<{ id: string }>(tx, REFRESH_FLAGS_SQL, [actIds]);
    return rows.map((row) => row.id);
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const ACT_FLAGS_SQL = { FLAGS_JSON, LOCK_FLAG_KEYS_SQL, REFRESH_FLAGS_SQL };
