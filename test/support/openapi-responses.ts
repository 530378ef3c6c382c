import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';

/** The parts of an OpenAPI 3.0 document the checker reads. */
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseSpec> }>>;
}
interface ResponseSpec {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: unknown }>;
}

/** Headers the service sends on purpose: whenever one is sent, the document must declare it for that answer. */
const DOCUMENTED_HEADERS = [
  'etag',
  'location',
  'idempotent-replayed',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'www-authenticate',
  'x-request-id',
  'content-disposition',
];

/** One response that disagrees with the document. */
export interface Mismatch {
  request: string;
  status: number;
  problem: string;
}

/**
 * Checks every response a generated client receives against the OpenAPI document: the status
 * is declared for the operation, the content type is one it declares (no body where it declares
 * none), the body meets the declared schema (Ajv, OpenAPI 3.0 `nullable` included) and every
 * header of DOCUMENTED_HEADERS that is sent is declared.
 */
export class ResponseChecker {
  readonly mismatches: Mismatch[] = [];
  readonly seen: string[] = [];
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly pending: Promise<void>[] = [];

  constructor(private readonly document: Document) {
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addSchema(document, 'openapi.json');
  }

  /** An openapi-fetch middleware that checks each response as it arrives. */
  middleware(): Middleware {
    return {
      onResponse: ({ request, response, schemaPath }) => {
        this.pending.push(this.check(request.method.toLowerCase(), schemaPath, response.clone()));
        return undefined;
      },
    };
  }

  /** Waits for the checks of every response so far. */
  async settled(): Promise<Mismatch[]> {
    await Promise.all(this.pending);
    return this.mismatches;
  }

  private async check(method: string, schemaPath: string, response: Response): Promise<void> {
    const request = `${method.toUpperCase()} ${schemaPath}`;
    const fail = (problem: string) => this.mismatches.push({ request, status: response.status, problem });
    this.seen.push(`${request} ${response.status}`);
    const operation = this.document.paths[schemaPath]?.[method];
    if (!operation) return void fail('no such operation in the document');
    const key = operation.responses[String(response.status)] ? String(response.status) : 'default';
    const spec = operation.responses[key];
    if (!spec) return void fail(`status not declared (declared: ${Object.keys(operation.responses).join(', ')})`);

    const declaredHeaders = Object.keys(spec.headers ?? {}).map((name) => name.toLowerCase());
    for (const name of DOCUMENTED_HEADERS) {
      if (response.headers.has(name) && !declaredHeaders.includes(name)) fail(`header ${name} sent but not declared`);
    }

    const body = Buffer.from(await response.arrayBuffer());
    const declared = spec.content ?? {};
    if (Object.keys(declared).length === 0) {
      if (body.length > 0) fail(`a body of ${body.length} bytes where none is declared`);
      return;
    }
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const media = declared[contentType];
    if (!media) return void fail(`content type "${contentType}" not declared (declared: ${Object.keys(declared).join(', ')})`);
    if (!/[/+]json$/.test(contentType) || !media.schema) return;

    const pointer = ['paths', schemaPath, method, 'responses', key, 'content', contentType, 'schema']
      .map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    const validate = this.validator(`openapi.json#/${pointer}`);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return void fail('the body is not JSON');
    }
    if (!validate(json)) {
      fail(`body does not match the schema: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`);
    }
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}
