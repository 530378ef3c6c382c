import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse, DECORATORS } from '@nestjs/swagger';
import type { HeaderObject, OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import { PROBLEM_CONTENT_TYPE, titleOf } from './problem';
import { FieldErrorView, ProblemActView, ProblemView } from './problem.view';
import { MONEY_PATTERN } from './validators';

const WHEN: Record<number, string> = {
  400: 'Malformed request: bad JSON, bad query or path parameter, bad header',
  401: 'No API key, or an unknown or revoked one',
  403: "The key's role may not do this",
  404: 'Unknown, or not yours',
  409: 'The current state does not allow this (see currentStatus, action, allowedFrom), or a request with this Idempotency-Key is still running',
  412: 'If-Match does not match the current version',
  413: 'Too large',
  415: 'Content type or file type not allowed (see allowed)',
  422: 'Validation failed: every failing field is listed in errors',
  429: 'Rate limited: see Retry-After',
  503: 'A dependency is down: retry after Retry-After seconds',
};

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemView' };
const header = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });
const parameter = (name: string): ReferenceObject => ({ $ref: `#/components/parameters/${name}` });

/** Response headers the service sends; operations refer to them. */
const HEADERS: Record<string, HeaderObject> = {
  'RateLimit-Limit': { description: 'Requests this API key may make per window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Remaining': { description: 'Requests left in this window', schema: { type: 'integer', minimum: 0 } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer', minimum: 0 } },
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } },
  'WWW-Authenticate': { description: 'The authentication scheme: `Bearer`', schema: { type: 'string' } },
  ETag: { description: 'The act\'s version, `"<version>"`: send it back in If-Match', schema: { type: 'string', pattern: '^"\\d+"$' } },
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
  'X-Request-Id': {
    description: "The request's id (the caller's X-Request-Id when it is a safe token): quote it when reporting a problem",
    schema: { type: 'string' },
  },
};

/** Request headers that many operations take. */
const PARAMETERS: Record<string, ParameterObject> = {
  AcceptLanguage: {
    name: 'Accept-Language',
    in: 'header',
    required: false,
    description: 'Labels, validation messages and problem texts in English when it prefers `en`; Russian otherwise',
    schema: { type: 'string', example: 'en' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes the request safe to retry for 24 h: the same key with the same body answers the first response again ' +
      '(with Idempotent-Replayed: true) and does nothing twice; with another body 422; while the first is still running 409.',
    schema: { type: 'string', minLength: 1, maxLength: 255 },
  },
};

const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

/**
 * Documents the problem+json answers a route can give. A route that can answer 401 takes a
 * key, so it is rate limited per key: 429 is added to it. The shared answers (400, 413, 415,
 * 429, 503, the Idempotency-Key ones) are added to every operation by finishOpenApiDocument.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })));
}

function problemResponse(status: number): ResponseObject {
  return { description: WHEN[status] ?? titleOf(status), content: { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } } };
}

export const PROBLEM_SCHEMAS = [ProblemView, FieldErrorView, ProblemActView];

/** A view's money amount: a decimal string with at most 2 fraction digits ("780.00"). */
export const ApiMoney = (): PropertyDecorator => ApiProperty({ type: 'string', pattern: MONEY_PATTERN.source, example: '780.00' });

/** A view's whole number (request DTOs get `integer` from their @IsInt). */
export const ApiInteger = (): PropertyDecorator => ApiProperty({ type: 'integer' });

/** A view's calendar date, YYYY-MM-DD (request DTOs get it from @IsCalendarDate, `…Date` names by convention). */
export const ApiDate = (): PropertyDecorator => ApiProperty({ type: 'string', format: 'date' });

/** What a validator tells about a property's schema, by the validator's name. */
const VALIDATOR_SCHEMAS: Record<string, SchemaObject> = {
  isInt: { type: 'integer' },
  isCalendarDate: { type: 'string', format: 'date' },
  isMoney: { type: 'string', pattern: MONEY_PATTERN.source, example: '780.00' },
};

/**
 * The validators the server runs are the schema a client must meet: integers, calendar dates
 * and money amounts are declared from them (the @nestjs/swagger plugin knows only the built-in
 * validators' lengths, ranges and enums). Call before SwaggerModule.createDocument; idempotent.
 * Explicit @ApiProperty options win.
 */
export function declareValidatedFormats(): void {
  const storage = getMetadataStorage() as unknown as { validationMetadatas?: Map<unknown, ValidationFacts[]> };
  for (const metadatas of storage.validationMetadatas?.values() ?? []) {
    for (const { target, propertyName, name, each } of metadatas) {
      const schema = name ? VALIDATOR_SCHEMAS[name] : undefined;
      if (schema && !each && typeof target === 'function') declareProperty(target.prototype as object, propertyName, schema);
    }
  }
}

interface ValidationFacts {
  target: unknown;
  propertyName: string;
  name?: string;
  each?: boolean;
}

/** Adds to a property's @ApiProperty metadata as the plugin does: explicit options win, a bare `Number` type gives way. */
function declareProperty(prototype: object, property: string, schema: SchemaObject): void {
  const list = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, prototype) as string[] | undefined) ?? [];
  if (!list.includes(`:${property}`)) Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, [...list, `:${property}`], prototype);
  const existing = (Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, prototype, property) as Record<string, unknown> | undefined) ?? {};
  const type = existing.type === undefined || existing.type === Number || existing.type === String ? schema.type : existing.type;
  Reflect.defineMetadata(DECORATORS.API_MODEL_PROPERTIES, { ...schema, ...existing, type }, prototype, property);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const isRef = (value: unknown): value is ReferenceObject => typeof value === 'object' && value !== null && '$ref' in value;

/**
 * Completes the document with what every operation shares, so a new endpoint is covered
 * without annotations:
 * - request headers: Accept-Language everywhere, Idempotency-Key on every POST;
 * - response headers: X-Request-Id; RateLimit-* on answers to a key; WWW-Authenticate on 401;
 *   Retry-After on 429 and 503; Idempotent-Replayed on POST successes; ETag on act answers;
 * - answers: 400 (any parameter or body), 413/415 (any body), 409/422 (Idempotency-Key),
 *   401/429/503 (any keyed route); every 4xx/5xx as problem+json, which is what the
 *   problem-details filter sends (the readiness check's 503 included);
 * - schemas: `null` in nullable enums, `additionalProperties: false` on request bodies (unknown
 *   properties are refused), uuid/date formats by the contract's naming (`id`, `…Id`, `…Ids`,
 *   `…Date`), problem extension members;
 * - servers, global tags, security on public routes, short summaries.
 */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.servers = [{ url: '/', description: 'This server: every path carries the /api/v1 prefix' }];
  document.components ??= {};
  document.components.headers = { ...HEADERS, ...document.components.headers };
  document.components.parameters = { ...PARAMETERS, ...document.components.parameters };
  const schemas = (document.components.schemas ??= {});
  const tags = new Set<string>();

  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.tags?.forEach((tag) => tags.add(tag));
      finishOperation(method, operation, schemas);
    }
  }

  document.tags = [...tags].sort().map((name) => ({ name, ...document.tags?.find((t) => t.name === name) }));
  const requestSchemas = reachableSchemas(requestBodySchemas(document), schemas);
  for (const [name, schema] of Object.entries(schemas)) {
    if (isRef(schema)) continue;
    walkSchema(schema, (node, property) => {
      nullableEnum(node);
      formatsByName(node, property);
    });
    if (requestSchemas.has(name) && schema.type === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  return document;
}

function finishOperation(
  method: (typeof METHODS)[number],
  operation: OperationObject,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  const keyed = operation.security === undefined ? false : operation.security.length > 0;
  if (!keyed) operation.security = [];
  const parameters = [...(operation.parameters ?? []), parameter('AcceptLanguage'), ...(method === 'post' ? [parameter('IdempotencyKey')] : [])];
  operation.parameters = dedupeParameters(parameters);
  const hasBody = operation.requestBody !== undefined || method === 'post' || method === 'put' || method === 'patch';
  const hasInput = hasBody || operation.parameters.some((p) => !isRef(p) && p.in !== 'header');
  for (const p of operation.parameters) if (!isRef(p) && p.in === 'path' && p.schema && !isRef(p.schema)) formatsByName(p.schema, p.name);

  const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
  const add = (status: number) => (responses[status] ??= problemResponse(status));
  if (hasInput) add(400);
  if (hasBody) [413, 415].forEach(add);
  if (method === 'post' && keyed) [400, 409, 422].forEach(add);
  if (keyed) [401, 429, 503].forEach(add);

  for (const [status, response] of Object.entries(responses)) {
    if (isRef(response)) continue;
    const code = Number(status);
    const headers = (response.headers ??= {});
    headers['X-Request-Id'] ??= header('X-Request-Id');
    if (code >= 400) response.content = { [PROBLEM_CONTENT_TYPE]: { schema: PROBLEM_REF } };
    if (keyed && code !== 401) RATE_LIMIT_HEADERS.forEach((name) => (headers[name] ??= header(name)));
    if (code === 401) headers['WWW-Authenticate'] ??= header('WWW-Authenticate');
    if (code === 429 || code === 503) headers['Retry-After'] ??= header('Retry-After');
    if (code >= 200 && code < 300) {
      if (method === 'post') headers['Idempotent-Replayed'] ??= header('Idempotent-Replayed');
      if (isVersionedAct(response, schemas)) headers.ETag ??= header('ETag');
    }
  }
  shortenSummary(operation, method);
}

/** One parameter per name and place: a header documented twice (by a decorator and a param decorator) is one parameter. */
function dedupeParameters(parameters: (ParameterObject | ReferenceObject)[]): (ParameterObject | ReferenceObject)[] {
  const seen = new Set<string>();
  return parameters.filter((p) => {
    const key = isRef(p) ? p.$ref : `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The ETag interceptor tags every answer that is one act: an object with a `number` and a `version`. */
function isVersionedAct(response: ResponseObject, schemas: Record<string, SchemaObject | ReferenceObject>): boolean {
  let schema = response.content?.['application/json']?.schema;
  for (let depth = 0; schema && isRef(schema) && depth < 5; depth++) schema = schemas[schema.$ref.split('/').pop() ?? ''];
  return !!schema && !isRef(schema) && !!schema.properties?.number && !!schema.properties?.version;
}

/** The first sentence as the summary, the whole text as the description. */
function shortenSummary(operation: OperationObject, method: string): void {
  const text = operation.summary?.trim();
  if (!text) {
    operation.summary ??= `${method.toUpperCase()} ${operation.operationId ?? ''}`.trim();
    return;
  }
  const first = /^(.+?[.!?])(\s|$)/s.exec(text)?.[1] ?? text;
  operation.summary = first;
  if (first.length < text.length) operation.description ??= text;
}

function requestBodySchemas(document: OpenAPIObject): string[] {
  const names: string[] = [];
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const body = item[method]?.requestBody;
      if (!body || isRef(body)) continue;
      for (const media of Object.values(body.content)) if (media.schema) walkSchema(media.schema, () => undefined, names);
    }
  }
  return names;
}

/** The schemas named, and every schema they refer to. */
function reachableSchemas(names: string[], schemas: Record<string, SchemaObject | ReferenceObject>): Set<string> {
  const found = new Set<string>();
  const queue = [...names];
  while (queue.length) {
    const name = queue.pop()!;
    if (found.has(name) || !schemas[name]) continue;
    found.add(name);
    walkSchema(schemas[name], () => undefined, queue);
  }
  return found;
}

/** Visits every inline schema of a schema; the names of referenced schemas go to `refs`. */
function walkSchema(
  schema: SchemaObject | ReferenceObject,
  visit: (node: SchemaObject, name?: string) => void,
  refs: string[] = [],
  name?: string,
): void {
  if (isRef(schema)) {
    refs.push(schema.$ref.split('/').pop() ?? '');
    return;
  }
  visit(schema, name);
  for (const [key, property] of Object.entries(schema.properties ?? {})) walkSchema(property, visit, refs, key);
  if (schema.items) walkSchema(schema.items, visit, refs, name);
  if (typeof schema.additionalProperties === 'object') walkSchema(schema.additionalProperties, visit, refs);
  for (const list of [schema.allOf, schema.oneOf, schema.anyOf]) list?.forEach((s) => walkSchema(s, visit, refs, name));
}

/** OpenAPI 3.0: `nullable: true` does not admit null into an `enum` that lacks it. */
function nullableEnum(node: SchemaObject): void {
  if (node.nullable && node.enum && !node.enum.includes(null)) node.enum = [...(node.enum as unknown[]), null];
}

/** The contract's naming: ids are UUIDs (`id`, `…Id`, the items of `…Ids`), `date` and `…Date` calendar dates. */
function formatsByName(node: SchemaObject, name: string | undefined): void {
  if (!name || node.type !== 'string' || node.format !== undefined || node.pattern !== undefined || node.enum !== undefined) return;
  if (/^(id|.+Ids?)$/.test(name)) node.format = 'uuid';
  else if (/^(date|.+Dates?)$/.test(name)) node.format = 'date';
}
