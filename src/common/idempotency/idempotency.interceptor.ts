import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { ProblemException, Problems } from '../problem';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * Makes every POST safe to retry with an `Idempotency-Key` header:
 * - the first request claims the key (one INSERT; concurrent copies lose the race and get 409);
 * - a success is stored and replayed to later copies (same status, body, Location and ETag);
 * - a failure releases the key, since a failed request changed nothing and may be retried;
 * - the same key with another method, path or body is 422.
 * A claim whose request died mid-way (process killed) is never taken over: replaying the work
 * could do it twice, so such a key keeps answering 409 until it expires.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw Problems.badRequest('Idempotency-Key must be 1 to 255 characters.', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 characters' },
      ]);
    }
    const owner = `${request.principal.role}:${request.principal.ownerId}`;
    const fingerprint = this.fingerprint(request);
    const response = context.switchToHttp().getResponse<Response>();

    return from(this.claim(owner, key, fingerprint)).pipe(
      mergeMap((claimed) => {
        if (claimed !== true) return of(this.replay(claimed, response));
        return next.handle().pipe(
          mergeMap((body) => from(this.complete(owner, key, context, response, body)).pipe(mergeMap(() => of(body)))),
          catchError((error: unknown) => from(this.release(owner, key)).pipe(mergeMap(() => throwError(() => error)))),
        );
      }),
    );
  }

  private fingerprint(request: Request): string {
    const hash = createHash('sha256').update(`${request.method} ${request.originalUrl.split('?')[0]}\n`);
    if (request.is('multipart/form-data')) {
      // Multipart bodies are streamed by the handler; their length stands in for them.
      hash.update(`multipart ${request.headers['content-length'] ?? ''}`);
    } else {
      hash.update(JSON.stringify(request.body ?? null));
    }
    return hash.digest('hex');
  }

  /** Returns true when this request owns the key, else the stored record to replay. */
  private async claim(
    owner: string,
    key: string,
    fingerprint: string,
  ): Promise<true | { status: number; body: unknown; headers: Record<string, string> }> {
    if (await this.records.claim(owner, key, fingerprint)) return true;

    const existing = await this.records.find(owner, key);
    if (!existing) return this.claim(owner, key, fingerprint); // expired and purged meanwhile
    if (existing.fingerprint !== fingerprint) {
      throw Problems.validation(
        [{ field: 'Idempotency-Key', message: 'was already used with another request' }],
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    }
    if (existing.status === null) {
      throw new ProblemException(
        HttpStatus.CONFLICT,
        'idempotent-request-in-progress',
        'A request with this Idempotency-Key is still being processed; retry in a few seconds.',
      );
    }
    return { status: existing.status, body: existing.body, headers: existing.headers ?? {} };
  }

  private replay(record: { status: number; body: unknown; headers: Record<string, string> }, response: Response): unknown {
    response.status(record.status);
    for (const [name, value] of Object.entries(record.headers)) response.setHeader(name, value);
    response.setHeader('Idempotent-Replayed', 'true');
    return record.body;
  }

  private async complete(owner: string, key: string, context: ExecutionContext, response: Response, body: unknown): Promise<void> {
    const status = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? response.statusCode ?? 201;
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = response.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await this.records.complete(owner, key, status, body, headers);
  }

  private release(owner: string, key: string): Promise<void> {
    return this.records.release(owner, key);
  }
}
