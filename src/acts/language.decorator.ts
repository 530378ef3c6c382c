import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Language, languageOf } from './act-status';

/** The caller's language for labels, from Accept-Language: Russian unless English is preferred. */
export const Lang = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Language => languageOf(ctx.switchToHttp().getRequest<Request>().headers['accept-language']),
);
