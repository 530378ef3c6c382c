import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PhotoStorage, ScannedObject, StoredObject, StoredObjectNotFound } from './photo-storage';

/** Keys look like `3f/3f2c…-uuid`: a fan-out folder keeps directories small. */
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FAN_OUT = /^[0-9a-f]{2}$/;
const PART = '.part';

/**
 * Photos as files under UPLOAD_DIR. A file is written as `<key>.part` and renamed into place
 * only when complete, so a reader never sees half a photo and a crash leaves only `.part` files.
 */
export class LocalDiskStorage extends PhotoStorage {
  private readonly root: string;

  constructor(root: string) {
    super();
    this.root = resolve(root);
  }

  async save(content: Readable): Promise<StoredObject> {
    const id = randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const path = this.pathOf(key);
    const partial = `${path}${PART}`;
    await mkdir(join(this.root, id.slice(0, 2)), { recursive: true });
    const out = createWriteStream(partial, { flags: 'wx' });
    try {
      await pipeline(content, out);
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return { key, size: out.bytesWritten };
  }

  async open(key: string): Promise<Readable> {
    if (!KEY.test(key)) throw new StoredObjectNotFound(key);
    // Open before answering, so that a missing file is a clean error and not a broken response.
    let handle;
    try {
      handle = await open(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StoredObjectNotFound(key);
      throw error;
    }
    return handle.createReadStream();
  }

  async remove(key: string, finished = true): Promise<void> {
    if (!KEY.test(key)) return;
    await rm(finished ? this.pathOf(key) : `${this.pathOf(key)}${PART}`, { force: true });
  }

  /** Walks the fan-out folders; files that are not ours (no key for a name) are left alone. */
  async *scan(before: Date): AsyncIterable<ScannedObject> {
    const folders = await readdir(this.root).catch(ifMissing([]));
    for (const folder of folders.filter((name) => FAN_OUT.test(name))) {
      for (const name of await readdir(join(this.root, folder)).catch(ifMissing([]))) {
        const finished = !name.endsWith(PART);
        const key = `${folder}/${finished ? name : name.slice(0, -PART.length)}`;
        if (!KEY.test(key)) continue;
        const stats = await stat(join(this.root, folder, name)).catch(ifMissing(undefined));
        if (stats && stats.mtime < before) yield { key, finished, size: stats.size };
      }
    }
  }

  private pathOf(key: string): string {
    return join(this.root, key);
  }
}

/** For a catch(): a file or folder gone meanwhile (removed by a request) gives `value`. */
function ifMissing<T>(value: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return value;
    throw error;
  };
}
