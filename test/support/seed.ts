import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';

// Test data written straight into the tables, for integration specs that need rows in a given
// state (an act waiting for a reply, delivered parts) without going through the steps a user
// would. All test SQL lives here, so a schema change is fixed in one place.

type Db = DataSource | EntityManager;

export interface SeededServiceCenter {
  id: string;
  name: string;
  email: string;
  /** The responsible manager. */
  managerId?: string | null;
}

export async function seedServiceCenter(db: Db, overrides: Partial<Omit<SeededServiceCenter, 'id'>> = {}): Promise<SeededServiceCenter> {
  const tag = randomBytes(4).toString('hex');
  const [row]: SeededServiceCenter[] = await db.query(
    `INSERT INTO service_centers (name, email, city, manager_id) VALUES ($1, $2, 'Москва', $3)
     RETURNING id, name, email, manager_id AS "managerId"`,
    [overrides.name ?? `СЦ ${tag}`, overrides.email ?? `sc-${tag}@example.com`, overrides.managerId ?? null],
  );
  return row;
}

export interface SeededManager {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

export async function seedManager(db: Db, overrides: Partial<Omit<SeededManager, 'id'>> = {}): Promise<SeededManager> {
  const tag = randomBytes(4).toString('hex');
  const [row]: SeededManager[] = await db.query(
    `INSERT INTO managers (name, email, phone, office) VALUES ($1, $2, $3, 'Москва') RETURNING id, name, email, phone`,
    [overrides.name ?? `Менеджер ${tag}`, overrides.email ?? `manager-${tag}@example.com`, overrides.phone ?? null],
  );
  return row;
}

export interface SeededAct {
  id: string;
  number: string;
  status: string;
  version: number;
}

export interface ActState {
  status: 'draft' | 'submitted' | 'info_requested' | 'approved' | 'parts_shipped' | 'parts_delivered' | 'part_mismatch';
  replyDeadline?: Date | null;
  mismatchDeadline?: Date | null;
  remindedDeadline?: Date | null;
}

/** An act of `serviceCenterId` in `state`, numbered like real ones (ACT-<year>-<6 digits>). */
export async function seedAct(db: Db, serviceCenterId: string, state: ActState): Promise<SeededAct> {
  const [row]: SeededAct[] = await db.query(
    `WITH n AS (
       INSERT INTO act_number_counters (year, last_value) VALUES (extract(year FROM now())::int, 1)
       ON CONFLICT (year) DO UPDATE SET last_value = act_number_counters.last_value + 1
       RETURNING year, last_value AS seq
     )
     INSERT INTO acts (number, year, seq, service_center_id, status, reply_deadline, mismatch_deadline, reminded_deadline,
                       product, submitted_at)
     SELECT 'ACT-' || n.year || '-' || lpad(n.seq::text, 6, '0'), n.year, n.seq, $1, $2, $3, $4, $5,
            '{"model": "ЭГК-1500 Энергопром", "serialNumber": "01.234.09274"}', CASE WHEN $2 <> 'draft' THEN now() END
       FROM n
     RETURNING id, number, status, version`,
    [serviceCenterId, state.status, state.replyDeadline ?? null, state.mismatchDeadline ?? null, state.remindedDeadline ?? null],
  );
  return row;
}

export async function actRow(db: Db, id: string) {
  const [row] = await db.query(`SELECT * FROM acts WHERE id = $1`, [id]);
  return row;
}

export const actHistory = (db: Db, actId: string) => db.query(`SELECT * FROM act_history WHERE act_id = $1 ORDER BY id`, [actId]);

export const actComments = (db: Db, actId: string) => db.query(`SELECT * FROM act_comments WHERE act_id = $1 ORDER BY created_at, id`, [actId]);

export const actNotifications = (db: Db, actId: string) => db.query(`SELECT * FROM notifications WHERE act_id = $1 ORDER BY created_at, id`, [actId]);

export const notificationRows = (db: Db, ids: string[]) =>
  db.query(`SELECT * FROM notifications WHERE id = ANY($1::uuid[]) ORDER BY created_at, id`, [ids]);

/** How many rows each table the sweeps write to holds, and the sum of act versions. */
export async function rowCounts(db: Db): Promise<{ history: number; comments: number; notifications: number; versions: number }> {
  const [row] = await db.query(
    `SELECT (SELECT count(*) FROM act_history)::int AS history, (SELECT count(*) FROM act_comments)::int AS comments,
            (SELECT count(*) FROM notifications)::int AS notifications, (SELECT coalesce(sum(version), 0) FROM acts)::int AS versions`,
  );
  return row;
}

/** Marks outbox rows sent or failed, as the sender would. */
export async function setNotificationState(db: Db, ids: string[], state: 'sent' | 'failed'): Promise<void> {
  await db.query(`UPDATE notifications SET state = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE id = ANY($1::uuid[])`, [ids, state]);
}

/**
 * Empties the outbox and the acts (with their history, comments, parts and photos) between
 * tests. DELETE rather than TRUNCATE: on a few rows it is many times faster.
 */
export async function clearActs(db: Db): Promise<void> {
  await db.query(`DELETE FROM notifications`);
  await db.query(`DELETE FROM acts`);
}

export interface SeededPart {
  name: string;
  quantity: number;
  ownPart: boolean;
  /** Roubles, "150.50", or null. */
  unitPrice: string | null;
}

/** Replaces an act's parts list. */
export async function setActParts(db: Db, actId: string, parts: SeededPart[]): Promise<void> {
  await db.query(`DELETE FROM act_parts WHERE act_id = $1`, [actId]);
  for (const [position, p] of parts.entries()) {
    await db.query(`INSERT INTO act_parts (act_id, position, name, quantity, own_part, unit_price) VALUES ($1, $2, $3, $4, $5, $6)`, [
      actId,
      position,
      p.name,
      p.quantity,
      p.ownPart,
      p.unitPrice,
    ]);
  }
}

/** Closes an act as `resolution` at `closedAt` (kind warranty unless told), as a manager or the SC would. */
export async function closeAct(db: Db, actId: string, closedAt: Date, resolution = 'repaired', kind = 'warranty'): Promise<void> {
  await db.query(`UPDATE acts SET status = 'closed', resolution = $2, kind = $3, closed_at = $4, version = version + 1 WHERE id = $1`, [
    actId,
    resolution,
    kind,
    closedAt,
  ]);
}

/** Reopens a closed act (to `submitted`), as a manager would; its settlement, if any, stays. */
export async function reopenAct(db: Db, actId: string): Promise<void> {
  await db.query(`UPDATE acts SET status = 'submitted', resolution = NULL, closed_at = NULL, version = version + 1 WHERE id = $1`, [actId]);
}

/** Empties the acts (see clearActs) and the compensation settlements that took them. */
export async function clearSettlements(db: Db): Promise<void> {
  await clearActs(db);
  await db.query(`DELETE FROM compensation_settlements`);
}
