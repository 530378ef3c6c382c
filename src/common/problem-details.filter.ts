import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isDependencyDown } from './dependency-errors';
import { DomainConflict } from './domain-error';
import { PROBLEM_CONTENT_TYPE, ProblemBody, ProblemException, problemType, titleOf } from './problem';

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
    const problem = this.toProblem(exception, request);
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

  private toProblem(exception: unknown, request: Request): ProblemBody {
    if (exception instanceof ProblemException) return exception.toProblem();
    if (exception instanceof DomainConflict) {
      return { ...this.simple(HttpStatus.CONFLICT, exception.slug, exception.message), ...exception.extensions };
    }
    // Nest wraps multer's errors in HttpExceptions and keeps the original as the cause.
    const multer = multerErrorOf(exception);
    if (multer) return this.multerProblem(multer);
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      let detail = typeof body === 'string' ? body : exception.message;
      if (status === (HttpStatus.NOT_FOUND as number) && /^Cannot \w+ /.test(detail)) {
        detail = `No route ${request.method} ${request.originalUrl?.split('?')[0]}.`;
      }
      return { type: problemType(SLUGS[status] ?? 'error'), title: titleOf(status), status, detail };
    }
    const mw = (exception ?? {}) as MiddlewareError;
    const status = mw.status ?? mw.statusCode;
    if (mw.type === 'entity.parse.failed') {
      return this.simple(400, 'malformed-json', 'The request body is not valid JSON.');
    }
    if (mw.type === 'entity.too.deep') {
      return this.simple(400, 'malformed-json', (exception as Error).message);
    }
    if (mw.type === 'entity.too.large') {
      return this.simple(413, 'payload-too-large', 'The request body is too large.');
    }
    if (mw.type === 'charset.unsupported' || mw.type === 'encoding.unsupported') {
      return this.simple(415, 'unsupported-media-type', 'The request body encoding is not supported.');
    }
    if (typeof status === 'number' && status >= 400 && status < 500 && mw.expose !== false) {
      return this.simple(status, SLUGS[status] ?? 'bad-request', (exception as Error).message);
    }
    if (isDependencyDown(exception)) {
      this.logger.warn({ err: exception, requestId: request.id }, 'A dependency is unavailable');
      return this.simple(503, 'service-unavailable', 'A dependency of the service is unavailable; retry shortly.');
    }
    return this.simple(500, 'internal-error', 'An unexpected error occurred; it has been logged.');
  }

  /** multer's refusals of a multipart body, by code: too large 413, a bad field 422, the rest 400. */
  private multerProblem({ code, field, message }: MulterErrorLike): ProblemBody {
    const named = field ? ` "${field}"` : '';
    switch (code) {
      case 'LIMIT_FILE_SIZE':
        return this.simple(413, 'payload-too-large', `The file${named} is larger than this endpoint accepts.`);
      case 'LIMIT_FILE_COUNT':
        return this.simple(400, 'too-many-files', 'Too many files: send one file per request.');
      case 'LIMIT_UNEXPECTED_FILE':
        return {
          ...this.simple(400, 'unexpected-file', `A file was sent in the field${named}, which takes no file.`),
          errors: [{ field: field ?? '', message: 'takes no file' }],
        };
      case 'LIMIT_FIELD_VALUE':
        return {
          ...this.simple(422, 'validation-failed', 'The request has invalid fields; see errors.'),
          errors: [{ field: field ?? '', message: 'is too long' }],
        };
      default:
        return {
          ...this.simple(400, 'malformed-multipart', `The multipart body was refused: ${message}.`),
          ...(field ? { errors: [{ field, message }] } : {}),
        };
    }
  }

  private simple(status: number, slug: string, detail: string): ProblemBody {
    return { type: problemType(slug), title: titleOf(status), status, detail };
  }
}
