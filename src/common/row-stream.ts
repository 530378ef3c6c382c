import type { Response } from 'express';
import { pipeline, Readable } from 'node:stream';
import QueryStream from 'pg-query-stream';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Rows fetched from the server per round trip (a cursor's FETCH). */
const BATCH_ROWS = 500;
/** Text gathered before it is handed to the response: fewer, larger writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A query's rows, read through a server-side cursor (pg-query-stream) on a client of its own,
 * taken from TypeORM's pool: only one batch of rows is in memory at a time, however many the
 * query returns. The client goes back to the pool when the rows are read to the end; when the
 * reader stops early (an error, a client that went away) it is discarded instead, since a
 * cursor may still be open on it: the pool opens a fresh connection when it needs one.
 */
export interface RowStream<T> extends AsyncIterable<T> {
  /** Ends the reading early: the cursor is closed and the client discarded. Idempotent. */
  close(error?: Error): void;
}

export async function streamRows<T>(db: DataSource, sql: string, params: unknown[]): Promise<RowStream<T>> {
  const [client, release] = (await (db.driver as PostgresDriver).obtainMasterConnection()) as [PoolClient, (error?: unknown) => void];
  let released = false;
  const done = (error?: unknown) => {
    if (released) return;
    released = true;
    release(error);
  };
  const stopped = () => new Error('The rows were not read to the end');
  let stream: QueryStream;
  let rows: AsyncIterator<T>;
  let first: IteratorResult<T>;
  try {
    // One read-only transaction: one snapshot for the whole read, and no JIT compilation, which
    // costs more than it saves on these sub-second scans (and is not undone by a cursor).
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL jit = off');
    stream = client.query(new QueryStream(sql, params, { batchSize: BATCH_ROWS, highWaterMark: BATCH_ROWS }));
    stream.once('error', (error) => done(error));
    rows = stream[Symbol.asyncIterator]() as AsyncIterator<T>;
    // The first row is read now, so that a failing query (a database that went away) fails the
    // request before any header is sent: it is answered as a problem, not as a cut-off body.
    first = await rows.next();
  } catch (error) {
    done(error);
    throw error;
  }
  /** Read to the end: the transaction ends and the client goes back to the pool. */
  const finish = async () => {
    try {
      await client.query('COMMIT');
      done();
    } catch (error) {
      done(error);
    }
  };
  if (first.done) await finish();
  return {
    async *[Symbol.asyncIterator]() {
      let finished = Boolean(first.done);
      try {
        if (first.done) return;
        yield first.value;
        for (;;) {
          const next = await rows.next();
          if (next.done) break;
          yield next.value;
        }
        finished = true;
        await finish();
      } finally {
        if (!finished) {
          stream.destroy();
          done(stopped());
        }
      }
    },
    close(error?: Error) {
      if (released) return;
      stream.destroy();
      done(error ?? stopped());
    },
  };
}

/** The headers and the body of a report answered by streaming. */
export interface StreamedReport {
  format: 'json' | 'csv';
  /** The rows the body is made of: closed at once if the client goes away. */
  rows: RowStream<unknown>;
  body: AsyncIterable<string>;
  /** CSV: the attachment's file name. */
  fileName?: string;
}

/** Sends a streamed report: 200, its content type (and file name for CSV), then the body as it is made. */
export function sendReport(res: Response, report: StreamedReport, onError: (error: Error) => void): Promise<void> {
  res.status(200);
  if (report.format === 'csv') {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    if (report.fileName) res.setHeader('Content-Disposition', `attachment; filename="${report.fileName}"`);
  } else {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
  }
  return sendStreamed(res, report.body, report.rows, onError);
}

/**
 * Gathers small texts into chunks of about CHUNK_CHARS, so that a response gets few large
 * writes rather than one per row.
 */
export async function* chunked(parts: AsyncIterable<string>): AsyncGenerator<string> {
  let buffer = '';
  for await (const part of parts) {
    buffer += part;
    if (buffer.length >= CHUNK_CHARS) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/**
 * Sends a body made while it is read (rows of a cursor turned into JSON or CSV), with
 * backpressure: no more is read while the client has not taken what was sent. Once the first
 * bytes are out the status cannot change any more, so a failure mid-way is logged and the
 * connection cut (the client sees a truncated body, never a well-formed wrong one); a client that
 * goes away stops the reading (the generator is returned, its cursor closed). Never throws.
 */
export function sendStreamed(res: Response, body: AsyncIterable<string>, rows: RowStream<unknown>, onError: (error: Error) => void): Promise<void> {
  return new Promise((resolve) => {
    pipeline(Readable.from(chunked(body), { objectMode: false }), res, (error) => {
      // At once, not when the body's generator next wakes up: a client that went away frees the DB client now.
      if (error) rows.close(error);
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') onError(error);
      if (error && !res.destroyed) res.destroy();
      resolve();
    });
  });
}

/** A streamed body read whole (for callers that want the object, not the bytes). */
export async function collect(body: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const part of body) text += part;
  return text;
}
