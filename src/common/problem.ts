import { HttpException, HttpStatus } from '@nestjs/common';
import { Language } from '../messages/language';
import { DetailMessage, detailMessage, FieldMessage, NotFoundSubject } from '../messages/problems.catalogue';
import { fieldLabel, problemTitle, renderDetail, renderField } from '../messages/problems';

export { detailMessage, fieldMessage } from '../messages/problems.catalogue';
export type { DetailMessage, FieldMessage } from '../messages/problems.catalogue';

/** One failing field of a request, named by its path (`product.saleDate`, `parts[1].unitPrice`). */
export interface FieldError {
  field: string;
  /** What is wrong, by catalogue key: rendered in the caller's language. */
  message: FieldMessage;
}

/** A failing field as the response names it, its message in the caller's language. */
export interface RenderedFieldError {
  field: string;
  /** The field's name in the caller's language, for the act's sections. */
  label?: string;
  message: string;
}

/** The body of every error response: RFC 9457 problem details. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: RenderedFieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function titleOf(status: number, language: Language = 'ru'): string {
  return problemTitle(status, language);
}

/** Field errors rendered in a language. */
export function renderFieldErrors(errors: FieldError[], language: Language = 'ru'): RenderedFieldError[] {
  return errors.map(({ field, message }) => {
    const label = fieldLabel(field, language);
    return { field, ...(label ? { label } : {}), message: renderField(message, language) };
  });
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
    readonly detail: DetailMessage,
    readonly extensions: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail.key, status);
  }

  /** The problem as the response says it, in the caller's language. */
  toProblem(language: Language = 'ru'): ProblemBody {
    const { errors, ...extensions } = this.extensions;
    return {
      type: problemType(this.slug),
      title: titleOf(this.getStatus(), language),
      status: this.getStatus(),
      detail: renderDetail(this.detail, language),
      ...extensions,
      ...(errors ? { errors: renderFieldErrors(errors, language) } : {}),
    };
  }
}

export const Problems = {
  validation(errors: FieldError[], detail: DetailMessage = detailMessage('invalidFields')): ProblemException {
    return new ProblemException(HttpStatus.UNPROCESSABLE_ENTITY, 'validation-failed', detail, { errors });
  },
  badRequest(detail: DetailMessage, errors?: FieldError[]): ProblemException {
    return new ProblemException(HttpStatus.BAD_REQUEST, 'bad-request', detail, errors ? { errors } : {});
  },
  notFound(what: NotFoundSubject): ProblemException {
    return new ProblemException(HttpStatus.NOT_FOUND, 'not-found', detailMessage('notFound', { what }));
  },
  conflict(slug: string, detail: DetailMessage, extensions: Record<string, unknown> = {}): ProblemException {
    return new ProblemException(HttpStatus.CONFLICT, slug, detail, extensions);
  },
  preconditionFailed(detail: DetailMessage): ProblemException {
    return new ProblemException(HttpStatus.PRECONDITION_FAILED, 'precondition-failed', detail);
  },
};
