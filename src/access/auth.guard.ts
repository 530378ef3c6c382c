import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AnonymousRateLimit } from './anonymous-rate-limit';
import { ApiKeyCache } from './api-key-cache';
import { detailMessage, ProblemException } from '../common/problem';
import { PUBLIC_KEY, ROLES_KEY } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';

/**
 * Denies by default: a route needs @Public() or @Roles(...). The key comes from
 * `Authorization: Bearer <key>`; revoked or unknown keys are 401, a wrong role is 403.
 * Requests without a valid key are rate limited per address (AnonymousRateLimit).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyCache,
    private readonly anonymous: AnonymousRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const header = request.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
    if (!match) {
      await this.anonymous.count(request, response);
      this.challenge(context);
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', detailMessage('apiKeyRequired'));
    }
    // An address over its budget of refused keys gets no more key lookups.
    if (!this.apiKeys.remembers(match[1])) await this.anonymous.assertUnder(request, response);
    const principal = await this.apiKeys.authenticate(match[1]);
    if (!principal) {
      await this.anonymous.count(request, response);
      this.challenge(context);
      throw new ProblemException(HttpStatus.UNAUTHORIZED, 'unauthorized', detailMessage('apiKeyUnknown'));
    }
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!roles.includes(principal.role)) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', detailMessage('roleForbidden', { role: principal.role }));
    }
    return true;
  }

  private challenge(context: ExecutionContext): void {
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer');
  }
}
