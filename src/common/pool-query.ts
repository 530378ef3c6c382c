import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * One read outside any transaction, straight on TypeORM's pool (`pg`'s Pool.query): the same
 * connections, the same row parsing, without a QueryRunner made and released per call. For the
 * hottest reads only (GET /acts/:id): `npm run bench` measured TypeORM's way 5 % slower per
 * request. Errors are pg's own, which isDependencyDown recognises as TypeORM's.
 */
export async function poolQuery<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  const pool = (db.driver as PostgresDriver).master as Pool;
  return (await pool.query(sql, params)).rows as T[];
}
