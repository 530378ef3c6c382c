import type { Response } from 'express';
import type { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { Query, type PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** Rows received and not yet taken by the reader at which reading from the server pauses. */
const HIGH_WATER_ROWS = 1000;
/** Text gathered before it is handed to the response: fewer, larger writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A query's rows as they arrive, on a client of its own taken from TypeORM's pool, with
 * backpressure: when HIGH_WATER_ROWS rows wait for the reader, the client stops reading its socket
 * (TCP then holds the server back) until the reader takes them, so only about that many rows (and
 * the socket's buffers) are in memory, however many the query returns.
 *
 * One plain query, not a cursor: a portal fetched in batches (pg-query-stream) cannot use
 * Postgres' parallel plans, and measured 600 ms against 450 ms for the year-long compensation
 * lines (91 500 rows, npm run bench:reports).
 *
 * The client goes back to the pool when the rows are read to the end. When the reader stops early
 * (an error, a client that went away) its connection is destroyed instead: a server blocked on a
 * paused socket would not read a polite goodbye, a reset ends its query at once.
 */
export interface RowStream<T> extends AsyncIterable<T> {
  /** Ends the reading early: the query's connection is closed. Idempotent. */
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
  const socket = (client as PoolClient & { connection: { stream: Socket } }).connection.stream;
  const stop = (error: Error) => {
    if (released) return;
    socket.destroy();
    done(error);
  };
  const stopped = () => new Error('The rows were not read to the end');

  let waiting: T[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  /** The rows received since the last call (waiting for more when there are none); [] at the end. */
  const take = async (): Promise<T[]> => {
    while (waiting.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure;
    const rows = waiting;
    waiting = [];
    if (socket.isPaused()) socket.resume();
    return rows;
  };

  let first: T[];
  try {
    // One read-only transaction: one snapshot for the whole read, and no JIT compilation, which
    // costs more than it saves on these sub-second scans.
    await client.query('BEGIN READ ONLY');
    await client.query('SET LOCAL jit = off');
    const query = new Query(sql, params);
    query.on('row', (row) => {
      waiting.push(row as T);
      if (waiting.length >= HIGH_WATER_ROWS && !socket.isPaused()) socket.pause();
      signal();
    });
    query.on('end', () => {
      ended = true;
      signal();
    });
    query.on('error', (error: Error) => {
      failure = error;
      ended = true;
      signal();
    });
    client.query(query);
    // The first rows are read now, so that a failing query (a database that went away) fails the
    // request before any header is sent: it is answered as a problem, not as a cut-off body.
    first = await take();
  } catch (error) {
    stop(error as Error);
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
  if (first.length === 0) await finish();
  return {
    async *[Symbol.asyncIterator]() {
      let finished = first.length === 0;
      try {
        for (let rows = first; rows.length > 0; rows = await take()) yield* rows;
        finished = true;
        await finish();
      } finally {
        if (!finished) stop(stopped());
      }
    },
    close(error?: Error) {
      stop(error ?? stopped());
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
 * Sends a body made while it is read (streamed rows turned into JSON or CSV), with
 * backpressure: no more is read while the client has not taken what was sent. Once the first
 * bytes are out the status cannot change any more, so a failure mid-way is logged and the
 * connection cut (the client sees a truncated body, never a well-formed wrong one); a client that
 * goes away stops the reading (the generator is returned, its query's connection closed). Never throws.
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
