import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/env';

type RequestWithContext = IncomingMessage & { id?: string; principal?: { role: string; ownerId: string } };

/**
 * Structured JSON logs; every line of a request carries its id (see requestId).
 * `toStderr` keeps stdout clean for commands whose output scripts read (the CLI).
 */
export function loggerParams(config: Pick<AppConfig, 'logLevel'>, toStderr = false): Params {
  return {
    pinoHttp: [
      {
        level: config.logLevel,
        genReqId: (req: RequestWithContext) => req.id ?? randomUUID(),
        customProps: (req: RequestWithContext) =>
          req.principal ? { principal: `${req.principal.role}:${req.principal.ownerId}` } : {},
        redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '***' },
        serializers: {
          req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        },
        autoLogging: { ignore: (req: IncomingMessage) => req.url?.includes('/health/') ?? false },
      },
      pino.destination(toStderr ? 2 : 1),
    ] as Params['pinoHttp'],
  };
}

/** A plain JSON logger for what happens before Nest starts (configuration, migrations). */
export function startUpLogger(level: string, toStderr = false) {
  return pino({ level, base: { context: 'StartUp' } }, pino.destination(toStderr ? 2 : 1));
}
