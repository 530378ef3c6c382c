import { EntityManager } from 'typeorm';
import { ActsCoreModule } from '../../src/acts/acts-core.module';
import { ActLifecycle } from '../../src/acts/act-lifecycle.service';
import { ActAction, ActorRole } from '../../src/acts/act-status';
import { Actor, SYSTEM_ACTOR } from '../../src/acts/actor';
import { actComments, actHistory, actRow, seedAct, seedServiceCenter, SeededServiceCenter } from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

/** How many rows of acts this transaction has updated so far (each a new row version). */
async function actRowsUpdated(tx: EntityManager): Promise<number> {
  const [row] = await tx.query(`SELECT pg_stat_get_xact_tuples_updated('acts'::regclass)::int AS n`);
  return row.n;
}

// Actions taken one after another on one act (ActLifecycle.applyInTurn): one new version of the
// act row, and still a history row, a version, an event and an e-mail part per change.
describe('ActLifecycle.applyInTurn', () => {
  let t: ServiceTest;
  let lifecycle: ActLifecycle;
  let sc: SeededServiceCenter;
  let scActor: Actor;

  beforeAll(async () => {
    t = await createServiceTest({ imports: [ActsCoreModule] });
    lifecycle = t.get(ActLifecycle);
    sc = await seedServiceCenter(t.db);
    scActor = { role: ActorRole.ServiceCenter, id: sc.id, name: 'СЦ' };
  });
  afterAll(() => t?.close());

  const events = (actId: string) =>
    t.db.query<{ type: string; data: Record<string, unknown> }[]>(
      `SELECT type, payload->'data' AS data FROM webhook_events WHERE act_id = $1 ORDER BY seq`,
      [actId],
    );

  it('writes a submit and the request for photos that follows it as one row version, with both history rows in order', async () => {
    const seeded = await seedAct(t.db, sc.id, { status: 'draft' });
    const replyDeadline = new Date(t.clock.now().getTime() + 5 * 86_400_000);
    const updates = await t.db.transaction(async (tx) => {
      const act = await lifecycle.lock(tx, seeded.id);
      const before = await actRowsUpdated(tx);
      const transitions = await lifecycle.applyInTurn(tx, act, [
        { action: ActAction.Submit, actor: scActor, options: { changes: (at) => ({ submittedAt: at }) } },
        {
          action: ActAction.RequestInfo,
          actor: SYSTEM_ACTOR,
          options: { reason: 'Нет фото', comment: 'Пришлите фото шильдика', changes: { replyDeadline } },
        },
      ]);
      expect(transitions.map((transition) => [transition.from, transition.to])).toEqual([
        ['draft', 'submitted'],
        ['submitted', 'info_requested'],
      ]);
      return (await actRowsUpdated(tx)) - before;
    });
    expect(updates).toBe(1);

    const row = await actRow(t.db, seeded.id);
    expect(row).toMatchObject({ status: 'info_requested', version: seeded.version + 2, reply_deadline: replyDeadline });
    expect(row.submitted_at).not.toBeNull();
    const history = await actHistory(t.db, seeded.id);
    expect(history.map((h: { from_status: string; to_status: string; actor_role: string }) => [h.from_status, h.to_status, h.actor_role])).toEqual([
      ['draft', 'submitted', 'service_center'],
      ['submitted', 'info_requested', 'system'],
    ]);
    expect(history[1].reason).toBe('Нет фото');
    const comments = await actComments(t.db, seeded.id);
    expect(comments.map((c: { author_role: string; text: string }) => [c.author_role, c.text])).toEqual([['system', 'Пришлите фото шильдика']]);
    // Each change's event carries the act as that change left it; the comment's, as the request left it.
    const written = await events(seeded.id);
    expect(written.map((e) => [e.type, e.data.status, e.data.version])).toEqual([
      ['act.submitted', 'submitted', seeded.version + 1],
      ['act.info_requested', 'info_requested', seeded.version + 2],
      ['act.comment_added', 'info_requested', seeded.version + 2],
    ]);
    expect((written[2].data.comment as { id: string }).id).toBe(comments[0].id);
  });

  it("writes the machine's action before another (delivery before a mismatch) in the same row version", async () => {
    const seeded = await seedAct(t.db, sc.id, { status: 'parts_shipped' });
    const updates = await t.db.transaction(async (tx) => {
      const act = await lifecycle.lock(tx, seeded.id);
      const before = await actRowsUpdated(tx);
      await lifecycle.apply(tx, act, ActAction.ReportMismatch, scActor, { reason: 'Не та деталь', beforeReason: 'Получено' });
      return (await actRowsUpdated(tx)) - before;
    });
    expect(updates).toBe(1);
    expect(await actRow(t.db, seeded.id)).toMatchObject({ status: 'part_mismatch', version: seeded.version + 2 });
    const history = await actHistory(t.db, seeded.id);
    expect(history.map((h: { to_status: string; reason: string }) => [h.to_status, h.reason])).toEqual([
      ['parts_delivered', 'Получено'],
      ['part_mismatch', 'Не та деталь'],
    ]);
    expect((await events(seeded.id)).map((e) => [e.data.status, e.data.version])).toEqual([
      ['parts_delivered', seeded.version + 1],
      ['part_mismatch', seeded.version + 2],
    ]);
  });

  it('writes nothing for a step that is a no-op, and refuses two comments in one write before writing', async () => {
    const seeded = await seedAct(t.db, sc.id, { status: 'submitted' });
    const updates = await t.db.transaction(async (tx) => {
      const act = await lifecycle.lock(tx, seeded.id);
      const before = await actRowsUpdated(tx);
      const [transition] = await lifecycle.applyInTurn(tx, act, [{ action: ActAction.Submit, actor: scActor }]);
      expect(transition.noop).toBe(true);
      return (await actRowsUpdated(tx)) - before;
    });
    expect(updates).toBe(0);
    expect(await actRow(t.db, seeded.id)).toMatchObject({ status: 'submitted', version: seeded.version });

    const manager: Actor = { role: ActorRole.Manager, id: null, name: 'Менеджер' };
    await expect(
      t.db.transaction(async (tx) => {
        const act = await lifecycle.lock(tx, seeded.id);
        await lifecycle.applyInTurn(tx, act, [
          { action: ActAction.RequestInfo, actor: manager, options: { reason: 'a', comment: 'Вопрос 1' } },
          { action: ActAction.RequestInfo, actor: manager, options: { reason: 'b', comment: 'Вопрос 2' } },
        ]);
      }),
    ).rejects.toThrow('One write of an act takes one comment');
    expect(await actRow(t.db, seeded.id)).toMatchObject({ status: 'submitted', version: seeded.version });
    expect(await actComments(t.db, seeded.id)).toEqual([]);
  });
});
