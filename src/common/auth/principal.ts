export enum Role {
  Manager = 'manager',
  ServiceCenter = 'service_center',
}

/** Who is calling: resolved from the API key by the auth guard. */
export interface Principal {
  role: Role;
  /** The manager's id or the service center's id. */
  ownerId: string;
  name: string;
  keyId: string;
}

/** The service center whose data a query must be limited to, or undefined for managers. */
export function tenantOf(principal: Principal): string | undefined {
  return principal.role === Role.ServiceCenter ? principal.ownerId : undefined;
}
