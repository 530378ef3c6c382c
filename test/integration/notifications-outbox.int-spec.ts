import { NotificationKind } from '../../src/notifications/notification.entity';
import { NewNotification, NotificationsService } from '../../src/notifications/notifications.service';
import { NotificationsModule } from '../../src/notifications/notifications.module';
import { notificationRows, seedAct, seedServiceCenter, SeededServiceCenter, setNotificationState, clearActs } from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

const MINUTE = 60_000;

// The e-mail outbox: rows written in the caller's transaction, claimed by dispatchers. A
// database of the suite's own, since claims and counts take every row there is.
describe('NotificationsService (the outbox)', () => {
  let t: ServiceTest;
  let outbox: NotificationsService;
  let sc: SeededServiceCenter;
  let actId: string;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [NotificationsModule] });
    outbox = t.get(NotificationsService);
  });

  afterAll(() => t?.close());

  beforeEach(async () => {
    await clearActs(t.db);
    sc = await seedServiceCenter(t.db);
    actId = (await seedAct(t.db, sc.id, { status: 'submitted' })).id;
  });

  const message = (overrides: Partial<NewNotification> = {}): NewNotification => ({
    serviceCenterId: sc.id,
    actId,
    kind: NotificationKind.StatusChanged,
    subject: 'Акт изменён',
    body: 'Статус изменён',
    ...overrides,
  });
  const enqueue = (messages: NewNotification[]) => t.db.transaction((tx) => outbox.enqueue(tx, messages));
  const claim = (now: Date, requeueBefore: Date, limit: number) => t.db.transaction((tx) => outbox.claimForDispatch(tx, now, requeueBefore, limit));

  describe('enqueue', () => {
    it('writes pending rows addressed to the service center as it is now', async () => {
      const [first] = await enqueue([message()]);
      await t.db.query(`UPDATE service_centers SET email = 'new@example.com' WHERE id = $1`, [sc.id]);
      const [second] = await enqueue([message({ actId: null, kind: NotificationKind.ManagerComment })]);

      expect(await notificationRows(t.db, [first, second])).toMatchObject([
        { id: first, recipient: sc.email, state: 'pending', attempts: 0, act_id: actId, kind: 'status_changed', queued_at: null },
        { id: second, recipient: 'new@example.com', state: 'pending', act_id: null, kind: 'manager_comment' },
      ]);
    });

    it('skips a message whose dedupe key exists, alone or in the same batch', async () => {
      const written = await enqueue([message({ dedupeKey: 'reminder:x' }), message()]);
      expect(written).toHaveLength(2);
      expect(await enqueue([message({ dedupeKey: 'reminder:x' })])).toEqual([]);
      expect(await enqueue([message({ dedupeKey: 'reminder:y' }), message({ dedupeKey: 'reminder:x' })])).toHaveLength(1);
      expect((await outbox.counts()).pending).toBe(3);
    });

    it('writes nothing when the caller rolls back', async () => {
      await expect(
        t.db.transaction(async (tx) => {
          await outbox.enqueue(tx, [message()]);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect((await outbox.counts()).pending).toBe(0);
    });
  });

  describe('claimForDispatch', () => {
    it('claims the oldest pending rows once, and again only after requeueBefore passes their claim', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) ids.push(...(await enqueue([message()])));
      const [sent] = await enqueue([message()]);
      await setNotificationState(t.db, [sent], 'sent');

      const now = t.clock.now();
      expect((await claim(now, now, 2)).sort()).toEqual(ids.slice(0, 2).sort());
      expect(await claim(now, now, 10)).toEqual(ids.slice(2));
      expect(await claim(now, now, 10)).toEqual([]);

      // Ten minutes on, a dispatcher that re-queues claims older than five takes them all back.
      t.clock.advance(10 * MINUTE);
      const later = t.clock.now();
      expect((await claim(later, new Date(later.getTime() - 5 * MINUTE), 10)).sort()).toEqual([...ids].sort());
      expect((await notificationRows(t.db, ids)).map((r: { queued_at: Date }) => r.queued_at.getTime())).toEqual(ids.map(() => later.getTime()));
    });

    it('gives two concurrent transactions disjoint rows, and a rolled-back claim leaves its rows unclaimed', async () => {
      const ids = await enqueue(Array.from({ length: 6 }, () => message()));
      const now = t.clock.now();
      const first = t.db.createQueryRunner();
      const second = t.db.createQueryRunner();
      let a: string[];
      let b: string[];
      try {
        await first.startTransaction();
        await second.startTransaction();
        a = await outbox.claimForDispatch(first.manager, now, now, 4);
        // The first transaction still holds its rows: the second skips them instead of waiting.
        b = await outbox.claimForDispatch(second.manager, now, now, 4);
        await first.commitTransaction();
        await second.rollbackTransaction();
      } finally {
        await first.release();
        await second.release();
      }
      expect(a).toHaveLength(4);
      expect(b).toHaveLength(2);
      expect([...a, ...b].sort()).toEqual([...ids].sort());
      expect((await claim(now, now, 10)).sort()).toEqual([...b].sort());
    });
  });

  describe('counts', () => {
    it('counts rows by state, with the oldest pending one', async () => {
      expect(await outbox.counts()).toEqual({ pending: 0, sent: 0, failed: 0, oldestPendingAt: null });
      const [oldest] = await enqueue([message()]);
      const rest = await enqueue([message(), message(), message()]);
      await setNotificationState(t.db, [rest[0]], 'sent');
      await setNotificationState(t.db, [rest[1]], 'failed');

      const [oldestRow] = await notificationRows(t.db, [oldest]);
      expect(await outbox.counts()).toEqual({ pending: 2, sent: 1, failed: 1, oldestPendingAt: oldestRow.created_at });
    });
  });
});
