import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { declareValidatedFormats, finishOpenApiDocument, PROBLEM_SCHEMAS } from './common/openapi';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { refuseDeepJson } from './common/json-depth';
import { requestLog } from './common/logging';
import { requestId } from './common/request-id';
import { AppConfig } from './config/env';

export const API_PREFIX = 'api/v1';

/**
 * Everything the HTTP app needs beyond its module: prefix, body limits, docs. Shared by
 * main.ts and the e2e tests so that tests meet the same app as clients do.
 */
export function configureApp(app: NestExpressApplication, config: AppConfig): INestApplication {
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  // Acts carry their own ETag (their version); hashing every body for a weak one is wasted work.
  app.set('etag', false);
  app.use(requestId);
  app.use(requestLog);
  // The contract lists health checks at /health/*; they live under the API prefix too.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.url.startsWith('/health/')) req.url = `/${API_PREFIX}${req.url}`;
    next();
  });
  app.use(json({ limit: config.jsonBodyLimit, type: ['application/json', 'application/*+json'], verify: refuseDeepJson }));
  // Body-parser errors (bad JSON, too large) happen before Nest's router: render them as problems.
  const filter = new ProblemDetailsFilter();
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    filter.catch(error, { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as never);
  });
  app.setGlobalPrefix(API_PREFIX);
  setUpOpenApi(app);
  return app;
}

export function buildOpenApiDocument(app: INestApplication) {
  declareValidatedFormats();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('warranty-acts')
      .setDescription(
        'Warranty acts of partner service centers: filing, review, parts shipments. ' +
          'Errors are RFC 9457 problem details (application/problem+json). ' +
          'Every POST honours an Idempotency-Key header. Requests are rate limited per API key: ' +
          'responses carry RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset; over the limit, 429 with Retry-After.',
      )
      .setVersion('1')
      .addTag('acts', 'Warranty acts: filing by service centers, review by managers, photos, comments, history')
      .addTag('catalogue', 'Product categories')
      .addTag('operations', 'Health checks and queue status')
      .addTag('reports', 'Compensation and dashboard reports, JSON or CSV')
      .addTag('service centers', 'Partner service centers and their API keys')
      .addTag('shipments', 'Parts shipments to service centers')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key', description: 'An API key of a manager or a service center' })
      .build(),
    { extraModels: PROBLEM_SCHEMAS },
  );
  document.info.license = { name: 'Proprietary' };
  return finishOpenApiDocument(document);
}

function setUpOpenApi(app: INestApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, {
    useGlobalPrefix: false,
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
    swaggerOptions: { persistAuthorization: true },
  });
  new Logger('OpenAPI').debug(`${Object.keys(document.paths).length} paths documented`);
}
