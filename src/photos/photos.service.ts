import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { detailMessage, Problems } from '../common/problem';
import { texts } from '../messages/messages';
import { ActFlags } from '../acts/act-flags.service';
import { ActLifecycle } from '../acts/act-lifecycle.service';
import { ActAction, transitionFor } from '../acts/act-status';
import { PhotoView, toPhotoView } from '../acts/act.view';
import { ActsRepository } from '../acts/acts.repository';
import { actorOf } from '../acts/actor';
import { ActPhoto } from './act-photo.entity';
import { downloadFileName, sanitiseFileName } from './file-name';
import { PhotosRepository } from './photos.repository';
import { PhotoUploadInput } from './photo-upload.input';
import { PhotoStorage, StoredObjectNotFound } from './storage/photo-storage';

/** The most photos one act may have. */
export const MAX_PHOTOS_PER_ACT = 50;

export interface PhotoDownload {
  photo: ActPhoto;
  /** `<act number>-<kind>-<n>.<ext>`: see downloadFileName. */
  fileName: string;
  content: Readable;
}

@Injectable()
export class PhotosService {
  private readonly logger = new Logger(PhotosService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly acts: ActsRepository,
    private readonly lifecycle: ActLifecycle,
    private readonly flags: ActFlags,
    private readonly photos: PhotosRepository,
    private readonly storage: PhotoStorage,
    private readonly clock: Clock,
  ) {}

  /** 404 unless the act is the caller's; 409 unless its status takes a photo from the caller now. */
  async assertCanAdd(actId: string, principal: Principal): Promise<void> {
    const act = await this.acts.findState(actId, principal);
    if (!act) throw Problems.notFound('act');
    transitionFor(act, ActAction.AddPhoto, actorOf(principal).role);
    await this.assertBelowLimit(actId);
  }

  /** 409 `photo-limit` once the act has MAX_PHOTOS_PER_ACT photos. */
  private async assertBelowLimit(actId: string, tx?: EntityManager): Promise<void> {
    if ((await this.photos.countOfAct(actId, tx)) < MAX_PHOTOS_PER_ACT) return;
    throw Problems.conflict('photo-limit', detailMessage('photoLimit', { max: MAX_PHOTOS_PER_ACT }), {
      maxPhotos: MAX_PHOTOS_PER_ACT,
    });
  }

  /**
   * Records a stored upload on its act, under the act's lock: the status is asked again, the
   * version goes up, and an SC's photo on an info_requested act answers it. If anything fails,
   * the stored file is removed.
   */
  async add(actId: string, principal: Principal, { kind, file }: PhotoUploadInput): Promise<PhotoView> {
    try {
      return await this.db.transaction(async (tx) => {
        const act = await this.lifecycle.lock(tx, actId, principal);
        const actor = actorOf(principal);
        this.lifecycle.check(act, ActAction.AddPhoto, actor);
        // Asked again under the act's lock: concurrent uploads cannot pass the limit together.
        await this.assertBelowLimit(act.id, tx);
        const photo = await this.photos.insert(tx, {
          actId: act.id,
          kind,
          fileName: sanitiseFileName(file.originalname, kind, file.contentType),
          contentType: file.contentType,
          size: file.size,
          sha256: file.sha256,
          storageKey: file.key,
          createdAt: this.clock.now(),
        });
        await this.lifecycle.touch(tx, act);
        await this.lifecycle.follow(tx, act, ActAction.AddPhoto, actor, texts.reason.answeredByPhoto(texts.photoName[kind]));
        if (act.submittedAt) await this.flags.recompute(tx, act.id);
        return toPhotoView(photo);
      });
    } catch (error) {
      await this.discard(file.key);
      throw error;
    }
  }

  /** A photo's metadata and bytes; 404 for another SC's act or a photo of another act. */
  async open(actId: string, photoId: string, principal: Principal): Promise<PhotoDownload> {
    const found = await this.photos.findForDownload(actId, photoId, principal);
    if (!found) throw Problems.notFound('photo');
    const { photo } = found;
    const fileName = downloadFileName(found.actNumber, photo.kind, found.ordinal, photo.contentType);
    try {
      return { photo, fileName, content: await this.storage.open(photo.storageKey) };
    } catch (error) {
      if (!(error instanceof StoredObjectNotFound)) throw error;
      this.logger.warn({ photoId, key: photo.storageKey }, 'A photo row has no stored file');
      throw Problems.notFound('photoFile');
    }
  }

  /** Deletes a photo; its file goes once the transaction has committed. */
  async remove(actId: string, photoId: string, principal: Principal): Promise<void> {
    const key = await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, actId, principal);
      this.lifecycle.check(act, ActAction.DeletePhoto, actorOf(principal));
      const photo = await this.photos.findOfAct(tx, act.id, photoId);
      if (!photo) throw Problems.notFound('photo');
      await this.photos.delete(tx, photo.id);
      await this.lifecycle.touch(tx, act);
      if (act.submittedAt) await this.flags.recompute(tx, act.id);
      return photo.storageKey;
    });
    await this.discard(key);
  }

  /** Removes a stored file; a failure is logged, as the row is already gone or was never written. */
  private async discard(key: string): Promise<void> {
    try {
      await this.storage.remove(key);
    } catch (error) {
      this.logger.error({ err: error, key }, 'Could not remove a stored photo file');
    }
  }
}
