import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, Observable, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { Principal } from '../common/auth/principal';
import { detailMessage, fieldMessage, ProblemException, Problems } from '../common/problem';
import { photoTooLarge } from './photo-upload.engine';
import { PhotosService } from './photos.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Runs before the upload is read: an act that is not the caller's (404) or that takes no photo
 * now (409), or a body that is not multipart (415), is refused before a byte is stored.
 * The service checks again under the act's lock; this only spares the upload.
 */
@Injectable()
export class PhotoUploadGate implements NestInterceptor {
  constructor(private readonly photos: PhotosService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const actId = request.params.id;
    if (typeof actId !== 'string' || !UUID.test(actId)) {
      throw Problems.badRequest(detailMessage('actIdNotUuid'), [{ field: 'id', message: fieldMessage('isUUID') }]);
    }
    return from(this.photos.assertCanAdd(actId, request.principal as Principal)).pipe(
      mergeMap(() => {
        if (!request.is('multipart/form-data')) {
          throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'unsupported-media-type', detailMessage('photoMultipart'));
        }
        return next.handle();
      }),
      // multer decides the size while streaming; say what the limit is.
      catchError((error: unknown) =>
        throwError(() => ((error as { cause?: { code?: string } })?.cause?.code === 'LIMIT_FILE_SIZE' ? photoTooLarge() : error)),
      ),
    );
  }
}
