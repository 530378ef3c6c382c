import { searchQuery } from '../../src/acts/acts.repository';
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

  it('leaves out texts without the pieces', async () => {
    const missed = await matches([
      { text: texts[0], query: 'sn123457' },
      { text: texts[0], query: 'sn2' },
    ]);
    expect(missed).toHaveLength(2);
  });
});
