import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { MetricsService } from './metrics.service';

/** The label of requests that matched no route (404s of unknown paths, scans): one label, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Times every request from its arrival to the end of its response with process.hrtime and
 * observes it by route template (`/api/v1/acts/:id`, never the raw URL, so the number of
 * series stays bounded), method and status. No I/O per request: one histogram observation.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: MetricsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // Express sets req.route to the matched route; its path is the template Nest registered.
      // Nest's catch-all for unknown paths (`*path`) and no route at all are one label.
      const path = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof path === 'string' && path.startsWith('/') ? path : UNMATCHED_ROUTE;
      this.metrics.observeRequest(req.method, route, res.statusCode, seconds);
    });
    next();
  }
}
