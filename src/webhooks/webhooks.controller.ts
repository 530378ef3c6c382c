import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { PageQuery } from '../common/page.query';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { WebhookCreatedView, WebhookDeliveryPageView, WebhookPageView, WebhookSecretView, WebhookView } from './webhook.view';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Subscribes a URL to events',
    description:
      "A service center's endpoint hears the events of its own acts; a manager's, the events of every act. Events are POSTed as " +
      '`{ type, timestamp, data: { actId, number, status, previousStatus, resolution, ... } }`, signed per Standard Webhooks ' +
      '(`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `secret` of this response — shown only here and on rotation. ' +
      'Any 2xx within 10 s is a delivery; otherwise retried with doubling backoff (WEBHOOK_ATTEMPTS, WEBHOOK_BACKOFF); events of one ' +
      'act arrive in order. The URL must be http(s) and its host must not be (or resolve to) a loopback, private or link-local ' +
      'address (422 naming `url`).',
  })
  @ApiProblems(400, 401, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWebhookDto): Promise<WebhookCreatedView> {
    return this.webhooks.create(principal, dto);
  }

  /** The caller's own endpoints, newest first, keyset-paginated. */
  @Get()
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQuery): Promise<WebhookPageView> {
    return this.webhooks.list(principal, query);
  }

  /** One of the caller's endpoints (another's: 404). */
  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookView> {
    return this.webhooks.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Changes an endpoint',
    description:
      'Only the fields sent change. `enabled: false` holds deliveries (events go on being recorded); `enabled: true` resumes them ' +
      '— also after the service disabled the endpoint for failing for WEBHOOK_DISABLE_AFTER — oldest first, in order per act.',
  })
  @ApiProblems(400, 401, 404, 422)
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookView> {
    return this.webhooks.update(principal, id, dto);
  }

  /** Deletes the endpoint with its delivery log; nothing more is sent to it. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiProblems(400, 401, 404)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replaces the signing secret',
    description: 'For 24 h the previous secret signs too (a second `v1,` signature in `webhook-signature`), so the receiver can switch over.',
  })
  @ApiProblems(400, 401, 404, 409, 422)
  rotateSecret(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookSecretView> {
    return this.webhooks.rotateSecret(principal, id);
  }

  /** The endpoint's deliveries, newest first, keyset-paginated; kept 30 days. */
  @Get(':id/deliveries')
  @ApiProblems(400, 401, 404)
  deliveries(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<WebhookDeliveryPageView> {
    return this.webhooks.deliveries(principal, id, query);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Sends a delivery again',
    description:
      'Pending again with one more attempt, with the same `webhook-id`; it goes out after any older pending event of the same act. ' +
      'A delivered one is sent again too.',
  })
  @ApiAcceptedResponse({ description: 'Queued' })
  @ApiProblems(400, 401, 404, 409, 422)
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<void> {
    return this.webhooks.retry(principal, id, deliveryId);
  }
}
