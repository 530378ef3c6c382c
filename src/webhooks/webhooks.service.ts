import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Principal, Role } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { fieldMessage, Problems } from '../common/problem';
import { PageQuery } from '../common/page.query';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/webhook.dto';
import { RefusedAddressError, WebhookAddressGuard } from './webhook-address.service';
import { WebhookCounts, WebhookEndpoint, WebhookOwner } from './webhook.entity';
import { WebhookCreatedView, WebhookDeliveryPageView, WebhookPageView, WebhookSecretView, WebhookView } from './webhook.view';
import { WebhooksRepository } from './webhooks.repository';

/** After a rotation the previous secret still signs this long (Standard Webhooks allows several signatures). */
export const PREVIOUS_SECRET_VALID_MS = 24 * 60 * 60 * 1000;

/** Deliveries (and events no delivery refers to) older than this are purged by the maintenance queue. */
export const WEBHOOK_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Whose endpoints the caller sees and makes: a service center's or a manager's own. */
export function ownerOf(principal: Principal): WebhookOwner {
  return principal.role === Role.ServiceCenter
    ? { serviceCenterId: principal.ownerId, managerId: null }
    : { serviceCenterId: null, managerId: principal.ownerId };
}

/** Webhook endpoints and their delivery logs, for their owners only (another's: 404). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly guard: WebhookAddressGuard,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateWebhookDto): Promise<WebhookCreatedView> {
    await this.checkUrl(dto.url);
    const endpoint = await this.webhooks.insertEndpoint(
      ownerOf(principal),
      { url: dto.url, events: dto.events ?? null, description: dto.description ?? null, secret: newSecret() },
      this.clock.now(),
    );
    return { ...toView(endpoint), secret: endpoint.secret };
  }

  async list(principal: Principal, query: PageQuery): Promise<WebhookPageView> {
    const limit = query.limit ?? 20;
    const rows = await this.webhooks.listEndpoints(ownerOf(principal), query.cursor ? decodeTimeCursor(query.cursor) : undefined, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toView), nextCursor: rows.length > limit && last ? encodeTimeCursor(last.createdAt, last.id) : null };
  }

  async get(principal: Principal, id: string): Promise<WebhookView> {
    return toView(await this.find(principal, id));
  }

  async update(principal: Principal, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const current = await this.find(principal, id);
    if (dto.url !== undefined && dto.url !== current.url) await this.checkUrl(dto.url);
    const updated = await this.webhooks.updateEndpoint(
      id,
      ownerOf(principal),
      {
        url: dto.url ?? current.url,
        events: dto.events === undefined ? current.events : dto.events,
        description: dto.description === undefined ? current.description : dto.description,
        enabled: dto.enabled ?? current.enabled,
      },
      this.clock.now(),
    );
    if (!updated) throw Problems.notFound('webhook');
    return toView(updated);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    if (!(await this.webhooks.deleteEndpoint(id, ownerOf(principal)))) throw Problems.notFound('webhook');
  }

  /** A new secret; the previous one keeps signing (as a second signature) for 24 h. */
  async rotateSecret(principal: Principal, id: string): Promise<WebhookSecretView> {
    const now = this.clock.now();
    const endpoint = await this.webhooks.rotateSecret(id, ownerOf(principal), newSecret(), now, new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS));
    if (!endpoint) throw Problems.notFound('webhook');
    return { secret: endpoint.secret };
  }

  async deliveries(principal: Principal, id: string, query: PageQuery): Promise<WebhookDeliveryPageView> {
    await this.find(principal, id);
    const limit = query.limit ?? 20;
    const rows = await this.webhooks.listDeliveries(id, query.cursor ? decodeTimeCursor(query.cursor) : undefined, limit);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: rows.length > limit && last ? encodeTimeCursor(last.createdAt, last.id) : null };
  }

  /** Sends the delivery again (same webhook-id), one more attempt, in its act's order. */
  async retry(principal: Principal, id: string, deliveryId: string): Promise<void> {
    await this.find(principal, id);
    if (!(await this.webhooks.retryDelivery(id, deliveryId, this.clock.now()))) throw Problems.notFound('webhookDelivery');
  }

  /** Deliveries by state and disabled endpoints, for operators. */
  counts(): Promise<WebhookCounts> {
    return this.webhooks.counts();
  }

  /** Drops deliveries past the retention, then events left without a delivery. */
  purge(): Promise<{ deliveries: number; events: number }> {
    return this.webhooks.purge(new Date(this.clock.now().getTime() - WEBHOOK_RETENTION_MS));
  }

  private async find(principal: Principal, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.webhooks.findEndpoint(id, ownerOf(principal));
    if (!endpoint) throw Problems.notFound('webhook');
    return endpoint;
  }

  /** 422 naming `url` for a URL the SSRF guard refuses. */
  private async checkUrl(url: string): Promise<void> {
    try {
      await this.guard.checkUrl(url);
    } catch (error) {
      if (!(error instanceof RefusedAddressError)) throw error;
      const message =
        error.reason === 'scheme'
          ? fieldMessage('webhookScheme')
          : error.reason === 'unresolvable'
            ? fieldMessage('webhookUnresolvable', { host: error.host })
            : fieldMessage('webhookAddress', { host: error.host, range: error.range });
      throw Problems.validation([{ field: 'url', message }]);
    }
  }
}

function toView(e: WebhookEndpoint): WebhookView {
  return {
    id: e.id,
    url: e.url,
    events: e.events,
    description: e.description,
    enabled: e.enabled,
    disabledAt: e.disabledAt,
    failingSince: e.failingSince,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}
