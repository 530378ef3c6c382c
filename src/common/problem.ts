import { HttpException, HttpStatus } from '@nestjs/common';

/** One failing field of a request, named by its path (`product.saleDate`, `parts[1].unitPrice`). */
export interface FieldError {
  field: string;
  message: string;
}

/** The body of every error response: RFC 9457 problem details. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function titleOf(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** A stable, dereference-free identifier of a kind of problem. */
export function problemType(slug: string): string {
  return `urn:warranty-acts:problem:${slug}`;
}

/**
 * An error that is meant for the client: thrown anywhere, rendered by the problem-details
 * filter. `slug` names the kind of problem (`validation-failed`, `status-conflict`...).
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    detail: string,
    readonly extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail, status);
  }

  toProblem(): ProblemBody {
    return {
      type: problemType(this.slug),
      title: titleOf(this.getStatus()),
      status: this.getStatus(),
      detail: this.message,
      ...this.extensions,
    };
  }
}

export const Problems = {
  validation(errors: FieldError[], detail = 'The request has invalid fields; see errors.'): ProblemException {
    return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'validation-failed', detail, { errors });
  },
  badRequest(detail: string, errors?: FieldError[]): ProblemException {
    return new ProblemException(HttpStatus.BAD_REQUEST, 'bad-request', detail, errors ? { errors } : {});
  },
  notFound(what: string): ProblemException {
    return new ProblemException(HttpStatus.NOT_FOUND, 'not-found', `${what} was not found.`);
  },
  conflict(slug: string, detail: string, extensions: Record<string, unknown> = {}): ProblemException {
    return new ProblemException(HttpStatus.CONFLICT, slug, detail, extensions);
  },
  preconditionFailed(detail: string): ProblemException {
    return new ProblemException(HttpStatus.PRECONDITION_FAILED, 'precondition-failed', detail);
  },
};
