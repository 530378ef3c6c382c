import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The acts' text search (`GET /acts?q=`, a substring of the number, serial number, model or
 * customer name) by an index of the search text's 3- and 4-character pieces, instead of
 * pg_trgm's trigrams (issue 20).
 *
 * A substring search has to read the index's list of acts for each piece of the query. With
 * trigrams, a serial number's pieces (`sn1`, `123`, `234`…) are each in about one act in fifty,
 * so those lists grow with the table: at 10 000 000 acts the search took 2.3 times as long as at
 * 1 000 000. Four-character pieces are each in about a tenth as many acts; a query of four
 * characters or more is looked up by those, one of exactly three by itself. Shorter queries use
 * no index, as before (pg_trgm had nothing to look up for them either). The text itself is still
 * compared (`LIKE`), so the pieces only narrow the search and never change what it finds.
 *
 * `act_search_grams` must stay IMMUTABLE and in step with `searchGrams` (acts.repository.ts),
 * which makes a query's pieces the same way.
 */
export class SearchGrams1764600000000 implements MigrationInterface {
  name = 'SearchGrams1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION act_search_grams(t text) RETURNS text[]
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT ARRAY(SELECT substr(t, i, n) FROM generate_series(3, 4) n, generate_series(1, length(t) - n + 1) i) $$`);
    await q.query(`CREATE INDEX ix_acts_search_grams ON acts USING gin (act_search_grams(search_text))`);
    await q.query(`DROP INDEX ix_acts_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_acts_search ON acts USING gin (search_text gin_trgm_ops)`);
    await q.query(`DROP INDEX ix_acts_search_grams`);
    await q.query(`DROP FUNCTION act_search_grams(text)`);
  }
}
