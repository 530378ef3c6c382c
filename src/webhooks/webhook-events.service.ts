import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { beforeCommit } from '../common/before-commit';
import { Clock } from '../common/clock';
import { NewWebhookEvent } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';

export type { NewWebhookEvent };

/**
 * Records webhook events in the caller's transaction, with one delivery for every endpoint that
 * hears each (set-based, in the same statement): `WebhookEvents.record(tx, [{ type, actId,
 * serviceCenterId, data }])`. The events of a transaction are gathered and written in one
 * statement just before it commits (beforeCommit), in the order recorded, at the time of the
 * first. Nothing is sent here; the worker delivers after the commit, so an event exists exactly
 * when its change does.
 */
@Injectable()
export class WebhookEvents {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
  ) {}

  private readonly pending = new WeakMap<EntityManager, { at: Date; events: NewWebhookEvent[] }>();

  async record(tx: EntityManager, events: NewWebhookEvent[]): Promise<void> {
    if (events.length === 0) return;
    let gathered = this.pending.get(tx);
    if (!gathered) {
      this.pending.set(tx, (gathered = { at: this.clock.now(), events: [] }));
      beforeCommit(tx, this, () => this.write(tx));
    }
    gathered.events.push(...events);
  }

  private async write(tx: EntityManager): Promise<void> {
    const gathered = this.pending.get(tx);
    this.pending.delete(tx);
    if (gathered?.events.length) await this.webhooks.record(tx, gathered.events, gathered.at);
  }
}
