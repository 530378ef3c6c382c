import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[\w.:-]{1,100}$/;

/**
 * Gives every request an id before anything else runs (so even a body-parser error has one):
 * the caller's X-Request-Id when it is a safe token, else a UUID. Echoed in the response.
 */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.id);
  next();
}
