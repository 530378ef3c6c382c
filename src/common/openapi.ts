import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, titleOf } from './problem';
import { ProblemView } from './problem.view';

const WHEN: Record<number, string> = {
  400: 'Malformed request: bad JSON, bad query or path parameter',
  401: 'No API key, or an unknown or revoked one',
  403: 'The key\'s role may not do this',
  404: 'Unknown, or not yours',
  409: 'The current state does not allow this',
  412: 'If-Match does not match the current version',
  413: 'Too large',
  415: 'File type not allowed',
  422: 'Validation failed: every failing field is listed in errors',
  429: 'Rate limited: see Retry-After',
  503: 'A dependency is down',
};

/** Documents the problem+json answers a route can give. */
export function ApiProblems(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: WHEN[status] ?? titleOf(status),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemView' } } },
      }),
    ),
  );
}

export const PROBLEM_SCHEMAS = [ProblemView];
