import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, titleOf } from './problem';
import { ProblemView } from './problem.view';

const WHEN: Record<number, string> = {
  400: 'Malformed request: bad JSON, bad query or path parameter',
  401: 'No API key, or an unknown or revoked one',
  403: "The key's role may not do this",
  404: 'Unknown, or not yours',
  409: 'The current state does not allow this',
  412: 'If-Match does not match the current version',
  413: 'Too large',
  415: 'File type not allowed',
  422: 'Validation failed: every failing field is listed in errors',
  429: 'Rate limited: see Retry-After',
  503: 'A dependency is down',
};

const RATE_LIMIT_HEADERS = {
  'Retry-After': { description: 'Seconds until the key may call again', schema: { type: 'integer' } },
  'RateLimit-Limit': { description: 'Requests allowed per window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

/**
 * Documents the problem+json answers a route can give. A route that can answer 401 takes a
 * key, so it is rate limited per key: 429 is added to it.
 */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  const all = statuses.includes(401) && !statuses.includes(429) ? [...statuses, 429] : statuses;
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: WHEN[status] ?? titleOf(status),
        headers: status === 429 ? RATE_LIMIT_HEADERS : undefined,
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemView' } } },
      }),
    ),
  );
}

export const PROBLEM_SCHEMAS = [ProblemView];
