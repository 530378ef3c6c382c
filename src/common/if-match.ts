import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiProblems } from './openapi';

/** The versions an `If-Match` header accepts: `"3"`, `W/"3"`, a list of them, or `*`. */
export class IfMatch {
  private constructor(private readonly tags: readonly string[]) {}

  static parse(header: string | undefined): IfMatch | undefined {
    if (header === undefined) return undefined;
    return new IfMatch(
      header.split(',').map((t) =>
        t
          .trim()
          .replace(/^W\//, '')
          .replace(/^"(.*)"$/, '$1'),
      ),
    );
  }

  matches(version: number): boolean {
    return this.tags.includes('*') || this.tags.includes(String(version));
  }
}

/** OpenAPI description of the header, for @ApiHeader. */
export const IF_MATCH_HEADER_DOC = { name: 'If-Match', required: false, description: "The act's ETag; a stale one is 412." };

/** A handler that reads If-Match documents the header and its 412 by that alone. */
function documentIfMatch(target: object, key: string | symbol | undefined): void {
  const descriptor = key === undefined ? undefined : Object.getOwnPropertyDescriptor(target, key);
  if (!descriptor) return;
  ApiHeader(IF_MATCH_HEADER_DOC)(target, key!, descriptor);
  ApiProblems(412)(target, key!, descriptor);
}

/** The request's If-Match header, parsed; undefined when absent (the change is unconditional). */
export const IfMatchHeader = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): IfMatch | undefined => IfMatch.parse(ctx.switchToHttp().getRequest<Request>().headers['if-match']),
  [documentIfMatch],
);
