import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The acts' text search (`GET /acts?q=`, a substring of the number, serial number, model or
 * customer name) by an index of the search text's 4-character pieces, instead of pg_trgm's
 * trigrams (issue 20).
 *
 * A substring search reads the index's list of acts for each piece of the query. With trigrams,
 * a serial number's pieces (`sn1`, `123`, `234`…) are each in about one act in fifty, so those
 * lists grow with the table: at 10 000 000 acts the search took 2.3 times as long as at
 * 1 000 000. Four-character pieces are each in about a tenth as many acts.
 *
 * The pieces are the lexemes of a tsvector (taken as they are: no dictionary, no stemming), so
 * that a query of exactly three characters is looked up as the prefix of a piece (`'abc':*`);
 * a space after the text makes its last three characters such a prefix too. A query of four
 * characters or more needs all of its own pieces; a shorter one uses no index (pg_trgm had
 * nothing to look up for those either). The text itself is still compared (`LIKE`), so the
 * pieces only narrow the search and never change what it finds.
 *
 * Building the index blocks writes to acts while it runs: 8 minutes at 10 000 000 acts on a
 * 2-core machine. On such a database, create the function and the index beforehand with
 * `CREATE INDEX CONCURRENTLY`, under the same name: this migration then leaves them be.
 *
 * `act_search_grams` must stay IMMUTABLE and in step with `searchQuery` (acts.repository.ts),
 * which makes a query's pieces the same way.
 */
export class SearchGrams1764600000000 implements MigrationInterface {
  name = 'SearchGrams1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION act_search_grams(t text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT array_to_tsvector(ARRAY(SELECT substr(t || ' ', i, 4) FROM generate_series(1, length(t) - 2) i)) $$`);
    await q.query(`CREATE INDEX IF NOT EXISTS ix_acts_search_grams ON acts USING gin (act_search_grams(search_text))`);
    await q.query(`DROP INDEX IF EXISTS ix_acts_search`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_acts_search ON acts USING gin (search_text gin_trgm_ops)`);
    await q.query(`DROP INDEX ix_acts_search_grams`);
    await q.query(`DROP FUNCTION act_search_grams(text)`);
  }
}
