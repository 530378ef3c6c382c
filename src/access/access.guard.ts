import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from './auth.guard';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * The one global guard: authentication, then the per-key rate limit. One chain instead of two
 * APP_GUARDs, so the order does not hang on the order of provider registration. A request
 * refused for its role (403) was still made with a valid key, so it counts too.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly auth: AuthGuard,
    private readonly rateLimit: RateLimitGuard,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    let allowed = false;
    let refusal: Error | undefined;
    try {
      allowed = await this.auth.canActivate(context);
    } catch (error) {
      refusal = error as Error;
    }
    await this.rateLimit.canActivate(context);
    if (refusal) throw refusal;
    return allowed;
  }
}
