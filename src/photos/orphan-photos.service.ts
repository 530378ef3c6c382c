import { Injectable, Logger } from '@nestjs/common';
import { PhotosRepository } from './photos.repository';
import { PhotoStorage } from './storage/photo-storage';

/** Stored keys asked about at once. */
const BATCH = 500;

/**
 * Removes what no photo row points to: the remains of uploads a crash interrupted, and finished
 * files whose row was never committed (the process died between the two). Only objects older
 * than the `before` given are looked at, so uploads in flight are never touched.
 */
@Injectable()
export class OrphanPhotos {
  private readonly logger = new Logger(OrphanPhotos.name);

  constructor(
    private readonly photos: PhotosRepository,
    private readonly storage: PhotoStorage,
  ) {}

  async purge(before: Date): Promise<{ unfinished: number; unreferenced: number }> {
    let unfinished = 0;
    let unreferenced = 0;
    let batch: string[] = [];
    const removeUnreferenced = async () => {
      const known = await this.photos.knownStorageKeys(batch);
      for (const key of batch.filter((k) => !known.has(k))) {
        await this.storage.remove(key);
        unreferenced += 1;
      }
      batch = [];
    };
    for await (const object of this.storage.scan(before)) {
      if (!object.finished) {
        await this.storage.remove(object.key, false);
        unfinished += 1;
        continue;
      }
      batch.push(object.key);
      if (batch.length === BATCH) await removeUnreferenced();
    }
    if (batch.length) await removeUnreferenced();
    if (unfinished || unreferenced) {
      this.logger.log(`Removed ${unfinished} unfinished uploads and ${unreferenced} stored photos without a row`);
    }
    return { unfinished, unreferenced };
  }
}
