import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { isHealthCheck, requestLog } from './logging';

describe('access log', () => {
  it('leaves out exactly the health checks, whatever the query says', () => {
    for (const url of ['/health/live', '/health/ready', '/api/v1/health/live', '/api/v1/health/ready?verbose=1']) {
      expect(isHealthCheck({ method: 'GET', url })).toBe(true);
    }
    for (const url of [
      '/api/v1/acts/1/extra?x=/health/',
      '/api/v1/acts?q=/health/live',
      '/api/v1/acts/health/live',
      '/health/live/../../api/v1/acts',
      '/api/v1/health/livex',
    ]) {
      expect(isHealthCheck({ method: 'GET', url })).toBe(false);
    }
    expect(isHealthCheck({ method: 'PUT', url: '/health/live' })).toBe(false);
  });

  it('logs a request whose query mentions /health/', () => {
    const lines: unknown[] = [];
    const root = jest.replaceProperty(PinoLogger, 'root', { isLevelEnabled: () => true, info: (line: unknown) => lines.push(line) } as never);
    try {
      const res = Object.assign(new EventEmitter(), { writableFinished: true, statusCode: 200 });
      const req = { method: 'PUT', url: '/api/v1/acts/1/extra?x=/health/', originalUrl: '/api/v1/acts/1/extra?x=/health/', id: 'r1' };
      const next: NextFunction = jest.fn();
      requestLog(req as unknown as Request, res as unknown as Response, next);
      res.emit('close');
      expect(next).toHaveBeenCalled();
      expect(lines).toEqual([expect.objectContaining({ method: 'PUT', url: '/api/v1/acts/1/extra?x=/health/' })]);
    } finally {
      root.restore();
    }
  });
});
