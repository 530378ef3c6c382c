import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import { Principal, Role } from './principal';

export const ROLES_KEY = 'auth:roles';
export const PUBLIC_KEY = 'auth:public';

/** The roles that may call a route. A route with neither @Roles nor @Public is closed to all. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** Opens a route to callers without a key (health checks, API docs). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<Request>();
  return request.principal as Principal;
});
