import { DetailMessage } from '../messages/problems.catalogue';

/**
 * A rule of the business refused what was asked (an action the act's status does not allow, a
 * closed window). Thrown by domain code, which knows nothing of HTTP; the problem-details filter
 * answers it 409 with its slug, its detail (in the caller's language) and extension members.
 */
export class DomainConflict extends Error {
  constructor(
    readonly slug: string,
    readonly detail: DetailMessage,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail.key);
    this.name = new.target.name;
  }
}
