import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Act } from '../acts/act.entity';
import { Principal } from '../common/auth/principal';
import { scopeToTenant } from '../common/tenant-scope';
import { ActPhoto } from './act-photo.entity';

/** Which of the given storage keys have a photo row. */
const KNOWN_STORAGE_KEYS = `SELECT storage_key FROM act_photos WHERE storage_key = ANY($1)`;

/** A page of every photo row in id order, after the given id: for check-photos. */
const PHOTO_ROWS_AFTER = `SELECT id, storage_key, size, sha256 FROM act_photos WHERE id > $1 ORDER BY id LIMIT $2`;

/** What a photo row says its stored object is. */
export interface StoredPhotoRow {
  id: string;
  storageKey: string;
  size: number;
  sha256: string;
}

export type NewPhoto = Omit<ActPhoto, 'id'>;

export interface PhotoForDownload {
  photo: ActPhoto;
  actNumber: string;
  /** 1 for the act's oldest photo of this kind. */
  ordinal: number;
}

/** The photos of acts (`act_photos`): their rows, never their bytes. */
@Injectable()
export class PhotosRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Writes a photo row in the caller's transaction; returns it with its id. */
  async insert(tx: EntityManager, fields: NewPhoto): Promise<ActPhoto> {
    const photo = tx.create(ActPhoto, fields);
    await tx.insert(ActPhoto, photo);
    return photo;
  }

  /**
   * A photo of the act, with its storage key, the act's number and the photo's place among the
   * act's photos of its kind (1 = oldest), if the act is the caller's (an SC's own, or any for a manager).
   */
  async findForDownload(actId: string, photoId: string, principal: Principal): Promise<PhotoForDownload | null> {
    const qb = this.db
      .createQueryBuilder(ActPhoto, 'p')
      .addSelect('p.storageKey')
      .addSelect('a.number', 'act_number')
      .addSelect(
        (sub) =>
          sub
            .select('count(*)')
            .from(ActPhoto, 'o')
            .where('o.act_id = p.act_id AND o.kind = p.kind AND (o.created_at, o.id) <= (p.created_at, p.id)'),
        'ordinal',
      )
      .innerJoin(Act, 'a', 'a.id = p.act_id')
      .where('p.id = :photoId AND p.act_id = :actId', { photoId, actId });
    const { entities, raw } = await scopeToTenant(qb, 'a.service_center_id', principal).getRawAndEntities<{ act_number: string; ordinal: string }>();
    if (!entities[0]) return null;
    return { photo: entities[0], actNumber: raw[0].act_number, ordinal: Number(raw[0].ordinal) };
  }

  /** A photo of the act, id and storage key only; the caller has the act locked. */
  findOfAct(tx: EntityManager, actId: string, photoId: string): Promise<Pick<ActPhoto, 'id' | 'storageKey'> | null> {
    return tx.findOne(ActPhoto, { where: { id: photoId, actId }, select: { id: true, storageKey: true } });
  }

  /** How many photos the act has (in the caller's transaction when given). */
  countOfAct(actId: string, tx?: EntityManager): Promise<number> {
    return (tx ?? this.db.manager).count(ActPhoto, { where: { actId } });
  }

  async delete(tx: EntityManager, id: string): Promise<void> {
    await tx.delete(ActPhoto, { id });
  }

  /** The storage keys among `keys` that a photo row points to. */
  async knownStorageKeys(keys: string[]): Promise<Set<string>> {
    const rows: { storage_key: string }[] = await this.db.query(KNOWN_STORAGE_KEYS, [keys]);
    return new Set(rows.map((row) => row.storage_key));
  }

  /** Up to `limit` photo rows after the id `after` (the nil UUID for the first page), in id order. */
  async rowsAfter(after: string, limit: number): Promise<StoredPhotoRow[]> {
    const rows: { id: string; storage_key: string; size: string; sha256: string }[] = await this.db.query(PHOTO_ROWS_AFTER, [after, limit]);
    return rows.map((row) => ({ id: row.id, storageKey: row.storage_key, size: Number(row.size), sha256: row.sha256 }));
  }
}

/** The fixed SQL texts above, for the snapshot test that shows every change of them as a diff. */
export const PHOTOS_SQL = { KNOWN_STORAGE_KEYS, PHOTO_ROWS_AFTER };
