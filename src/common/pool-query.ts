import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * One read outside any transaction, straight on TypeORM's pool (`pg`'s Pool.query): the same
 * connections, the same row parsing, without a QueryRunner made and released per call. For the
 * hottest reads only (GET /acts/:id): `npm run bench` measured TypeORM's way 5 % slower per
 * request. Errors are pg's own, which isDependencyDown recognises as TypeORM's.
 *
 * With a `name`, the statement is prepared once per connection and its plan kept: planning the
 * act's read (its subqueries for parts, photos, invoice, flags) cost Postgres more than running
 * it, and GET /acts/:id served 1.7× the requests once it was prepared. A name must always come
 * with the same text. (A connection pooler in front of Postgres must then keep prepared
 * statements per client: PgBouncer in transaction mode needs `max_prepared_statements`.)
 */
export async function poolQuery<T>(db: DataSource, sql: string, params: unknown[], name?: string): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  return (await pool.query(name ? { name, text: sql, values: params } : { text: sql, values: params })).rows as T[];
}
