import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDependencyDown } from './dependency-errors';
import { MAX_JSON_DEPTH } from './json-depth';
import { DomainConflict } from './domain-error';
import { Language, languageOf } from '../messages/language';
import { DetailMessage, detailMessage, fieldMessage } from '../messages/problems.catalogue';
import { renderDetail } from '../messages/problems';
import { PROBLEM_CONTENT_TYPE, ProblemBody, ProblemException, problemType, renderFieldErrors, titleOf } from './problem';

/** Errors of Express middleware (body-parser, multer) carry a status and a type or code. */
interface MiddlewareError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string;
  field?: string;
  expose?: boolean;
}

interface MulterErrorLike {
  name: 'MulterError';
  code: string;
  field?: string;
  message: string;
}

function isMulterError(value: unknown): value is MulterErrorLike {
  return value instanceof Error && value.name === 'MulterError' && typeof (value as { code?: unknown }).code === 'string';
}

function multerErrorOf(exception: unknown): MulterErrorLike | undefined {
  if (isMulterError(exception)) return exception;
  const cause = exception instanceof Error ? exception.cause : undefined;
  return isMulterError(cause) ? cause : undefined;
}

/** The longest SQL text and message a 500's log line keeps. */
const MAX_LOGGED_TEXT = 2000;

/**
 * What a 500's log line says about its error: type, message, code, stack and, for a database
 * error, the SQL text, but never the query's parameters or the driver's `detail`/`where`, which
 * hold what the client sent (customer names and phones) and made one line weigh ~80 KB.
 */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, MAX_LOGGED_TEXT) };
  const { code, query } = error as { code?: unknown; query?: unknown };
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  return {
    type: error.name,
    message: error.message.slice(0, MAX_LOGGED_TEXT),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof driverError?.code === 'string' ? { code: driverError.code } : {}),
    ...(typeof query === 'string' ? { query: query.slice(0, MAX_LOGGED_TEXT) } : {}),
    stack: error.stack?.split('\n').slice(0, 12).join('\n'),
  };
}

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'validation-failed',
  429: 'rate-limited',
  503: 'service-unavailable',
};

/**
 * Renders every error as RFC 9457 problem details. Client errors say what was wrong;
 * anything unexpected is logged with the request id and answered with a bare 500.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<Request>();
    const response = ctx.getResponse<Response>();
    const language = languageOf(request.headers?.['accept-language']);
    const problem = this.toProblem(exception, request, language);
    problem.instance = request.originalUrl?.split('?')[0];
    if (problem.status >= 500) {
      problem.requestId = typeof request.id === 'string' || typeof request.id === 'number' ? String(request.id) : '';
      if (problem.status === 500) this.logger.error({ err: errorForLog(exception), requestId: request.id }, 'Unhandled error');
    }
    if (problem.status === 503) response.setHeader('Retry-After', '5');
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, request: Request, language: Language): ProblemBody {
    const simple = (status: number, slug: string, detail: DetailMessage): ProblemBody => ({
      type: problemType(slug),
      title: titleOf(status, language),
      status,
      detail: renderDetail(detail, language),
    });
    if (exception instanceof ProblemException) return exception.toProblem(language);
    if (exception instanceof DomainConflict) {
      return { ...simple(HttpStatus.CONFLICT, exception.slug, exception.detail), ...exception.extensions };
    }
    // Nest wraps multer's errors in HttpExceptions and keeps the original as the cause.
    const multer = multerErrorOf(exception);
    if (multer) return this.multerProblem(multer, simple, language);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      let detail: DetailMessage = detailMessage('verbatim', { text: typeof body === 'string' ? body : exception.message });
      if (status === (HttpStatus.NOT_FOUND as number) && /^Cannot \w+ /.test(exception.message)) {
        detail = detailMessage('noRoute', { method: request.method, path: request.originalUrl?.split('?')[0] ?? '' });
      } else if (/^Validation failed \(uuid.* is expected\)$/.test(exception.message)) {
        detail = detailMessage('uuidExpected');
      }
      return simple(status, SLUGS[status] ?? 'error', detail);
    }
    const mw = (exception ?? {}) as MiddlewareError;
    const status = mw.status ?? mw.statusCode;
    if (mw.type === 'entity.parse.failed') {
      return simple(400, 'malformed-json', detailMessage('malformedJson'));
    }
    if (mw.type === 'entity.too.deep') {
      return simple(400, 'malformed-json', detailMessage('jsonTooDeep', { max: MAX_JSON_DEPTH }));
    }
    if (mw.type === 'entity.too.large') {
      return simple(413, 'payload-too-large', detailMessage('bodyTooLarge'));
    }
    if (mw.type === 'charset.unsupported' || mw.type === 'encoding.unsupported') {
      return simple(415, 'unsupported-media-type', detailMessage('unsupportedEncoding'));
    }
    if (typeof status === 'number' && status >= 400 && status < 500 && mw.expose !== false) {
      return simple(status, SLUGS[status] ?? 'bad-request', detailMessage('verbatim', { text: (exception as Error).message }));
    }
    if (isDependencyDown(exception)) {
      this.logger.warn({ err: exception, requestId: request.id }, 'A dependency is unavailable');
      return simple(503, 'service-unavailable', detailMessage('dependencyDown'));
    }
    return simple(500, 'internal-error', detailMessage('internal'));
  }

  /** multer's refusals of a multipart body, by code: too large 413, a bad field 422, the rest 400. */
  private multerProblem(
    { code, field, message }: MulterErrorLike,
    simple: (status: number, slug: string, detail: DetailMessage) => ProblemBody,
    language: Language,
  ): ProblemBody {
    switch (code) {
      case 'LIMIT_FILE_SIZE':
        return simple(413, 'payload-too-large', detailMessage('fileTooLarge', { field }));
      case 'LIMIT_FILE_COUNT':
        return simple(400, 'too-many-files', detailMessage('tooManyFiles'));
      case 'LIMIT_UNEXPECTED_FILE':
        return {
          ...simple(400, 'unexpected-file', detailMessage('unexpectedFile', { field })),
          errors: renderFieldErrors([{ field: field ?? '', message: fieldMessage('takesNoFile') }], language),
        };
      case 'LIMIT_FIELD_VALUE':
        return {
          ...simple(422, 'validation-failed', detailMessage('invalidFields')),
          errors: renderFieldErrors([{ field: field ?? '', message: fieldMessage('tooLong') }], language),
        };
      default:
        return {
          ...simple(400, 'malformed-multipart', detailMessage('multipartRefused', { reason: message })),
          ...(field ? { errors: renderFieldErrors([{ field, message: fieldMessage('multipart', { reason: message }) }], language) } : {}),
        };
    }
  }
}
