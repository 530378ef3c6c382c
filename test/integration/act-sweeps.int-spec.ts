import { ActsCoreModule } from '../../src/acts/acts-core.module';
import { ActSweeps } from '../../src/acts/act-sweeps.service';
import {
  actComments,
  actHistory,
  actNotifications,
  actRow,
  rowCounts,
  seedAct,
  seedServiceCenter,
  SeededServiceCenter,
  clearActs,
} from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// The deadline sweeps as the worker calls them, on a database of the suite's own (they close
// every overdue act they find), with the clock moved instead of waiting.
describe('ActSweeps', () => {
  let t: ServiceTest;
  let sweeps: ActSweeps;
  let sc: SeededServiceCenter;

  beforeAll(async () => {
    t = await createServiceTest({
      imports: [ActsCoreModule],
      config: { reminderBeforeMs: DAY },
    });
    sweeps = t.get(ActSweeps);
  });

  afterAll(() => t?.close());

  beforeEach(async () => {
    await clearActs(t.db);
    sc = await seedServiceCenter(t.db);
  });

  const inDays = (days: number) => new Date(t.clock.now().getTime() + days * DAY);

  describe('closeSilentActs', () => {
    it('closes info_requested acts past their reply deadline as warranty_refused, writing history, a comment and an e-mail', async () => {
      const due = [
        await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(5) }),
        await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(4) }),
      ];
      const notYet = await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(6) });
      const otherStatus = await seedAct(t.db, sc.id, { status: 'submitted', replyDeadline: inDays(1) });

      expect(await sweeps.closeSilentActs()).toBe(0);
      t.clock.advance(5 * DAY + MINUTE);
      const closedAt = t.clock.now();
      expect(await sweeps.closeSilentActs()).toBe(2);

      for (const act of due) {
        const row = await actRow(t.db, act.id);
        expect(row).toMatchObject({ status: 'closed', resolution: 'warranty_refused', reply_deadline: null, version: act.version + 1 });
        expect(Math.abs(row.closed_at.getTime() - closedAt.getTime())).toBeLessThan(MINUTE);

        const history = await actHistory(t.db, act.id);
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({
          from_status: 'info_requested',
          to_status: 'closed',
          resolution: 'warranty_refused',
          actor_role: 'system',
          actor_id: null,
        });

        const comments = await actComments(t.db, act.id);
        expect(comments).toHaveLength(1);
        expect(comments[0]).toMatchObject({ author_role: 'system', author_id: null });

        const mails = await actNotifications(t.db, act.id);
        expect(mails).toHaveLength(1);
        expect(mails[0]).toMatchObject({ kind: 'status_changed', recipient: sc.email, state: 'pending', service_center_id: sc.id });
        expect(mails[0].subject).toContain(act.number);
        expect(mails[0].body).toContain(act.number);
      }
      expect(await actRow(t.db, notYet.id)).toMatchObject({ status: 'info_requested', version: notYet.version });
      expect(await actRow(t.db, otherStatus.id)).toMatchObject({ status: 'submitted', version: otherStatus.version });
    });

    it('closes nothing on a second run', async () => {
      await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(1) });
      t.clock.advance(2 * DAY);
      expect(await sweeps.closeSilentActs()).toBe(1);
      const after = await rowCounts(t.db);

      expect(await sweeps.closeSilentActs()).toBe(0);
      expect(await rowCounts(t.db)).toEqual(after);
    });

    it('works through more acts than a batch holds', async () => {
      for (let i = 0; i < 7; i += 1) await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(1) });
      t.clock.advance(2 * DAY);
      expect(await sweeps.closeSilentActs(3)).toBe(7);
      expect(await rowCounts(t.db)).toMatchObject({ history: 7, comments: 7, notifications: 7 });
    });

    it('closes each act once when two sweeps run at the same time', async () => {
      for (let i = 0; i < 40; i += 1) await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(1) });
      t.clock.advance(2 * DAY);
      const [a, b] = await Promise.all([sweeps.closeSilentActs(5), sweeps.closeSilentActs(5)]);
      expect(a + b).toBe(40);
      expect(await rowCounts(t.db)).toMatchObject({ history: 40, comments: 40, notifications: 40 });
    });

    it('e-mails the service center at its current address', async () => {
      const act = await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(1) });
      await t.db.query(`UPDATE service_centers SET email = 'moved@example.com' WHERE id = $1`, [sc.id]);
      t.clock.advance(2 * DAY);
      await sweeps.closeSilentActs();
      expect((await actNotifications(t.db, act.id))[0].recipient).toBe('moved@example.com');
    });
  });

  describe('closeDeliveredActs', () => {
    it('closes parts_delivered acts past their mismatch deadline as repaired, once', async () => {
      const due = await seedAct(t.db, sc.id, { status: 'parts_delivered', mismatchDeadline: inDays(3) });
      const notYet = await seedAct(t.db, sc.id, { status: 'parts_delivered', mismatchDeadline: inDays(4) });
      const mismatch = await seedAct(t.db, sc.id, { status: 'part_mismatch', mismatchDeadline: inDays(1) });

      t.clock.advance(3 * DAY + MINUTE);
      expect(await sweeps.closeDeliveredActs()).toBe(1);
      expect(await actRow(t.db, due.id)).toMatchObject({
        status: 'closed',
        resolution: 'repaired',
        mismatch_deadline: null,
        version: due.version + 1,
      });
      expect(await actHistory(t.db, due.id)).toMatchObject([
        { from_status: 'parts_delivered', to_status: 'closed', resolution: 'repaired', actor_role: 'system' },
      ]);
      expect(await actComments(t.db, due.id)).toHaveLength(1);
      expect(await actNotifications(t.db, due.id)).toMatchObject([{ kind: 'status_changed', recipient: sc.email }]);
      expect(await actRow(t.db, notYet.id)).toMatchObject({ status: 'parts_delivered' });
      expect(await actRow(t.db, mismatch.id)).toMatchObject({ status: 'part_mismatch' });

      // The silent-act sweep leaves delivered acts alone, and a second run finds nothing.
      const after = await rowCounts(t.db);
      expect(await sweeps.closeSilentActs()).toBe(0);
      expect(await sweeps.closeDeliveredActs()).toBe(0);
      expect(await rowCounts(t.db)).toEqual(after);
    });
  });

  describe('sendReminders', () => {
    it('reminds once per deadline, within REMINDER_BEFORE of it, without changing the act', async () => {
      const reply = await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(2) });
      const mismatch = await seedAct(t.db, sc.id, { status: 'parts_delivered', mismatchDeadline: inDays(2) });

      expect(await sweeps.sendReminders()).toBe(0);
      t.clock.advance(DAY + HOUR);
      expect(await sweeps.sendReminders()).toBe(2);
      expect(await sweeps.sendReminders()).toBe(0);

      for (const act of [reply, mismatch]) {
        const mails = await actNotifications(t.db, act.id);
        expect(mails).toHaveLength(1);
        expect(mails[0]).toMatchObject({ kind: 'reminder', recipient: sc.email, state: 'pending' });
        expect(mails[0].subject).toContain(act.number);
        expect(mails[0].dedupe_key).toMatch(new RegExp(`^reminder:${act.id}:`));
        expect(await actRow(t.db, act.id)).toMatchObject({ status: act.status, version: act.version });
        expect(await actHistory(t.db, act.id)).toHaveLength(0);
      }
    });

    it('reminds again of a new deadline, and never of one already past', async () => {
      const act = await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(0.5) });
      const overdue = await seedAct(t.db, sc.id, { status: 'info_requested', replyDeadline: inDays(-0.5) });
      expect(await sweeps.sendReminders()).toBe(1);

      await t.db.query(`UPDATE acts SET reply_deadline = $2 WHERE id = $1`, [act.id, inDays(0.75)]);
      expect(await sweeps.sendReminders()).toBe(1);
      expect(await sweeps.sendReminders()).toBe(0);
      expect(await actNotifications(t.db, act.id)).toHaveLength(2);
      expect(await actNotifications(t.db, overdue.id)).toHaveLength(0);
    });
  });
});
