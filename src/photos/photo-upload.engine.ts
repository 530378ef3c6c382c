import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { detailMessage, ProblemException } from '../common/problem';
import { MAX_PHOTO_BYTES, PhotoInspector } from './photo-inspector';
import { PhotoStorage } from './storage/photo-storage';

/** A file as the photo upload leaves it on the request: stored, measured, recognised. */
export interface UploadedPhotoFile extends Express.Multer.File {
  key: string;
  sha256: string;
  /** Recognised from the bytes; the client's declared type is in `mimetype` and is ignored. */
  contentType: string;
}

/**
 * multer storage engine for photos: streams the file through the inspector into PhotoStorage,
 * so it is recognised, hashed and measured on the way and never held whole in memory.
 * A file over the limit stops being written at the limit; a wrong type at its first bytes.
 */
export class PhotoUploadEngine implements StorageEngine {
  constructor(private readonly storage: PhotoStorage) {}

  _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<UploadedPhotoFile>) => void): void {
    const source = file.stream;
    const inspector = new PhotoInspector();
    // multer answers 413 for the limit; stop writing right away instead of at the part's end.
    source.once('limit', () => inspector.destroy(photoTooLarge()));
    source.once('error', (error) => inspector.destroy(error));
    // The inspector may fail (wrong type) before the storage has attached to it; save() still
    // sees the error, as a stream remembers it.
    inspector.on('error', () => undefined);
    source.pipe(inspector);
    this.storage.save(inspector).then(
      ({ key, size }) => callback(null, { key, size, sha256: inspector.sha256, contentType: inspector.contentType }),
      (error: unknown) => {
        // Let the parser skip the rest of this file; multer then drains the request.
        source.unpipe(inspector);
        source.resume();
        callback(error);
      },
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    const key = (file as Partial<UploadedPhotoFile>).key;
    if (!key) return callback(null);
    this.storage.remove(key).then(() => callback(null), callback);
  }
}

export function photoTooLarge(): ProblemException {
  return new ProblemException(HttpStatus.PAYLOAD_TOO_LARGE, 'payload-too-large', detailMessage('photoTooLarge', { maxBytes: MAX_PHOTO_BYTES }), {
    maxBytes: MAX_PHOTO_BYTES,
  });
}
