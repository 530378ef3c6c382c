import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';

/** What a transaction gathers under one key, and how it is written. */
interface Gathered {
  state: unknown;
  write: (state: never) => Promise<void>;
}

/** Per transaction (its EntityManager is its own), what it gathered, by key, in the order first asked for. */
const gathered = new WeakMap<EntityManager, Map<object, Gathered>>();

/** The one subscriber, added to each DataSource the first time one of its transactions gathers rows. */
const writeGathered: EntitySubscriberInterface = {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const byKey = gathered.get(event.manager);
    if (!byKey) return;
    gathered.delete(event.manager);
    for (const { state, write } of byKey.values()) await write(state as never);
  },
};
const subscribed = new WeakSet<DataSource>();

/**
 * Rows a transaction gathers as it goes (the e-mails of an action, its webhook events) and writes
 * once, in one statement, just before it commits (TypeORM's beforeTransactionCommit), instead of
 * writing and rewriting them at every step. Returns the transaction's state for `key`, made by
 * `make` on the first call, when `write` is registered; `write` gets the state as it stands at the
 * commit. If the transaction fails nothing is written; if `write` fails the transaction is rolled
 * back with it. Only inside a transaction: outside one there would be no commit to write at.
 */
export function gatherUntilCommit<T>(tx: EntityManager, key: object, make: () => T, write: (state: T) => Promise<void>): T {
  if (!tx.queryRunner?.isTransactionActive) throw new Error('gatherUntilCommit needs a transaction (EntityManager.transaction)');
  if (!subscribed.has(tx.dataSource)) {
    tx.dataSource.subscribers.push(writeGathered);
    subscribed.add(tx.dataSource);
  }
  let byKey = gathered.get(tx);
  if (!byKey) gathered.set(tx, (byKey = new Map<object, Gathered>()));
  let entry = byKey.get(key);
  if (!entry) byKey.set(key, (entry = { state: make(), write }));
  return entry.state as T;
}
