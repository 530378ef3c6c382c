import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { PhotosRepository, StoredPhotoRow } from './photos.repository';
import { PhotoStorage, StoredObjectNotFound } from './storage/photo-storage';

/** Photo rows read, and stored objects hashed, at once. */
const PAGE = 500;
const PARALLEL = 4;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** One thing check-photos found wrong (or, for `unreferenced`, worth a look). */
export type PhotoCheckFinding =
  | { kind: 'missing'; photoId: string; key: string }
  | { kind: 'size'; photoId: string; key: string; expected: number; actual: number }
  | { kind: 'sha256'; photoId: string; key: string; expected: string; actual: string }
  | { kind: 'unreferenced'; key: string; size?: number };

export interface PhotoCheckSummary {
  rows: number;
  objects: number;
  missing: number;
  mismatched: number;
  unreferenced: number;
}

/**
 * `cli check-photos`: every photo row has its stored object with the size and SHA-256 the row
 * says (each object read whole and hashed, a few at a time), and every stored object (finished
 * writes) has a row. Works on either store through PhotoStorage.
 */
@Injectable()
export class PhotoCheck {
  constructor(
    private readonly photos: PhotosRepository,
    private readonly storage: PhotoStorage,
  ) {}

  async run(report: (finding: PhotoCheckFinding) => void): Promise<PhotoCheckSummary> {
    const summary: PhotoCheckSummary = { rows: 0, objects: 0, missing: 0, mismatched: 0, unreferenced: 0 };
    const startedAt = new Date();
    for (let after = NIL_UUID; ;) {
      const rows = await this.photos.rowsAfter(after, PAGE);
      if (rows.length === 0) break;
      for (let i = 0; i < rows.length; i += PARALLEL) {
        const findings = await Promise.all(rows.slice(i, i + PARALLEL).map((row) => this.check(row)));
        for (const finding of findings) {
          if (!finding) continue;
          if (finding.kind === 'missing') summary.missing += 1;
          else summary.mismatched += 1;
          report(finding);
        }
      }
      summary.rows += rows.length;
      after = rows[rows.length - 1].id;
    }
    // Objects written since the check started may be uploads whose row is not committed yet.
    let batch: { key: string; size?: number }[] = [];
    const flush = async () => {
      const known = await this.photos.knownStorageKeys(batch.map((o) => o.key));
      for (const object of batch.filter((o) => !known.has(o.key))) {
        summary.unreferenced += 1;
        report({ kind: 'unreferenced', key: object.key, size: object.size });
      }
      batch = [];
    };
    for await (const object of this.storage.scan(startedAt)) {
      if (!object.finished) continue;
      summary.objects += 1;
      batch.push(object);
      if (batch.length === PAGE) await flush();
    }
    if (batch.length) await flush();
    return summary;
  }

  private async check(row: StoredPhotoRow): Promise<PhotoCheckFinding | undefined> {
    const base = { photoId: row.id, key: row.storageKey };
    let size = 0;
    const hash = createHash('sha256');
    try {
      for await (const chunk of await this.storage.open(row.storageKey)) {
        size += (chunk as Buffer).length;
        hash.update(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof StoredObjectNotFound) return { kind: 'missing', ...base };
      throw error;
    }
    if (size !== row.size) return { kind: 'size', ...base, expected: row.size, actual: size };
    const sha256 = hash.digest('hex');
    if (sha256 !== row.sha256) return { kind: 'sha256', ...base, expected: row.sha256, actual: sha256 };
    return undefined;
  }
}
