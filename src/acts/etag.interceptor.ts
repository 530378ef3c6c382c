import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable, tap } from 'rxjs';

/**
 * Sets `ETag: "<version>"` on every response that is one act: the version a client sends back
 * in If-Match. It is no validator of the whole answer: flags, the responsible manager, the
 * expected dispatch date can change while the version stays. So a GET is never answered 304
 * from it (Express would, for an If-None-Match equal to the ETag): the conditional headers of a
 * read are dropped, and the act is always sent whole (its answers are `no-store` anyway).
 */
@Injectable()
export class ActEtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.method === 'GET' || request.method === 'HEAD') {
      delete request.headers['if-none-match'];
      delete request.headers['if-modified-since'];
    }
    return next.handle().pipe(
      tap((body: unknown) => {
        const act = body as { number?: unknown; version?: unknown } | null;
        if (act && typeof act.number === 'string' && typeof act.version === 'number') {
          context.switchToHttp().getResponse<Response>().setHeader('ETag', `"${act.version}"`);
        }
      }),
    );
  }
}
