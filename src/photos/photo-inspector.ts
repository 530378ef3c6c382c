import { HttpStatus } from '@nestjs/common';
import { fileTypeFromBuffer } from 'file-type';
import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { detailMessage, ProblemException } from '../common/problem';

/** One photo, one file: at most 8 MB (domain.md). */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

/** What a photo may be, judged by its bytes: JPEG, PNG, WebP, HEIC/HEIF, PDF. */
export const PHOTO_CONTENT_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
  'application/pdf',
];

/** file-type reads at most this much of a file to recognise it. */
const SNIFF_BYTES = 4100;

export function unsupportedPhotoType(detected?: string): ProblemException {
  return new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-photo-type', detailMessage('photoType', { detected }), {
    allowed: PHOTO_CONTENT_TYPES,
    ...(detected ? { detected } : {}),
  });
}

/**
 * Passes an upload through while learning what it is: its type from its first bytes (nothing
 * goes on before the type is known, and a wrong type fails the stream at once), its size and
 * its SHA-256. Only the first few KB are ever held in memory.
 */
export class PhotoInspector extends Transform {
  size = 0;
  contentType: string | undefined;
  sha256: string | undefined;
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.contentType) return callback(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return callback();
    this.recognise().then(() => callback(), callback);
  }

  override _flush(callback: TransformCallback): void {
    (this.contentType ? Promise.resolve() : this.recognise()).then(() => {
      this.sha256 = this.hash.digest('hex');
      callback();
    }, callback);
  }

  private async recognise(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head = [];
    const type = await fileTypeFromBuffer(head.subarray(0, SNIFF_BYTES));
    if (!type || !PHOTO_CONTENT_TYPES.includes(type.mime)) throw unsupportedPhotoType(type?.mime);
    this.contentType = type.mime;
    this.push(head);
  }
}
