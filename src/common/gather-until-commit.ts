import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';

/** Per transaction (its EntityManager is its own), the work it deferred, by key, in the order first asked for. */
const deferred = new WeakMap<EntityManager, Map<object, () => Promise<void>>>();

/** The one subscriber, added to each DataSource the first time one of its transactions defers work. */
const runDeferred: EntitySubscriberInterface = {
  async beforeTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const jobs = deferred.get(event.manager);
    if (!jobs) return;
    deferred.delete(event.manager);
    for (const work of jobs.values()) await work();
  },
};
const subscribed = new WeakSet<DataSource>();

/**
 * Runs `work` in the transaction `tx`, once, just before it commits (TypeORM's
 * beforeTransactionCommit): a transaction that gathers rows as it goes (the e-mails of an
 * action, its webhook events) writes them in one statement at its end, instead of writing and
 * rewriting them at every step. One `work` per `key` and transaction: later calls with the same
 * key add nothing (the work reads what was gathered when it runs). If the transaction fails,
 * nothing runs; if `work` fails, the transaction is rolled back with it.
 */
export function beforeCommit(tx: EntityManager, key: object, work: () => Promise<void>): void {
  if (!tx.queryRunner?.isTransactionActive) throw new Error('beforeCommit needs a transaction (EntityManager.transaction)');
  if (!subscribed.has(tx.dataSource)) {
    tx.dataSource.subscribers.push(runDeferred);
    subscribed.add(tx.dataSource);
  }
  let jobs = deferred.get(tx);
  if (!jobs) deferred.set(tx, (jobs = new Map<object, () => Promise<void>>()));
  if (!jobs.has(key)) jobs.set(key, work);
}
