import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { from, Observable, of, throwError } from 'rxjs';
import { catchError, mergeMap } from 'rxjs/operators';
import { detailMessage, fieldMessage, ProblemException, Problems } from '../problem';
import { IdempotencyRepository } from './idempotency.repository';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * Response fields that hold a secret shown once (an API key, a webhook secret): never stored
 * with the response, so a replay answers the same `id` without them.
 */
export const SECRET_RESPONSE_FIELDS = ['key', 'secret'] as const;

const FINGERPRINT_AFTER_UPLOAD = 'idempotency:fingerprint-after-upload';

/**
 * Marks a multipart route whose idempotency is handled after its upload has been read (by an
 * interceptor of its own that calls IdempotencyInterceptor.run with a fingerprint of the
 * fields and the file's bytes): the global interceptor lets its requests pass.
 */
export const FingerprintAfterUpload = () => SetMetadata(FINGERPRINT_AFTER_UPLOAD, true);

/** JSON with object keys sorted at every level: the same body whatever order its keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The response as it may be stored: the top-level secret fields left out. */
export function withoutSecrets(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const stored: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of SECRET_RESPONSE_FIELDS) delete stored[field];
  return stored;
}

/**
 * Makes every POST safe to retry with an `Idempotency-Key` header:
 * - the first request claims the key (one INSERT; concurrent copies lose the race and get 409);
 * - a success is stored and replayed to later copies (same status, body, Location and ETag);
 * - a failure releases the key, since a failed request changed nothing and may be retried;
 * - the same key with another method, path or body is 422; "the same body" is the same JSON
 *   value whatever the order of its keys, and for an upload the same fields and file bytes;
 * - a secret shown once (SECRET_RESPONSE_FIELDS) is never stored: the replay leaves it out.
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
    if (request.is('multipart/form-data') && this.reflector.get<boolean>(FINGERPRINT_AFTER_UPLOAD, context.getHandler())) return next.handle();
    return this.run(context, next, this.fingerprint(request));
  }

  /** The claim, replay and completion for a request whose fingerprint is known. */
  run(context: ExecutionContext, next: CallHandler, fingerprint: string): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.headers[IDEMPOTENCY_HEADER];
    if (typeof key !== 'string' || key.length === 0 || key.length > 255) {
      throw Problems.badRequest(detailMessage('idempotencyKeyLength'), [{ field: 'Idempotency-Key', message: fieldMessage('idempotencyKeyLength') }]);
    }
    const owner = `${request.principal!.role}:${request.principal!.ownerId}`;
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

  /** Method, path and the body as the handler reads it (a multipart body on a JSON route is not read: it is no body). */
  private fingerprint(request: Request): string {
    return fingerprintOf(request, canonicalJson(request.body ?? null));
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
      throw Problems.validation([{ field: 'Idempotency-Key', message: fieldMessage('idempotencyKeyReused') }], detailMessage('idempotencyKeyReused'));
    }
    if (existing.status === null) {
      throw new ProblemException(HttpStatus.CONFLICT, 'idempotent-request-in-progress', detailMessage('idempotencyInProgress'));
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
    await this.records.complete(owner, key, status, withoutSecrets(body), headers);
  }

  private release(owner: string, key: string): Promise<void> {
    return this.records.release(owner, key);
  }
}

/** SHA-256 of the method, the path (without the query) and a canonical text of the body. */
export function fingerprintOf(request: Pick<Request, 'method' | 'originalUrl'>, body: string): string {
  return createHash('sha256')
    .update(`${request.method} ${request.originalUrl.split('?')[0]}\n`)
    .update(body)
    .digest('hex');
}
