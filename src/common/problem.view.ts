/** One failing field. */
export class FieldErrorView {
  /** Path of the field, e.g. `product.saleDate` or `parts[1].unitPrice`. */
  field: string;
  message: string;
}

/** RFC 9457 problem details, sent as `application/problem+json`. */
export class ProblemView {
  /** A URN naming the kind of problem, e.g. `urn:warranty-acts:problem:validation-failed`. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Every failing field at once (validation problems). */
  errors?: FieldErrorView[];
  /** Present on 5xx answers: quote it when reporting the problem. */
  requestId?: string;
}
