import { appWith, bearer, TestApp } from './app';
import {
  anyCategoryId,
  makeAct,
  makeApprovedAct,
  makeServiceCenter,
  makeShipment,
  makeSubmittedAct,
  TestServiceCenter,
  validActBody,
} from './factories';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MISMATCH_WINDOW = 3 * DAY;
const REVIEW_SLA = 3 * DAY;

interface Comment {
  author: { role: string; name: string };
  text: string;
}

/**
 * The act's life after submission, end to end through the API. Tests that move the clock come
 * last and take every time they compare from the server's answers or t.clock.
 */
describe('manager workflow and parts logistics', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let other: TestServiceCenter;

  beforeAll(async () => {
    // Clock-time windows: these tests move the clock by hours. Business-day windows (the defaults)
    // are tested in calendar.e2e-spec.ts and special-cases.e2e-spec.ts.
    t = await appWith({ INFO_REPLY_WINDOW: '5d', REVIEW_SLA: '3d' });
    sc = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
  });
  afterAll(() => t?.close());

  const api = (path = '') => `/api/v1/acts${path}`;
  const manager = () => bearer(t.managerKey);
  const comments = async (id: string): Promise<Comment[]> =>
    (
      await t.http
        .get(api(`/${id}/comments`))
        .set(bearer(sc.key))
        .expect(200)
    ).body;
  const history = async (id: string) =>
    (
      await t.http
        .get(api(`/${id}/history`))
        .set(bearer(sc.key))
        .expect(200)
    ).body as { from: string; to: string; resolution?: string; actor: { role: string }; reason?: string }[];

  it('request-info → SC answer → warranty → shipment → delivered → repaired', async () => {
    const act = await makeSubmittedAct(t, sc);

    const asked = await t.http
      .post(api(`/${act.id}/request-info`))
      .set(manager())
      .send({ text: 'Пришлите фото шильдика крупнее', replyWithin: '3d' })
      .expect(200);
    expect(asked.body).toMatchObject({ id: act.id, status: 'info_requested', statusLabel: 'Запрошена информация' });
    expect(asked.headers.etag).toBe(`"${asked.body.version}"`);
    const deadline = Date.parse(asked.body.replyDeadline) - Date.parse(asked.body.updatedAt);
    expect(deadline).toBe(3 * DAY);
    expect((await comments(act.id)).at(-1)).toMatchObject({
      author: { role: 'manager', name: 'Test Manager' },
      text: 'Пришлите фото шильдика крупнее',
    });

    await t.http
      .post(api(`/${act.id}/comments`))
      .set(bearer(sc.key))
      .send({ text: 'Загрузили новое фото' })
      .expect(201);
    const answered = await t.http
      .get(api(`/${act.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(answered.body).toMatchObject({ status: 'submitted', replyDeadline: null });

    const approved = await t.http
      .post(api(`/${act.id}/decision`))
      .set(manager())
      .send({ decision: 'warranty', comment: 'Гарантия подтверждена' })
      .expect(200);
    expect(approved.body).toMatchObject({ status: 'approved', kind: 'warranty', decidedAt: expect.any(String) });
    expect((await comments(act.id)).at(-1)).toMatchObject({ author: { role: 'manager' }, text: 'Гарантия подтверждена' });

    const shipment = await makeShipment(t, [act.id], { carrier: 'СДЭК', trackingNumber: '1234567890' });
    expect(shipment).toEqual({
      id: expect.any(String),
      serviceCenterId: sc.id,
      carrier: 'СДЭК',
      trackingNumber: '1234567890',
      urgent: false,
      actIds: [act.id],
      items: [{ actId: act.id, partIds: [(act.parts as { id: string }[])[0].id] }],
      shippedAt: expect.any(String),
      deliveredAt: null,
    });
    const shipped = await t.http
      .get(api(`/${act.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(shipped.body.status).toBe('parts_shipped');
    expect((await comments(act.id)).at(-1)).toMatchObject({
      author: { role: 'system' },
      text: 'Запчасти отправлены: СДЭК, трек-номер 1234567890\nВ посылке: Коленвал (№ 14) — 1 шт.',
    });

    const delivered = await t.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(manager()).send({}).expect(200);
    expect(delivered.body.deliveredAt).toEqual(expect.any(String));
    const arrived = await t.http
      .get(api(`/${act.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(arrived.body.status).toBe('parts_delivered');
    expect(Date.parse(arrived.body.mismatchDeadline)).toBe(Date.parse(delivered.body.deliveredAt) + MISMATCH_WINDOW);

    const repaired = await t.http
      .post(api(`/${act.id}/repaired`))
      .set(bearer(sc.key))
      .expect(200);
    expect(repaired.body).toMatchObject({ status: 'closed', resolution: 'repaired', closedAt: expect.any(String), mismatchDeadline: null });

    expect((await history(act.id)).map((h) => [h.from, h.to, h.actor.role])).toEqual([
      [null, 'draft', 'service_center'],
      ['draft', 'submitted', 'service_center'],
      ['submitted', 'info_requested', 'manager'],
      ['info_requested', 'submitted', 'service_center'],
      ['submitted', 'approved', 'manager'],
      ['approved', 'parts_shipped', 'manager'],
      ['parts_shipped', 'parts_delivered', 'manager'],
      ['parts_delivered', 'closed', 'service_center'],
    ]);
    // One e-mail to the SC per action of others (the question and the decision carry their
    // comments), none about its own submit, answer or repair; the managers hear of the submit and the answer.
    const mails = await t.db.query(`SELECT kind, subject, body FROM notifications WHERE act_id = $1 AND manager_id IS NULL ORDER BY seq`, [act.id]);
    expect(mails.map((m: { subject: string }) => m.subject.replace(act.number, 'N'))).toEqual([
      'Акт N: Запрошена информация',
      'Акт N: Одобрен',
      'Акт N: Запчасти отправлены',
      'Акт N: Запчасти доставлены',
    ]);
    expect(mails.filter((m: { kind: string }) => m.kind === 'manager_comment')).toHaveLength(0);
    expect(mails[2].body).toContain('1234567890');
    const notices = await t.db.query(`SELECT DISTINCT subject FROM notifications WHERE act_id = $1 AND manager_id IS NOT NULL`, [act.id]);
    expect(notices.map((m: { subject: string }) => m.subject.replace(act.number, 'N')).sort()).toEqual([
      'Акт N: новый акт на рассмотрение',
      'Акт N: ответ сервисного центра',
    ]);
  });

  it('asks with the default INFO_REPLY_WINDOW and refuses reply windows out of 1h..30d', async () => {
    const act = await makeSubmittedAct(t, sc);
    for (const replyWithin of ['30m', '31d', 'soon', '5', '', 3]) {
      const res = await t.http
        .post(api(`/${act.id}/request-info`))
        .set(manager())
        .send({ text: 'Вопрос', replyWithin })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('replyWithin');
    }
    await t.http
      .post(api(`/${act.id}/request-info`))
      .set(manager())
      .send({ text: '  ' })
      .expect(422);
    const asked = await t.http
      .post(api(`/${act.id}/request-info`))
      .set(manager())
      .send({ text: 'Уточните дату продажи' })
      .expect(200);
    expect(Date.parse(asked.body.replyDeadline) - Date.parse(asked.body.updatedAt)).toBe(5 * DAY);
    const again = await t.http
      .post(api(`/${act.id}/request-info`))
      .set(manager())
      .send({ text: 'И фото чека', replyWithin: '36h' })
      .expect(200);
    expect(again.body.status).toBe('info_requested');
    expect(Date.parse(again.body.replyDeadline) - Date.parse(again.body.updatedAt)).toBe(36 * HOUR);
  });

  it('decides paid and not_warranty', async () => {
    const paid = await makeApprovedAct(t, sc, 'paid');
    expect(paid).toMatchObject({ status: 'approved', kind: 'paid' });

    const act = await makeSubmittedAct(t, sc);
    const refused = await t.http
      .post(api(`/${act.id}/decision`))
      .set(manager())
      .send({ decision: 'not_warranty', reasonCode: 'mechanical_damage', comment: 'Следы падения, механическое повреждение' })
      .expect(200);
    expect(refused.body).toMatchObject({
      status: 'closed',
      resolution: 'not_warranty',
      resolutionLabel: 'Не гарантийный случай',
      decidedAt: expect.any(String),
    });
    expect((await comments(act.id)).at(-1)).toMatchObject({ author: { role: 'manager' }, text: 'Следы падения, механическое повреждение' });
    expect((await history(act.id)).at(-1)).toMatchObject({ from: 'submitted', to: 'closed', resolution: 'not_warranty', actor: { role: 'manager' } });

    await t.http
      .post(api(`/${act.id}/decision`))
      .set(manager())
      .send({ decision: 'warranty' })
      .expect(409);
    await t.http
      .post(api(`/${paid.id}/decision`))
      .set(manager())
      .send({ decision: 'maybe' })
      .expect(422);
    await t.http
      .post(api(`/${paid.id}/decision`))
      .set(bearer(sc.key))
      .send({ decision: 'warranty' })
      .expect(403);
  });

  it('closes with a reason and reopens; only a manager, never a withdrawn draft', async () => {
    const act = await makeApprovedAct(t, sc);
    await t.http
      .post(api(`/${act.id}/close`))
      .set(manager())
      .send({ resolution: 'withdrawn', reason: 'x' })
      .expect(422);
    await t.http
      .post(api(`/${act.id}/close`))
      .set(manager())
      .send({ resolution: 'warranty_refused' })
      .expect(422);
    const closed = await t.http
      .post(api(`/${act.id}/close`))
      .set(manager())
      .send({ resolution: 'warranty_refused', reason: 'СЦ отказался от ремонта' })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', resolution: 'warranty_refused', closedAt: expect.any(String) });
    expect((await history(act.id)).at(-1)).toMatchObject({ to: 'closed', resolution: 'warranty_refused', reason: 'СЦ отказался от ремонта' });
    await t.http
      .post(api(`/${act.id}/close`))
      .set(manager())
      .send({ resolution: 'repaired', reason: 'ещё раз' })
      .expect(409);

    await t.http
      .post(api(`/${act.id}/reopen`))
      .set(bearer(sc.key))
      .send({ reason: 'Хотим продолжить' })
      .expect(403);
    const reopened = await t.http
      .post(api(`/${act.id}/reopen`))
      .set(manager())
      .send({ reason: 'Закрыт по ошибке' })
      .expect(200);
    expect(reopened.body).toMatchObject({ status: 'submitted', resolution: null, closedAt: null, decidedAt: null });
    expect((await history(act.id)).at(-1)).toMatchObject({ from: 'closed', to: 'submitted', reason: 'Закрыт по ошибке', actor: { role: 'manager' } });
    await t.http
      .post(api(`/${act.id}/reopen`))
      .set(manager())
      .send({ reason: 'ещё раз' })
      .expect(409);

    const draft = await makeAct(t, sc);
    await t.http
      .delete(api(`/${draft.id}`))
      .set(bearer(sc.key))
      .expect(204);
    const withdrawn = await t.http
      .post(api(`/${draft.id}/reopen`))
      .set(manager())
      .set('Accept-Language', 'en')
      .send({ reason: 'Ошибка' })
      .expect(409);
    expect(withdrawn.body.detail).toContain('withdrawn');
  });

  it('takes a wrong part within the window, then a new shipment, then repaired', async () => {
    const act = await makeApprovedAct(t, sc);
    const first = await makeShipment(t, [act.id], { carrier: 'Деловые Линии', trackingNumber: 'DL-001' });
    await t.http.post(`/api/v1/shipments/${first.id}/delivered`).set(manager()).send({}).expect(200);

    await t.http
      .post(api(`/${act.id}/mismatch`))
      .set(bearer(sc.key))
      .send({})
      .expect(422);
    await t.http
      .post(api(`/${act.id}/mismatch`))
      .set(manager())
      .send({ text: 'Не тот' })
      .expect(403);
    const mismatch = await t.http
      .post(api(`/${act.id}/mismatch`))
      .set(bearer(sc.key))
      .send({ text: 'Прислали коленвал от другой модели' })
      .expect(200);
    expect(mismatch.body).toMatchObject({ status: 'part_mismatch', mismatchDeadline: null });
    expect((await comments(act.id)).at(-1)).toMatchObject({
      author: { role: 'service_center', name: sc.name },
      text: 'Прислали коленвал от другой модели',
    });

    const second = await makeShipment(t, [act.id], { carrier: 'СДЭК', trackingNumber: '9876543210', urgent: true });
    expect(second.urgent).toBe(true);
    const reshipped = await t.http
      .get(api(`/${act.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(reshipped.body.status).toBe('parts_shipped');
    expect((await comments(act.id)).at(-1)?.text).toBe('Запчасти отправлены срочно: СДЭК, трек-номер 9876543210');
    await t.http.post(`/api/v1/shipments/${second.id}/delivered`).set(manager()).send({}).expect(200);
    await t.http
      .post(api(`/${act.id}/repaired`))
      .set(bearer(sc.key))
      .expect(200);

    const ofAct = await t.http.get(`/api/v1/shipments?actId=${act.id}`).set(bearer(sc.key)).expect(200);
    expect(ofAct.body.items.map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
    expect((await history(act.id)).slice(-6).map((h) => h.to)).toEqual([
      'parts_shipped',
      'parts_delivered',
      'part_mismatch',
      'parts_shipped',
      'parts_delivered',
      'closed',
    ]);
  });

  it('lets the SC mark repaired straight from parts_shipped, and nobody else', async () => {
    const act = await makeApprovedAct(t, sc);
    await t.http
      .post(api(`/${act.id}/repaired`))
      .set(bearer(sc.key))
      .expect(409);
    await makeShipment(t, [act.id]);
    await t.http
      .post(api(`/${act.id}/repaired`))
      .set(manager())
      .expect(403);
    await t.http
      .post(api(`/${act.id}/repaired`))
      .set(bearer(other.key))
      .expect(404);
    const res = await t.http
      .post(api(`/${act.id}/repaired`))
      .set(bearer(sc.key))
      .expect(200);
    expect(res.body).toMatchObject({ status: 'closed', resolution: 'repaired' });
  });

  it('answers 404 to another SC and managers only on the manager steps', async () => {
    const act = await makeSubmittedAct(t, sc);
    await t.http
      .post(api(`/${act.id}/mismatch`))
      .set(bearer(other.key))
      .send({ text: 'x' })
      .expect(404);
    await t.http
      .post(api(`/${act.id}/request-info`))
      .set(bearer(sc.key))
      .send({ text: 'x' })
      .expect(403);
    await t.http.post(api('/00000000-0000-4000-8000-000000000000/request-info')).set(manager()).send({ text: 'x' }).expect(404);
    const after = await t.http
      .get(api(`/${act.id}`))
      .set(bearer(sc.key))
      .expect(200);
    expect(after.body.version).toBe(act.version);
  });

  describe('with the clock moved', () => {
    it('refuses a wrong-part report once the mismatch deadline has passed, naming the deadline', async () => {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      await t.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(manager()).send({}).expect(200);
      const delivered = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .expect(200);

      t.clock.advance(MISMATCH_WINDOW - HOUR);
      const [{ n: stillOpen }] = await t.db.query(`SELECT count(*)::int AS n FROM acts WHERE id = $1 AND mismatch_deadline > $2`, [
        act.id,
        t.clock.now(),
      ]);
      expect(stillOpen).toBe(1);

      t.clock.advance(2 * HOUR);
      const late = await t.http
        .post(api(`/${act.id}/mismatch`))
        .set(bearer(sc.key))
        .set('Accept-Language', 'en')
        .send({ text: 'Поздно заметили' })
        .expect(409);
      expect(late.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(late.body.detail).toContain(delivered.body.mismatchDeadline);
      expect(late.body.mismatchDeadline).toBe(delivered.body.mismatchDeadline);
      const after = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(after.body).toMatchObject({ status: 'parts_delivered', version: delivered.body.version });
      expect((await comments(act.id)).map((c) => c.text)).not.toContain('Поздно заметили');
      // The SC may still report the repair done.
      await t.http
        .post(api(`/${act.id}/repaired`))
        .set(bearer(sc.key))
        .expect(200);
    });

    it('reports a mismatch up to the last moment before the deadline', async () => {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      await t.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(manager()).send({}).expect(200);
      t.clock.advance(MISMATCH_WINDOW - 5_000);
      await t.http
        .post(api(`/${act.id}/mismatch`))
        .set(bearer(sc.key))
        .send({ text: 'Не хватает прокладки' })
        .expect(200);
    });

    it('orders the review queue pre-sale first, then oldest, and flags it overdue after REVIEW_SLA', async () => {
      const reviewSc = await makeServiceCenter(t);
      const body = validActBody(await anyCategoryId(t));
      const a = await makeSubmittedAct(t, reviewSc);
      t.clock.advance(HOUR);
      const b = await makeSubmittedAct(t, reviewSc);
      t.clock.advance(HOUR);
      const c = await makeSubmittedAct(t, reviewSc, { product: { ...(body.product as object), condition: 'pre_sale' } });
      const queue = () =>
        t.http
          .get(api(`?status=submitted&sort=review&serviceCenterId=${reviewSc.id}`))
          .set(manager())
          .expect(200);

      const fresh = await queue();
      expect(fresh.body.items.map((x: { id: string }) => x.id)).toEqual([c.id, a.id, b.id]);
      for (const item of fresh.body.items) {
        expect(item.reviewOverdue).toBe(false);
        expect(Date.parse(item.reviewDueAt)).toBe(Date.parse(item.submittedAt) + REVIEW_SLA);
      }

      // Past a's due time, not yet b's or c's.
      t.clock.advance(REVIEW_SLA - 2 * HOUR + 60_000);
      const later = await queue();
      expect(later.body.items.map((x: { id: string; reviewOverdue: boolean }) => [x.id, x.reviewOverdue])).toEqual([
        [c.id, false],
        [a.id, true],
        [b.id, false],
      ]);
      t.clock.advance(2 * HOUR);
      expect((await queue()).body.items.every((x: { reviewOverdue: boolean }) => x.reviewOverdue)).toBe(true);

      // A question takes the act out of the queue; its due time is gone while the SC answers.
      const asked = await t.http
        .post(api(`/${a.id}/request-info`))
        .set(manager())
        .send({ text: 'Уточните серийный номер' })
        .expect(200);
      expect(asked.body).toMatchObject({ reviewDueAt: null, reviewOverdue: false });
      expect((await queue()).body.items.map((x: { id: string }) => x.id)).toEqual([c.id, b.id]);
    });
  });
});
