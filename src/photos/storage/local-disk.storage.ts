import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PhotoStorage, StoredObject, StoredObjectNotFound } from './photo-storage';

/** Keys look like `3f/3f2c…-uuid`: a fan-out folder keeps directories small. */
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
    const partial = `${path}.part`;
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

  async remove(key: string): Promise<void> {
    if (!KEY.test(key)) return;
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    return join(this.root, key);
  }
}
