import { bearer, createTestApp, TestApp } from './app';
import {
  anyCategoryId,
  attachPhotoRows,
  makeAct,
  makeApprovedAct,
  makeServiceCenter,
  makeShipment,
  makeSubmittedAct,
  TestServiceCenter,
  validActBody,
} from './factories';

/**
 * The rules' exceptions (domain.md "Special cases") and the lifecycle's arrows that only they
 * take, through the API as a service center and a manager meet them.
 */
describe('special cases of the rules', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let category: string;
  const api = (path: string) => `/api/v1/acts${path}`;
  const manager = () => bearer(t.managerKey);
  const mine = () => bearer(sc.key);

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    category = await anyCategoryId(t);
  });
  afterAll(() => t?.close());

  const body = (product: object = {}, rest: Record<string, unknown> = {}) => {
    const act = validActBody(category);
    return { ...act, product: { ...act.product, ...product }, ...rest };
  };
  const submit = (id: string) =>
    t.http
      .post(api(`/${id}/submit`))
      .set(mine())
      .expect(200);
  const history = async (id: string) =>
    (
      await t.http
        .get(api(`/${id}/history`))
        .set(mine())
        .expect(200)
    ).body as Record<string, unknown>[];
  const comments = async (id: string) =>
    (
      await t.http
        .get(api(`/${id}/comments`))
        .set(mine())
        .expect(200)
    ).body as { author: { role: string }; text: string }[];
  const mails = (actId: string): Promise<{ kind: string; subject: string; body: string }[]> =>
    t.db.query(`SELECT kind, subject, body FROM notifications WHERE act_id = $1 ORDER BY created_at, id`, [actId]);

  describe('a pre-sale product (new, never sold)', () => {
    it('needs no customer and no warranty card or receipt: nameplate, breakage and part photos', async () => {
      const extra = { sellerOrganization: 'ООО «Садовод»', complexity: 1, productState: 'returned_to_seller' };
      const draft = await t.http
        .post(api(''))
        .set(mine())
        .send(body({ condition: 'pre_sale', hasWarrantyCard: false }, { extra }))
        .expect(201);
      await attachPhotoRows(t, draft.body.id, ['nameplate', 'breakage', 'part']);
      const submitted = await submit(draft.body.id);
      expect(submitted.body).toMatchObject({ status: 'submitted', preSale: true, extra: { customerName: null, customerPhone: null } });
    });

    it('still asks for its own three photos, naming them', async () => {
      const draft = await t.http
        .post(api(''))
        .set(mine())
        .send(body({ condition: 'pre_sale' }))
        .expect(201);
      await attachPhotoRows(t, draft.body.id, ['nameplate']);
      const submitted = await submit(draft.body.id);
      expect(submitted.body.status).toBe('info_requested');
      const [asked] = await comments(draft.body.id);
      expect(asked.text).toContain('фото поломки');
      expect(asked.text).toContain('фото необходимой запчасти');
      expect(asked.text).not.toContain('талона');
    });

    it('comes first in the review queue', async () => {
      const ordinary = await makeSubmittedAct(t, sc);
      const draft = await t.http
        .post(api(''))
        .set(mine())
        .send(body({ condition: 'pre_sale' }))
        .expect(201);
      await attachPhotoRows(t, draft.body.id, ['nameplate', 'breakage', 'part']);
      await submit(draft.body.id);
      const queue = await t.http
        .get(api(`?sort=review&status=submitted&serviceCenterId=${sc.id}&limit=100`))
        .set(manager())
        .expect(200);
      const ids = (queue.body.items as { id: string }[]).map((a) => a.id);
      expect(ids.indexOf(draft.body.id)).toBeLessThan(ids.indexOf(ordinary.id));
    });
  });

  describe('a refusal within 14 days of purchase', () => {
    const refusal = { refusedWithin14Days: true, saleDate: '2026-06-01', acceptedDate: '2026-06-10' };

    it('needs the client statement instead of the part, allows no parts, and closes as refund_or_exchange', async () => {
      const draft = await t.http
        .post(api(''))
        .set(mine())
        .send(body(refusal, { parts: [] }))
        .expect(201);
      await attachPhotoRows(t, draft.body.id, ['nameplate', 'receipt', 'breakage']);
      const asked = await submit(draft.body.id);
      expect(asked.body.status).toBe('info_requested');
      const [question] = await comments(draft.body.id);
      expect(question.text).toContain('фото заявления клиента');
      expect(question.text).not.toContain('запчасти');

      await t.http
        .post(api(`/${draft.body.id}/photos`))
        .set(mine())
        .field('kind', 'client_statement')
        .attach('file', Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), 'statement.png')
        .expect(201);
      const decided = await t.http
        .post(api(`/${draft.body.id}/decision`))
        .set(manager())
        .send({ decision: 'refund' })
        .expect(200);
      expect(decided.body).toMatchObject({ status: 'closed', resolution: 'refund_or_exchange', resolutionLabel: 'Возврат/обмен' });
    });

    it('refuses the refund decision on an ordinary act (422 naming decision)', async () => {
      const act = await makeSubmittedAct(t, sc);
      const res = await t.http
        .post(api(`/${act.id}/decision`))
        .set(manager())
        .send({ decision: 'refund' })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['decision']);
      expect(
        (
          await t.http
            .get(api(`/${act.id}`))
            .set(mine())
            .expect(200)
        ).body.status,
      ).toBe('submitted');
    });
  });

  describe('not a warranty case', () => {
    it('lists the reason codes with Russian labels (English on request)', async () => {
      const ru = await t.http.get('/api/v1/reason-codes').set(mine()).expect(200);
      expect(ru.body.map((r: { code: string }) => r.code)).toEqual([
        'mechanical_damage',
        'improper_use',
        'overload',
        'no_documents',
        'out_of_warranty',
        'not_a_defect',
        'other',
      ]);
      expect(ru.body[0]).toEqual({ code: 'mechanical_damage', label: 'Механическое повреждение' });
      const en = await t.http.get('/api/v1/reason-codes').set(mine()).set('Accept-Language', 'en').expect(200);
      expect(en.body[0].label).toBe('Mechanical damage');
    });

    it('needs a reason code from the list, and keeps it on the act', async () => {
      const act = await makeSubmittedAct(t, sc);
      for (const sent of [{}, { reasonCode: 'bad_luck' }]) {
        const res = await t.http
          .post(api(`/${act.id}/decision`))
          .set(manager())
          .send({ decision: 'not_warranty', ...sent })
          .expect(422);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reasonCode']);
      }
      const closed = await t.http
        .post(api(`/${act.id}/decision`))
        .set(manager())
        .send({ decision: 'not_warranty', reasonCode: 'overload' })
        .expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', resolution: 'not_warranty', reasonCode: 'overload' });
      expect((await history(act.id)).at(-1)).toMatchObject({ type: 'status', reason: 'Не гарантийный случай: Перегрузка' });
    });
  });

  describe('own parts only', () => {
    it('lets the SC mark an approved act repaired itself when nothing is to be shipped', async () => {
      const parts = [{ name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' }];
      const act = await makeApprovedAct(t, sc, 'warranty', { parts });
      const res = await t.http
        .post(api(`/${act.id}/repaired`))
        .set(mine())
        .expect(200);
      expect(res.body).toMatchObject({ status: 'closed', resolution: 'repaired', resolutionLabel: 'Отремонтировано' });
    });

    it('keeps an act with parts to ship waiting for them (409)', async () => {
      const act = await makeApprovedAct(t, sc);
      const res = await t.http
        .post(api(`/${act.id}/repaired`))
        .set(mine())
        .expect(409);
      expect(res.body).toMatchObject({ currentStatus: 'approved', action: 'mark_repaired' });
    });
  });

  describe('a repair that failed after delivery', () => {
    async function delivered() {
      const act = await makeApprovedAct(t, sc);
      const shipment = await makeShipment(t, [act.id]);
      await t.http.post(`/api/v1/shipments/${shipment.id}/delivered`).set(mine()).send({}).expect(200);
      return act;
    }

    it('stops the automatic closing at any SC comment and puts the act in front of a manager', async () => {
      const act = await delivered();
      const before = (
        await t.http
          .get(api(`/${act.id}`))
          .set(mine())
          .expect(200)
      ).body;
      expect(before.mismatchDeadline).not.toBeNull();
      await t.http
        .post(api(`/${act.id}/comments`))
        .set(mine())
        .send({ text: 'После замены вышел из строя карбюратор, ремонт невозможен' })
        .expect(201);
      const held = (
        await t.http
          .get(api(`/${act.id}`))
          .set(manager())
          .expect(200)
      ).body;
      expect(held).toMatchObject({ status: 'parts_delivered', mismatchDeadline: null, needsAttention: true });

      // The sweep no longer closes it as repaired, however late.
      t.clock.advance(30 * 86_400_000);
      const { ActSweeps } = await import('../src/acts/act-sweeps.service');
      await t.app.get(ActSweeps).closeDeliveredActs();
      expect(
        (
          await t.http
            .get(api(`/${act.id}`))
            .set(mine())
            .expect(200)
        ).body.status,
      ).toBe('parts_delivered');

      // The manager closes it as not repairable; that clears the flag, and it is never compensated.
      const closed = await t.http
        .post(api(`/${act.id}/close`))
        .set(manager())
        .send({ resolution: 'not_repaired', reason: 'Вышел из строя другой узел' })
        .expect(200);
      expect(closed.body).toMatchObject({
        status: 'closed',
        resolution: 'not_repaired',
        resolutionLabel: 'Ремонт невозможен',
        needsAttention: false,
      });
      const day = closed.body.closedAt.slice(0, 10);
      const report = await t.http.get(`/api/v1/reports/compensation?from=${day}&to=${day}`).set(manager()).expect(200);
      expect(JSON.stringify(report.body)).not.toContain(act.number);
    });

    it('takes a problem report with a reason from parts_delivered, and from parts_shipped recording the delivery first', async () => {
      const deliveredAct = await delivered();
      const reported = await t.http
        .post(api(`/${deliveredAct.id}/mismatch`))
        .set(mine())
        .send({ text: 'Другой узел: карбюратор', reason: 'other_unit_failed' })
        .expect(200);
      expect(reported.body).toMatchObject({
        status: 'part_mismatch',
        needsAttention: true,
        problem: { reason: 'other_unit_failed', reasonLabel: 'вышел из строя другой узел', text: 'Другой узел: карбюратор' },
      });

      const inTransit = await makeApprovedAct(t, sc);
      await makeShipment(t, [inTransit.id]);
      const damaged = await t.http
        .post(api(`/${inTransit.id}/mismatch`))
        .set(mine())
        .send({ text: 'Коробка разбита', reason: 'damaged' })
        .expect(200);
      expect(damaged.body).toMatchObject({ status: 'part_mismatch', problem: { reason: 'damaged' } });
      const steps = (await history(inTransit.id)).slice(-2).map((h) => [h.from, h.to]);
      expect(steps).toEqual([
        ['parts_shipped', 'parts_delivered'],
        ['parts_delivered', 'part_mismatch'],
      ]);

      // A manager reships the act with the problem: any manager action clears the flag.
      await makeShipment(t, [inTransit.id]);
      expect(
        (
          await t.http
            .get(api(`/${inTransit.id}`))
            .set(manager())
            .expect(200)
        ).body,
      ).toMatchObject({
        status: 'parts_shipped',
        needsAttention: false,
      });
    });

    it('refuses a problem report with an unknown reason (422)', async () => {
      const act = await delivered();
      const res = await t.http
        .post(api(`/${act.id}/mismatch`))
        .set(mine())
        .send({ text: 'x', reason: 'cosmic_rays' })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    });
  });

  describe('the SC answering and adding after submission', () => {
    it('answers a question by correcting a section', async () => {
      const act = await makeSubmittedAct(t, sc);
      await t.http
        .post(api(`/${act.id}/request-info`))
        .set(manager())
        .send({ text: 'Уточните модель' })
        .expect(200);
      const answered = await t.http
        .put(api(`/${act.id}/product`))
        .set(mine())
        .send({
          ...validActBody(category).product,
          serialNumber: (act.product as { serialNumber: string }).serialNumber,
          model: 'ЭГК-1500М Энергопром',
        })
        .expect(200);
      expect(answered.body).toMatchObject({ status: 'submitted', replyDeadline: null });
      const [edit, answer] = (await history(act.id)).slice(-2);
      expect(edit).toMatchObject({
        type: 'edit',
        changes: [{ field: 'product.model', from: 'ЭГК-1500 Энергопром', to: 'ЭГК-1500М Энергопром' }],
      });
      expect(answer).toMatchObject({ type: 'status', from: 'info_requested', to: 'submitted', actor: { role: 'service_center' } });
    });

    it('lets the SC add photos while the parts travel, and not once closed', async () => {
      const act = await makeApprovedAct(t, sc);
      await makeShipment(t, [act.id]);
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
      await t.http
        .post(api(`/${act.id}/photos`))
        .set(mine())
        .field('kind', 'part')
        .attach('file', png, 'wrong.png')
        .expect(201);
      await t.http
        .post(api(`/${act.id}/repaired`))
        .set(mine())
        .expect(200);
      await t.http
        .post(api(`/${act.id}/photos`))
        .set(mine())
        .field('kind', 'other')
        .attach('file', png, 'late.png')
        .expect(409);
    });
  });

  describe('reopening', () => {
    it.each([
      ['submitted', undefined],
      ['approved', 'approved'],
      ['part_mismatch', 'part_mismatch'],
    ])('reopens a closed act to %s', async (expected, to) => {
      const act = await makeApprovedAct(t, sc);
      await t.http
        .post(api(`/${act.id}/close`))
        .set(manager())
        .send({ resolution: 'repaired', reason: 'Закрыт вручную' })
        .expect(200);
      const reopened = await t.http
        .post(api(`/${act.id}/reopen`))
        .set(manager())
        .send({ reason: 'Закрыт по ошибке', ...(to ? { to } : {}) })
        .expect(200);
      expect(reopened.body.status).toBe(expected);
      expect(reopened.body.decidedAt === null).toBe(expected === 'submitted');
    });

    it('refuses another target (422)', async () => {
      const act = await makeApprovedAct(t, sc);
      await t.http
        .post(api(`/${act.id}/close`))
        .set(manager())
        .send({ resolution: 'repaired', reason: 'x' })
        .expect(200);
      await t.http
        .post(api(`/${act.id}/reopen`))
        .set(manager())
        .send({ reason: 'x', to: 'parts_shipped' })
        .expect(422);
    });
  });

  describe('corrections on the record', () => {
    it('records every changed field of a manager edit, comments «Менеджер исправил» and e-mails the SC', async () => {
      const act = await makeSubmittedAct(t, sc);
      const parts = validActBody(category).parts as Record<string, unknown>[];
      parts[1] = { ...parts[1], unitPrice: '1500.50' };
      await t.http
        .put(api(`/${act.id}/parts`))
        .set(manager())
        .send(parts)
        .expect(200);

      const edit = (await history(act.id)).at(-1);
      expect(edit).toMatchObject({
        type: 'edit',
        actor: { role: 'manager' },
        changes: [{ field: 'parts[1].unitPrice', from: '150.50', to: '1500.50' }],
      });
      const note = (await comments(act.id)).at(-1);
      expect(note).toMatchObject({ author: { role: 'system' }, text: 'Менеджер исправил: запчасть 2: цена: 150.50 → 1500.50.' });
      const mail = (await mails(act.id)).at(-1);
      expect(mail?.body).toContain('Менеджер исправил: запчасть 2: цена: 150.50 → 1500.50.');
    });

    it('keeps no edit history for a draft', async () => {
      const draft = await makeAct(t, sc);
      await t.http
        .put(api(`/${draft.id}/extra`))
        .set(mine())
        .send({ ...validActBody(category).extra, complexity: 3 })
        .expect(200);
      expect((await history(draft.id)).every((h) => h.type === 'status')).toBe(true);
    });
  });

  describe('what the SCs write', () => {
    it.each(['БН', 'б.н.', 'б/н', 'нет', 'Отсутствует', 'без номера'])('reads the serial number %j as none (Б/Н)', async (written) => {
      const act = await t.http
        .post(api(''))
        .set(mine())
        .send(body({ serialNumber: written }))
        .expect(201);
      expect(act.body.product).toMatchObject({ serialNumber: null, noSerialNumber: true, serialNumberText: 'Б/Н' });
    });

    it('takes metres, litres and kilograms in fractions and pieces whole', async () => {
      const act = await makeAct(t, sc);
      const parts = [
        { name: 'Шланг', quantity: 2.5, unit: 'm', ownPart: false },
        { name: 'Масло', quantity: 0.6, unit: 'l', ownPart: false },
        { name: 'Свеча', quantity: 2, ownPart: false },
      ];
      const saved = await t.http
        .put(api(`/${act.id}/parts`))
        .set(mine())
        .send(parts)
        .expect(200);
      expect(saved.body.parts.map((p: { quantity: number; unit: string }) => [p.quantity, p.unit])).toEqual([
        [2.5, 'm'],
        [0.6, 'l'],
        [2, 'pcs'],
      ]);
      const refused = await t.http
        .put(api(`/${act.id}/parts`))
        .set(mine())
        .send([
          { name: 'Свеча', quantity: 1.5 },
          { name: 'Шланг', quantity: 0, unit: 'm' },
          { name: 'Масло', quantity: 0.0001, unit: 'l' },
          { name: 'Цепь', quantity: 1, unit: 'ft' },
        ])
        .expect(422);
      expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'parts[0].quantity',
        'parts[1].quantity',
        'parts[2].quantity',
        'parts[3].unit',
      ]);
    });

    it('finds an act by year and sequence, and an internal number cannot shadow another act', async () => {
      const act = await makeAct(t, sc);
      const [, year, seq] = /^ACT-(\d{4})-(\d{6})$/.exec(act.number) as RegExpExecArray;
      const found = await t.http.get(`/api/v1/acts/lookup?number=${year}-${seq}`).set(manager()).expect(200);
      expect(found.body.items.map((a: { id: string }) => a.id)).toEqual([act.id]);

      const other = await makeServiceCenter(t);
      const diagnosis = { ...validActBody(category).diagnosis, internalNumber: act.number };
      await t.http.post(api('')).set(bearer(other.key)).send(body({}, { diagnosis })).expect(201);
      const byNumber = await t.http.get(`/api/v1/acts/lookup?number=${act.number}`).set(manager()).expect(200);
      expect(byNumber.body.items.map((a: { id: string }) => a.id)).toEqual([act.id]);
    });
  });

  describe('compensation paid once', () => {
    it("freezes a settled act's own-part lines (409 act-settled) and shows its settlementId", async () => {
      const parts = [
        { name: 'Коленвал', quantity: 1, ownPart: false },
        { name: 'Шнур стартера', quantity: 2, ownPart: true, unitPrice: '150.50' },
      ];
      const act = await makeApprovedAct(t, sc, 'warranty', { parts });
      await makeShipment(t, [act.id]);
      const closed = await t.http
        .post(api(`/${act.id}/repaired`))
        .set(mine())
        .expect(200);
      const today = new Date(Date.parse(closed.body.closedAt) + 3 * 3_600_000).toISOString().slice(0, 10);
      const settlement = await t.http
        .post('/api/v1/compensation-settlements')
        .set(manager())
        .send({ closedTo: today, serviceCenterId: sc.id })
        .expect(201);
      await t.http
        .post(api(`/${act.id}/reopen`))
        .set(manager())
        .send({ reason: 'Проверка', to: 'approved' })
        .expect(200);
      const view = await t.http
        .get(api(`/${act.id}`))
        .set(mine())
        .expect(200);
      expect(view.body.settlementId).toBe(settlement.body.id);

      const raised = parts.map((p) => (p.ownPart ? { ...p, unitPrice: '1500.50' } : p));
      const refused = await t.http
        .put(api(`/${act.id}/parts`))
        .set(manager())
        .send(raised)
        .expect(409);
      expect(refused.body).toMatchObject({ type: 'urn:warranty-acts:problem:act-settled', settlementId: settlement.body.id });
      const renamed = parts.map((p) => (p.ownPart ? p : { ...p, name: 'Коленвал в сборе' }));
      await t.http
        .put(api(`/${act.id}/parts`))
        .set(manager())
        .send(renamed)
        .expect(200);
    });
  });
  describe('the responsible manager', () => {
    it("shows the SC's responsible manager on its acts and filters by it and by needsAttention", async () => {
      const mine = await makeServiceCenter(t);
      const theirs = await makeServiceCenter(t);
      await t.http.patch(`/api/v1/service-centers/${mine.id}`).set(manager()).send({ managerId: t.managerId }).expect(200);
      const other = await t.http
        .post('/api/v1/managers')
        .set(manager())
        .send({ name: 'Иван Соколов', email: `ivan-${Date.now()}@example.com`, office: 'Владивосток' })
        .expect(201);
      await t.http.patch(`/api/v1/service-centers/${theirs.id}`).set(manager()).send({ managerId: other.body.id }).expect(200);
      const a = await makeAct(t, mine);
      const b = await makeAct(t, theirs);

      const view = await t.http
        .get(api(`/${a.id}`))
        .set(bearer(mine.key))
        .expect(200);
      expect(view.body.assignedManager).toMatchObject({ id: t.managerId, name: 'Test Manager' });
      const assigned = await t.http.get(api(`?assignedTo=me&limit=100`)).set(manager()).expect(200);
      const ids = (assigned.body.items as { id: string }[]).map((x) => x.id);
      expect(ids).toContain(a.id);
      expect(ids).not.toContain(b.id);
      const byId = await t.http
        .get(api(`?assignedTo=${other.body.id}&limit=100`))
        .set(manager())
        .expect(200);
      expect((byId.body.items as { id: string }[]).map((x) => x.id)).toContain(b.id);

      await t.http.get(api('?assignedTo=me')).set(bearer(mine.key)).expect(400);
      await t.http.get(api('?assignedTo=someone')).set(manager()).expect(400);
      const attention = await t.http.get(api('?needsAttention=true&limit=100')).set(manager()).expect(200);
      expect((attention.body.items as { needsAttention: boolean }[]).every((x) => x.needsAttention)).toBe(true);
    });
  });
});
