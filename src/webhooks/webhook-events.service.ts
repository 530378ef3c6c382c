import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { gatherUntilCommit } from '../common/gather-until-commit';
import { Clock } from '../common/clock';
import { NewWebhookEvent } from './webhook.entity';
import { WebhooksRepository } from './webhooks.repository';

export type { NewWebhookEvent };

/**
 * Records webhook events in the caller's transaction, with one delivery for every endpoint that
 * hears each (set-based, in the same statement): `WebhookEvents.record(tx, [{ type, actId,
 * serviceCenterId, data }])`. The events of a transaction are gathered and written in one
 * statement just before it commits (gatherUntilCommit), in the order recorded, at the time of the
 * first. Nothing is sent here; the worker delivers after the commit, so an event exists exactly
 * when its change does.
 */
@Injectable()
export class WebhookEvents {
  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly clock: Clock,
  ) {}

  async record(tx: EntityManager, events: NewWebhookEvent[]): Promise<void> {
    if (events.length === 0) return;
    const gathered = gatherUntilCommit(
      tx,
      this,
      () => ({ at: this.clock.now(), events: [] as NewWebhookEvent[] }),
      async ({ at, events: all }) => {
        await this.webhooks.record(tx, all, at);
      },
    );
    gathered.events.push(...events);
  }
}
