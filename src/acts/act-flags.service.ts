import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { ActFlagsRepository } from './act-flags.repository';

/**
 * The integrity flags of an act, recomputed inside the transaction of the change that may move
 * them: the submit, a product section PUT (serial number, model, category, dates, condition) and
 * a photo added or deleted after the draft. The act's counterparts (the other acts of a duplicate,
 * before and after the change) are recomputed in the same transaction too, so that both sides
 * always show the relation: a corrected serial number removes the flag from both acts. Only one
 * level: the counterparts' own other counterparts are unaffected by this act's change.
 */
@Injectable()
export class ActFlags {
  constructor(
    private readonly flags: ActFlagsRepository,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'integrityFlags'>,
  ) {}

  async recompute(tx: EntityManager, actId: string): Promise<void> {
    if (!this.config.integrityFlags) return;
    await this.flags.lockKeys(tx, actId);
    const counterparts = await this.flags.refresh(tx, [actId]);
    if (counterparts.length) await this.flags.refresh(tx, counterparts);
    await this.flags.planAsUsual(tx);
  }
}
