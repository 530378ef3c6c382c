import type { Principal } from './auth/principal';

declare global {
  namespace Express {
    interface Request {
      /** Set by requestId: the caller's X-Request-Id, or generated. */
      id?: string | number | object;
      /** Set by the auth guard. */
      principal?: Principal;
    }
  }
}

export {};
