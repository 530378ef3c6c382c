/**
 * A rule of the business refused what was asked (an action the act's status does not allow, a
 * closed window). Thrown by domain code, which knows nothing of HTTP; the problem-details filter
 * answers it 409 with its slug, detail and extension members.
 */
export class DomainConflict extends Error {
  constructor(
    readonly slug: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}
