import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * One read outside any transaction, straight on TypeORM's pool (`pg`'s Pool.query): the same
 * connections, the same row parsing, without a QueryRunner made and released per call. For the
 * hottest reads only (GET /acts/:id): `npm run bench` measured TypeORM's way 5 % slower per
 * request. Errors are pg's own, which isDependencyDown recognises as TypeORM's.
 *
 * With `prepare`, the statement is prepared once per connection (see preparedQuery).
 */
export async function poolQuery<T>(db: DataSource, sql: string, params: unknown[], prepare = false): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  return (await pool.query(prepare ? { name: statementName(sql), text: sql, values: params } : { text: sql, values: params })).rows as T[];
}

/**
 * A statement of fixed text, prepared once per connection and run by name after that, in the
 * caller's transaction when `manager` has one (else on the pool). Postgres parses and plans it
 * once per connection instead of on every call: planning the act's read (its subqueries for
 * parts, photos, invoice, flags) cost Postgres more than running it, and GET /acts/:id served
 * 1.7× the requests once it was prepared; filing's statements gained likewise.
 *
 * Only for SQL that is a constant: every distinct text is one prepared statement per connection
 * for the connection's life. Returns the rows. Errors are pg's own, not TypeORM's
 * QueryFailedError (isDependencyDown recognises both). A connection pooler in
 * front of Postgres must keep prepared statements per client (PgBouncer in transaction mode:
 * `max_prepared_statements`).
 */
export async function preparedQuery<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  const client: Pool | PoolClient = runner
    ? ((await runner.connect()) as PoolClient)
    : ((manager.dataSource.driver as PostgresDriver).master as Pool);
  return (await client.query({ name: statementName(sql), text: sql, values: params })).rows as T[];
}

const names = new Map<string, string>();

/** The name a text is prepared under: a digest of the text, so that one name never means two texts. */
function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) names.set(sql, (name = `s_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`));
  return name;
}
