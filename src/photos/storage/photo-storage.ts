import type { Readable } from 'node:stream';

/** What a storage made of a stream: the key to find it again and how many bytes it holds. */
export interface StoredObject {
  key: string;
  size: number;
}

/** An object found by a scan: finished, or the remains of a write that never finished. */
export interface ScannedObject {
  key: string;
  finished: boolean;
  /** Its size in bytes, when the listing tells (finished objects). */
  size?: number;
}

/** The stored object is gone (or the key was never one of ours). */
export class StoredObjectNotFound extends Error {
  constructor(readonly key: string) {
    super(`No stored object under the key ${JSON.stringify(key)}`);
    this.name = 'StoredObjectNotFound';
  }
}

/**
 * The store did not answer, or answered that it cannot serve now (S3's 5xx, SlowDown): the API
 * answers 503 (see common/dependency-errors), the request may be retried.
 */
export class StorageUnavailable extends Error {
  constructor(readonly cause: unknown) {
    super(`The photo store is unavailable: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'StorageUnavailable';
  }
}

/**
 * Where photo bytes live. Keys are made by the storage, never from a client's file name.
 * Two implementations, chosen by STORAGE: the local disk (LocalDiskStorage) and an S3-compatible
 * bucket (S3Storage).
 */
export abstract class PhotoStorage {
  /**
   * Stores a stream under a new key. If the stream fails (too large, wrong type, client gone),
   * nothing is left behind and the stream's error is rethrown.
   */
  abstract save(content: Readable): Promise<StoredObject>;

  /** The bytes of a stored object; StoredObjectNotFound when there is none. */
  abstract open(key: string): Promise<Readable>;

  /**
   * Removes a stored object (or, with `finished` false, what an interrupted write left of it);
   * removing one that is already gone is not an error.
   */
  abstract remove(key: string, finished?: boolean): Promise<void>;

  /** Every object last written before `before`, finished or not: for the orphan clean-up. */
  abstract scan(before: Date): AsyncIterable<ScannedObject>;
}
