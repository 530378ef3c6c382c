import { searchGrams } from '../../src/acts/acts.repository';
import { createServiceTest, ServiceTest } from '../support/service-test';

/**
 * The text search's index (migration SearchGrams): every text containing a query has all of the
 * query's pieces (searchGrams) among its own (act_search_grams), so the index never hides a match.
 */
describe('act_search_grams and searchGrams', () => {
  let t: ServiceTest;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [] });
  });
  afterAll(() => t?.close());

  const texts = [
    'act-2026-000717 sn123456 модель 12 клиент 345',
    'act-2026-001002 01.234.09274 эгк-1500 энергопром петров пётр',
    'act-2026-000003  триммер тб-43 100%_\\ гарантия 😀 ок',
  ];

  it('finds every substring of three characters or more among the text’s own pieces', async () => {
    const cases: { text: string; query: string }[] = [];
    for (const text of texts) {
      const chars = Array.from(text);
      for (let from = 0; from < chars.length; from++) {
        for (let to = from + 3; to <= chars.length; to++) cases.push({ text, query: chars.slice(from, to).join('') });
      }
    }
    const [{ missed }] = await t.db.query(
      `SELECT coalesce(jsonb_agg(c) FILTER (WHERE NOT act_search_grams(c->>'text') @> ARRAY(SELECT jsonb_array_elements_text(c->'grams'))), '[]') AS missed
         FROM jsonb_array_elements($1::jsonb) c`,
      [JSON.stringify(cases.map((c) => ({ ...c, grams: searchGrams(c.query) })))],
    );
    expect(cases.length).toBeGreaterThan(3000);
    expect(missed).toEqual([]);
  });

  it('looks up a query by its 4-character pieces, or itself at three characters, and not at all below', () => {
    expect(searchGrams('sn123456')).toEqual(['sn12', 'n123', '1234', '2345', '3456']);
    expect(searchGrams('n-1')).toEqual(['n-1']);
    expect(searchGrams('аааааа')).toEqual(['аааа']);
    expect(searchGrams('a😀bc')).toEqual(['a😀bc']);
    expect(searchGrams('ab')).toEqual([]);
  });

  it('leaves out pieces the text does not have', async () => {
    const [{ contains }] = await t.db.query(`SELECT act_search_grams($1) @> $2::text[] AS contains`, [texts[0], searchGrams('sn123457')]);
    expect(contains).toBe(false);
  });
});
