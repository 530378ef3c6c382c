import { ActsRepository, searchQuery } from '../../src/acts/acts.repository';
import { Principal, Role } from '../../src/common/auth/principal';
import { seedAct, seedServiceCenter } from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

/**
 * The text search's index (migration SearchGrams): every text containing a query of three
 * characters or more matches the query's pieces (searchQuery against act_search_grams), so the
 * index never hides a match; quotes, backslashes, tsquery's operators and characters outside
 * the Basic Multilingual Plane included.
 */
describe('act_search_grams and searchQuery', () => {
  let t: ServiceTest;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [] });
  });
  afterAll(() => t?.close());

  const texts = [
    'act-2026-000717 sn123456 модель 12 клиент 345',
    "act-2026-001002 01.234.09274 эгк-1500 энергопром д'артаньян пётр",
    'act-2026-000003  триммер тб-43 100%_\\ a&b|!c:*(d) гарантия 😀 ок',
  ];

  const matches = async (cases: { text: string; query: string }[]) => {
    const [{ missed }] = await t.db.query(
      `SELECT coalesce(jsonb_agg(c) FILTER (WHERE NOT act_search_grams(c->>'text') @@ (c->>'tsquery')::tsquery), '[]') AS missed
         FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(cases.map((c) => ({ ...c, tsquery: searchQuery(c.query) })))],
    );
    return missed;
  };

  it('finds every substring of three characters or more', async () => {
    const cases: { text: string; query: string }[] = [];
    for (const text of texts) {
      const chars = Array.from(text);
      for (let from = 0; from < chars.length; from++) {
        for (let to = from + 3; to <= chars.length; to++) cases.push({ text, query: chars.slice(from, to).join('') });
      }
    }
    expect(cases.length).toBeGreaterThan(3000);
    expect(await matches(cases)).toEqual([]);
  });

  it('looks a query up by its 4-character pieces, at three characters as a prefix, and not at all below', () => {
    expect(searchQuery('sn123456')).toBe("'sn12' & 'n123' & '1234' & '2345' & '3456'");
    expect(searchQuery('аааааа')).toBe("'аааа'");
    expect(searchQuery("n'\\1")).toBe("'n''\\\\1'");
    expect(searchQuery('n-1')).toBe("'n-1':*");
    expect(searchQuery('a😀b')).toBe("'a😀b':*");
    expect(searchQuery('ab')).toBeUndefined();
  });

  it('leaves out the common pieces while another remains', () => {
    const common = new Set(['act-', 'ct-2', 't-20', '-202', '2026', '026-', 'sn12']);
    expect(searchQuery('act-2026-000717', common)).toBe("'26-0' & '6-00' & '-000' & '0007' & '0071' & '0717'");
    expect(searchQuery('sn123456', common)).toBe("'n123' & '1234' & '2345' & '3456'");
    // Nothing but common pieces: all of them, as without the statistics.
    expect(searchQuery('act-2026', common)).toBe("'act-' & 'ct-2' & 't-20' & '-202' & '2026'");
    expect(searchQuery('act', common)).toBe("'act':*");
  });

  it("takes the common pieces from ANALYZE's statistics, and still finds every act", async () => {
    const sc = await seedServiceCenter(t.db);
    const acts = [];
    for (let i = 0; i < 60; i++) acts.push(await seedAct(t.db, sc.id, { status: 'submitted' }));
    const db = t.db;
    // Before ANALYZE the index has no statistics: nothing is left out.
    expect(await new ActsRepository(db).commonSearchPieces()).toEqual(new Set());
    await db.query('ANALYZE acts');
    const repository = new ActsRepository(db);
    const common = await repository.commonSearchPieces();
    // Every seeded act's number starts with act-<year>- and has the same serial number.
    expect([...common]).toEqual(expect.arrayContaining(['act-', '01.2', '9274']));
    const manager: Principal = { role: Role.Manager, ownerId: '00000000-0000-4000-8000-000000000000', name: 'M', keyId: 'k' };
    const found = async (q: string) =>
      (await repository.list(manager, { text: q, review: false, limit: 100 })).map((record) => record.act.number).sort();
    const target = acts[41].number;
    expect(await found(target.toLowerCase())).toEqual([target]);
    expect(await found('01.234.09274')).toEqual(acts.map((act) => act.number).sort());
    expect(await found(target.slice(0, -1).toLowerCase())).toEqual(
      acts
        .map((act) => act.number)
        .filter((number) => number.startsWith(target.slice(0, -1)))
        .sort(),
    );
  });

  it('leaves out texts without the pieces', async () => {
    const missed = await matches([
      { text: texts[0], query: 'sn123457' },
      { text: texts[0], query: 'sn2' },
    ]);
    expect(missed).toHaveLength(2);
  });
});
