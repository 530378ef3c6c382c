import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, tap } from 'rxjs';

/** Sets `ETag: "<version>"` on every response that is one act. */
@Injectable()
export class ActEtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
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
