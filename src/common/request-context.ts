import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Language, languageOf } from '../messages/language';
import { Principal } from './auth/principal';

/** Who is asking and in which language they read: what a service needs to know of a request. */
export interface RequestContext {
  principal: Principal;
  language: Language;
}

/** The caller and its language (Accept-Language: Russian unless English is preferred). */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const request = ctx.switchToHttp().getRequest<Request>();
  return { principal: request.principal as Principal, language: languageOf(request.headers['accept-language']) };
});

/** The caller's language alone, for handlers that need nothing else of the request. */
export const Lang = createParamDecorator((_: unknown, ctx: ExecutionContext): Language =>
  languageOf(ctx.switchToHttp().getRequest<Request>().headers['accept-language']),
);
