import { INestApplication, Logger } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { Server } from 'node:http';
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
  app.use(securityHeaders());
  app.use(limitUploadTime(config.uploadTimeoutMs));
  limitRequestTime(app);
  // The contract lists health checks at /health/* and GET /metrics; they live under the API prefix too.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.url.startsWith('/health/') || req.url === '/metrics' || req.url.startsWith('/metrics?')) req.url = `/${API_PREFIX}${req.url}`;
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

/** Headers must arrive within this; a whole request within REQUEST_TIMEOUT_MS (Node's default: 300 s). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 120_000;

/**
 * Node's bounds on every request: a client that trickles its headers or a JSON body holds a
 * socket for seconds, not minutes. Node checks them every 30 s, so uploads have a precise
 * timer of their own (limitUploadTime).
 */
function limitRequestTime(app: NestExpressApplication): void {
  const server: Server = app.getHttpServer();
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
}

/**
 * A multipart upload must be received whole within UPLOAD_TIMEOUT (60 s by default: 8 MB at
 * about 1 Mbit/s). A slower one has its connection closed: its socket, and the `.part` file its
 * photo was being written to (removed when the stream fails), are not held any longer.
 */
function limitUploadTime(timeoutMs: number) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    const timer = setTimeout(() => req.destroy(new Error(`upload not received within ${timeoutMs} ms`)), timeoutMs);
    const stop = () => clearTimeout(timer);
    req.once('end', stop);
    req.once('close', stop);
    res.once('close', stop);
    next();
  };
}

/**
 * helmet's headers on every response (nosniff, no framing, a CSP that Swagger UI lives with:
 * its scripts are files of its own, its styles partly inline), and `Cache-Control: no-store`:
 * answers carry one caller's data, so no cache on the way keeps them. A route may set its own
 * (photo downloads do). `upgrade-insecure-requests` is left out: the API is often reached over
 * plain HTTP on a local machine, where it would break Swagger UI.
 */
function securityHeaders() {
  const helmetHeaders = helmet({
    contentSecurityPolicy: { directives: { frameAncestors: ["'none'"], upgradeInsecureRequests: null } },
    frameguard: { action: 'deny' },
  });
  // helmet's headers hang on these options only, never on the request: they are taken once from
  // helmet itself and set as a list, rather than running helmet's chain of middlewares on every
  // request (GET /acts/:id without helmet at all served 7 % more requests; this keeps most of it).
  const headers: [string, string][] = [['Cache-Control', 'no-store']];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.push([name, String(value)]),
    removeHeader: (name: string) => void removed.push(name),
  };
  helmetHeaders({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error) throw error as Error;
  });
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of removed) res.removeHeader(name);
    next();
  };
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
    // No persistAuthorization: a key typed into Swagger UI must not stay in the browser's storage.
  });
  new Logger('OpenAPI').debug(`${Object.keys(document.paths).length} paths documented`);
}
