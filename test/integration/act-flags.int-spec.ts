import { ActFlagsRepository } from '../../src/acts/act-flags.repository';
import { createServiceTest, ServiceTest } from '../support/service-test';

/** How the flags' statements are planned: generically from the key locks on, within the transaction only. */
describe('ActFlagsRepository: plan_cache_mode', () => {
  let t: ServiceTest;
  const flags = new ActFlagsRepository();
  const mode = async (q: { query: (sql: string) => Promise<{ plan_cache_mode: string }[]> }) =>
    (await q.query('SHOW plan_cache_mode'))[0].plan_cache_mode;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [] });
  });
  afterAll(() => t?.close());

  it('is force_generic_plan after lockKeys, auto again after planAsUsual, and never outlives the transaction', async () => {
    const seen = await t.db.transaction(async (tx) => {
      const before = await mode(tx);
      await flags.lockKeys(tx, '00000000-0000-4000-8000-000000000000');
      const locked = await mode(tx);
      await flags.planAsUsual(tx);
      const after = await mode(tx);
      await flags.lockKeys(tx, '00000000-0000-4000-8000-000000000001');
      return { before, locked, after };
    });
    expect(seen).toEqual({ before: 'auto', locked: 'force_generic_plan', after: 'auto' });
    // The last lockKeys' setting ended with its transaction, on whichever pooled connection ran it.
    const modes = await Promise.all(Array.from({ length: 4 }, () => mode(t.db)));
    expect(modes).toEqual(['auto', 'auto', 'auto', 'auto']);
  });
});
