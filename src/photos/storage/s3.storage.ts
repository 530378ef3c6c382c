import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Config } from '../../config/env';
import { PhotoStorage, ScannedObject, StoredObject, StoredObjectNotFound, StorageUnavailable } from './photo-storage';

/** The same keys as on the local disk: `3f/3f2c…-uuid`. The object's name in the bucket is its key. */
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NO_ANSWER = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const log = new Logger('S3Storage');
const SPOOL_FILE = /^([0-9a-f]{2})-([0-9a-f-]{36})\.part$/;

/**
 * Photos in an S3-compatible bucket (AWS S3, MinIO, …).
 *
 * An upload is first spooled to a file of this machine's UPLOAD_DIR while the inspector
 * checks it (type, size, SHA-256), then sent with one PutObject whose length is known, streamed
 * from that file. So a photo never sits whole in memory (about 64 KB of it at a time), and a
 * refused (415, 413) or aborted upload never reaches the bucket at all. Why not a multipart
 * upload straight from the request: S3's parts are at least 5 MiB and need their length before
 * they are sent, so each upload in flight would hold 5 MiB in memory, 160 MB for 32 uploads;
 * a photo is at most 8 MB, well within one PutObject. A PutObject is all or nothing: a failure
 * or a crash leaves no partial object. A crash between it and the row's commit leaves an object
 * without a row, which the orphan purge removes; a crash while an upload is spooled leaves its
 * spool file, which scan() reports as unfinished.
 */
export class S3Storage extends PhotoStorage {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly spoolDir: string;

  /** `spoolDir`: where uploads are checked before they are sent (UPLOAD_DIR: a scratch folder with STORAGE=s3). */
  constructor(config: S3Config, spoolDir: string) {
    super();
    this.bucket = config.bucket;
    this.spoolDir = spoolDir;
    const agentOptions = { keepAlive: true, maxSockets: 128 };
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // Checksums only where S3 requires them: S3-compatible stores do not all take the SDK's
      // default trailing CRC32 on streamed bodies.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      // The SDK's own notes go to the service's log, not to the console.
      logger: {
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: (...m: unknown[]) => log.warn(m.join(' ')),
        error: (...m: unknown[]) => log.error(m.join(' ')),
      },
      requestHandler: {
        httpAgent: new HttpAgent(agentOptions),
        httpsAgent: new Agent(agentOptions),
        connectionTimeout: 5_000,
        requestTimeout: 60_000,
      },
    });
  }

  /** Nest calls this at shutdown: the keep-alive sockets to the store are closed. */
  onApplicationShutdown(): void {
    this.client.destroy();
  }

  async save(content: Readable): Promise<StoredObject> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const spool = this.spoolPathOf(key);
    await mkdir(this.spoolDir, { recursive: true });
    try {
      const out = createWriteStream(spool, { flags: 'wx' });
      // The inspector fails this pipeline on a wrong type or size: nothing has been sent yet.
      await pipeline(content, out);
      const size = out.bytesWritten;
      await this.call(() =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: createReadStream(spool),
            ContentLength: size,
            ContentType: 'application/octet-stream',
          }),
        ),
      );
      return { key, size };
    } finally {
      await rm(spool, { force: true });
    }
  }

  async open(key: string): Promise<Readable> {
    if (!KEY.test(key)) throw new StoredObjectNotFound(key);
    try {
      // The body starts streaming once the response's headers are in: a missing object is a clean error.
      const { Body } = await this.call(() => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })));
      if (!(Body instanceof Readable)) throw new Error(`GetObject ${key}: no stream in the answer`);
      return Body;
    } catch (error) {
      if (isMissing(error)) throw new StoredObjectNotFound(key);
      throw error;
    }
  }

  async remove(key: string, finished = true): Promise<void> {
    if (!KEY.test(key)) return;
    if (!finished) return rm(this.spoolPathOf(key), { force: true });
    // Deleting an object that is not there is a success in S3.
    await this.call(() => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  /** The bucket's objects with one of our keys, then this machine's spool files of uploads a crash interrupted. */
  async *scan(before: Date): AsyncIterable<ScannedObject> {
    let token: string | undefined;
    do {
      const page = await this.call(() =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token, MaxKeys: 1000 })),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key && KEY.test(object.Key) && object.LastModified && object.LastModified < before) {
          yield { key: object.Key, finished: true, size: object.Size };
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const names = await readdir(this.spoolDir).catch(() => [] as string[]);
    for (const name of names) {
      const match = SPOOL_FILE.exec(name);
      if (!match) continue;
      const stats = await stat(join(this.spoolDir, name)).catch(() => undefined);
      if (stats && stats.mtime < before) yield { key: `${match[1]}/${match[2]}`, finished: false };
    }
  }

  /** A request to the store; no answer, or a server's error, becomes StorageUnavailable (503). */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isUnavailable(error)) throw new StorageUnavailable(error);
      throw error;
    }
  }

  private spoolPathOf(key: string): string {
    return join(this.spoolDir, `${key.replace('/', '-')}.part`);
  }
}

function isUnavailable(error: unknown): boolean {
  if (error instanceof S3ServiceException) return error.$fault === 'server' || error.name === 'SlowDown';
  // No answer at all: the connection refused, reset or timed out.
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if ((typeof code === 'string' && NO_ANSWER.has(code)) || name === 'TimeoutError') return true;
  // The SDK wraps what is not an Error of its realm (seen under jest) as "AWS SDK error wrapper for Error: connect ECONNREFUSED …".
  return typeof message === 'string' && [...NO_ANSWER].some((c) => message.includes(c));
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata?.httpStatusCode === 404))
  );
}
