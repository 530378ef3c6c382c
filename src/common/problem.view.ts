import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One failing field. */
export class FieldErrorView {
  /** Path of the field, e.g. `product.saleDate` or `parts[1].unitPrice`. */
  field: string;
  /** The field's name in the caller's language (Russian by default), for the act's sections: «дата продажи». */
  label?: string;
  /** What is wrong, in the caller's language. */
  message: string;
}

/** An act named by a 409 that concerns several acts. */
export class ProblemActView {
  id: string;
  number: string;
  status: string;
}

/**
 * RFC 9457 problem details, sent as `application/problem+json`. Extension members appear
 * where they apply; a client should ignore members it does not know.
 */
export class ProblemView {
  /** A URN naming the kind of problem, e.g. `urn:warranty-acts:problem:validation-failed`. */
  type: string;
  title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599 })
  status: number;
  detail?: string;
  instance?: string;
  /** Every failing field at once (validation problems). */
  errors?: FieldErrorView[];
  /** Present on 5xx answers: quote it when reporting the problem. */
  @ApiPropertyOptional({ pattern: '^[\\w.:-]{1,100}$' })
  requestId?: string;
  /** 409: the action that was refused (`submit`, `ship`...). */
  action?: string;
  /** 409: the act's status when the action was refused. */
  currentStatus?: string;
  /** 409: the act's resolution when the action was refused (closed acts). */
  resolution?: string | null;
  /** 409: the statuses the action is allowed from, for the caller's role. */
  allowedFrom?: string[];
  /** 409: the acts that blocked a shipment or a delivery. */
  acts?: ProblemActView[];
  /** 409: when the mismatch window closed. */
  mismatchDeadline?: Date;
  /** 409: when the shipment was delivered. */
  deliveredAt?: Date;
  /** 415: the content types accepted. */
  allowed?: string[];
  /** 415: the content type the file was found to be. */
  detected?: string;
  /** 413: the largest accepted size in bytes. */
  @ApiPropertyOptional({ type: 'integer' })
  maxBytes?: number;
}
