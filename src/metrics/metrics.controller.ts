import { Controller, Get, Headers, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../common/auth/auth.decorators';
import { detailMessage, ProblemException } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { MetricsService } from './metrics.service';

/**
 * GET /metrics in the Prometheus text format, for a scraper rather than a client: left out of
 * the OpenAPI document. It is @Public() for the AccessGuard (METRICS_TOKEN is not an API key,
 * so it is neither looked up nor counted against a key's or an address's rate limit); with
 * METRICS_TOKEN set, this controller asks for `Authorization: Bearer <METRICS_TOKEN>` itself.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token: Buffer | undefined;

  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.token = config.metricsToken === undefined ? undefined : digest(config.metricsToken);
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) res: Response): Promise<string> {
    if (this.token) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      // Compared as digests of equal length, in constant time.
      if (!given || !timingSafeEqual(digest(given), this.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', detailMessage('metricsTokenRequired'));
      }
    }
    const text = await this.metrics.scrape();
    res.setHeader('Content-Type', this.metrics.contentType);
    return text;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
