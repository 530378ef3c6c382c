import type { OpenAPIObject } from '@nestjs/swagger';
import { finishOpenApiDocument } from './openapi';

const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/things': {
        post: {
          security: [{ bearer: [] }],
          requestBody: json('CreateThingDto'),
          responses: { '201': { description: '', ...json('ThingView') } },
        },
      },
      '/things/{id}': {
        get: {
          summary: 'One thing. It has a version, so it has an ETag.',
          security: [{ bearer: [] }],
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'If-Match', in: 'header', schema: { type: 'string' } },
            { name: 'if-match', in: 'header', schema: { type: 'string' } },
          ],
          responses: { '200': { description: '', ...json('ThingView') } },
        },
      },
      '/health': { get: { responses: { '200': { description: '' }, '503': { description: '', content: { 'application/json': { schema: {} } } } } } },
    },
    components: {
      schemas: {
        CreateThingDto: { type: 'object', properties: { part: { $ref: '#/components/schemas/PartDto' } } },
        PartDto: { type: 'object', properties: { partId: { type: 'string' }, saleDate: { type: 'string' } } },
        ThingView: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            number: { type: 'string' },
            version: { type: 'integer' },
            kind: { type: 'string', nullable: true, enum: ['a', 'b'] },
            actIds: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  };
}

describe('finishOpenApiDocument', () => {
  const doc = finishOpenApiDocument(document());
  const post = doc.paths['/things'].post!;
  const get = doc.paths['/things/{id}'].get!;
  const health = doc.paths['/health'].get!;
  const schemas = doc.components!.schemas as Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties?: unknown }>;

  it('adds the shared request headers once: Accept-Language everywhere, Idempotency-Key on POSTs', () => {
    expect(post.parameters).toEqual([{ $ref: '#/components/parameters/AcceptLanguage' }, { $ref: '#/components/parameters/IdempotencyKey' }]);
    expect(get.parameters!.map((p) => ('$ref' in p ? p.$ref : p.name))).toEqual(['id', 'If-Match', '#/components/parameters/AcceptLanguage']);
    expect(finishOpenApiDocument(doc).paths['/things'].post!.parameters).toHaveLength(2);
  });

  it('adds the answers every keyed route, body and POST can give, as problem details', () => {
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '409', '413', '415', '422', '429', '503']);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '401', '429', '503']);
    expect(post.responses['401']).toMatchObject({ headers: { 'WWW-Authenticate': {} }, content: { 'application/problem+json': {} } });
    expect(post.responses['429']).toMatchObject({ headers: { 'Retry-After': {}, 'RateLimit-Limit': {} } });
    expect(post.responses['201']).toMatchObject({ headers: { 'Idempotent-Replayed': {}, ETag: {}, 'RateLimit-Remaining': {} } });
  });

  it('leaves public routes without a key, and declares what their errors really are', () => {
    expect(health.security).toEqual([]);
    expect(Object.keys(health.responses).sort()).toEqual(['200', '503']);
    expect(health.responses['503']).toMatchObject({
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemView' } } },
    });
    expect(Object.keys((health.responses['503'] as { content: object }).content)).toEqual(['application/problem+json']);
  });

  it('fixes schemas: null in nullable enums, closed request bodies, formats by the naming convention', () => {
    expect(schemas.ThingView.properties.kind.enum).toEqual(['a', 'b', null]);
    expect(schemas.CreateThingDto.additionalProperties).toBe(false);
    expect(schemas.PartDto.additionalProperties).toBe(false);
    expect(schemas.ThingView.additionalProperties).toBeUndefined();
    expect(schemas.ThingView.properties.id.format).toBe('uuid');
    expect(schemas.ThingView.properties.actIds.items).toEqual({ type: 'string', format: 'uuid' });
    expect(schemas.PartDto.properties.partId.format).toBe('uuid');
    expect(schemas.PartDto.properties.saleDate.format).toBe('date');
    expect(get.parameters![0]).toMatchObject({ schema: { format: 'uuid' } });
  });

  it('sets servers and keeps summaries to a sentence', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(get.summary).toBe('One thing.');
    expect(get.description).toBe('One thing. It has a version, so it has an ETag.');
  });
});
