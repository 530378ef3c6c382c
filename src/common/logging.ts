import type { NextFunction, Request, Response } from 'express';
import { Params, PinoLogger } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import { AppConfig } from '../config/env';

/**
 * Structured JSON logs through one pino logger per process. Nest's own lines and those of our
 * services go through nestjs-pino's Logger; requests are logged by requestLog below.
 * `toStderr` keeps stdout clean for commands whose output scripts read (the CLI).
 *
 * nestjs-pino's per-request pino-http middleware is left out (`forRoutes: []`): it builds
 * child loggers for every request, logged or not, and binds them with AsyncLocalStorage,
 * which on Node 20 puts a hook on every promise. Together that was a fifth of the API's
 * throughput on GET /acts/:id (bench/). The lines that concern one request carry its id
 * explicitly instead: the access line and the error line of a 500.
 */
export function loggerParams(config: Pick<AppConfig, 'logLevel'>, toStderr = false): Params {
  const logger = pino(
    {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '***' },
    },
    pino.destination(toStderr ? 2 : 1),
  );
  return { pinoHttp: { logger }, forRoutes: [] };
}

/**
 * One access line per request once its response is sent (or the client went away):
 * `{"reqId","method","url","statusCode","responseTime","principal","msg"}`, at
 * info, at error for a 5xx, at warn for a request aborted before its answer. Health checks
 * are not logged. Mounted first, so that even a body the parser refused is logged.
 */
export function requestLog(req: Request, res: Response, next: NextFunction): void {
  if (isHealthCheck(req)) return next();
  const started = performance.now();
  res.once('close', () => {
    const logger: Logger | undefined = PinoLogger.root;
    if (!logger) return;
    const aborted = !res.writableFinished;
    const level = aborted ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        reqId: req.id,
        method: req.method,
        url: req.originalUrl,
        statusCode: res.statusCode,
        responseTime: Math.round(performance.now() - started),
        ...(req.principal ? { principal: `${req.principal.role}:${req.principal.ownerId}` } : {}),
      },
      aborted ? 'request aborted' : 'request completed',
    );
  });
  next();
}

/** The health checks, at both mounts (`/health/*` and under the API prefix). */
const HEALTH_PATHS = new Set(['/health/live', '/health/ready', '/api/v1/health/live', '/api/v1/health/ready']);

/**
 * A GET or HEAD of exactly a health path; the query is not looked at, so that no other request
 * can leave the access log by carrying `/health/` somewhere in its URL.
 */
export function isHealthCheck(req: Pick<Request, 'method' | 'url'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const query = req.url.indexOf('?');
  return HEALTH_PATHS.has(query < 0 ? req.url : req.url.slice(0, query));
}

/** A plain JSON logger for what happens before Nest starts (configuration, migrations). */
export function startUpLogger(level: string, toStderr = false) {
  return pino({ level, base: { context: 'StartUp' } }, pino.destination(toStderr ? 2 : 1));
}
