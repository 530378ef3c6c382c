import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { defer, from, Observable, throwError } from 'rxjs';
import { catchError, concatMap, mergeMap } from 'rxjs/operators';
import { canonicalJson, fingerprintOf, IDEMPOTENCY_HEADER, IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor';
import type { UploadedPhotoFile } from './photo-upload.engine';
import { PhotoStorage } from './storage/photo-storage';

/**
 * Idempotency of a photo upload, decided once the upload has been read: "the same body" is the
 * same fields and the same file, byte for byte (its SHA-256 and size, measured while it
 * streamed to storage) under the same name. The raw multipart bytes are not compared, since
 * a client repeating an upload picks a new boundary. When the upload does not reach the
 * handler (a replay, another body under the key, a copy still running), its stored file is
 * removed again, before the answer goes out: a client that reads the store after a 422 never
 * finds it.
 */
@Injectable()
export class IdempotentUploadInterceptor implements NestInterceptor {
  constructor(
    private readonly idempotency: IdempotencyInterceptor,
    private readonly storage: PhotoStorage,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.headers[IDEMPOTENCY_HEADER] === undefined || !request.principal) return next.handle();
    const file = request.file as UploadedPhotoFile | undefined;
    const fields: unknown = request.body ?? {};
    const content = file ? { field: file.fieldname, name: file.originalname, size: file.size, sha256: file.sha256 } : null;
    const fingerprint = fingerprintOf(request, `multipart ${canonicalJson({ fields, file: content })}`);
    let handled = false;
    const handler: CallHandler = { handle: () => defer(() => ((handled = true), next.handle())) };
    const removeIfUnhandled = async () => {
      if (!handled && file?.key) await this.storage.remove(file.key).catch(() => undefined);
    };
    return this.idempotency.run(context, handler, fingerprint).pipe(
      concatMap(async (value) => {
        await removeIfUnhandled();
        return value;
      }),
      catchError((error: unknown) => from(removeIfUnhandled()).pipe(mergeMap(() => throwError(() => error)))),
    );
  }
}
