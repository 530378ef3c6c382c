import { CalendarService } from '../src/calendar/calendar.service';
import { bearer, createTestApp, TestApp } from './app';
import {
  anyCategoryId,
  attachPhotoRows,
  makeAct,
  makeServiceCenter,
  makeSubmittedAct,
  REQUIRED_PHOTOS,
  TestServiceCenter,
  validActBody,
} from './factories';

const DAY = 86_400_000;

describe('acts: the wizard for service centers', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let other: TestServiceCenter;
  let categoryId: string;

  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
    categoryId = await anyCategoryId(t);
  });
  afterAll(() => t?.close());

  const api = (path = '') => `/api/v1/acts${path}`;

  describe('drafts', () => {
    it('starts a draft from the product step alone, numbered ACT-<year>-<6 digits>', async () => {
      const res = await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({ product: { model: 'Триммер ТБ-43', condition: 'new' } })
        .expect(201);
      expect(res.body).toMatchObject({
        status: 'draft',
        statusLabel: 'Черновик',
        serviceCenterId: sc.id,
        kind: 'warranty',
        version: 1,
        parts: [],
        photos: [],
        product: { model: 'Триммер ТБ-43', condition: 'new', refusedWithin14Days: false, paidOrder: false },
      });
      expect(res.body.number).toMatch(new RegExp(`^ACT-${new Date().getFullYear()}-\\d{6}$`));
      expect(res.headers.etag).toBe('"1"');
    });

    it('answers the created act exactly as it reads back: parts with their ids, the assigned manager, no photos', async () => {
      const body = validActBody(categoryId);
      const created = await t.http.post(api()).set(bearer(sc.key)).send(body).expect(201);
      const read = await t.http
        .get(api(`/${created.body.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(created.body.parts).toHaveLength(body.parts.length);
      expect(created.body.parts[0].id).toEqual(expect.any(String));
      expect(created.body.assignedManager).toEqual(read.body.assignedManager);
      expect(created.body).toEqual(read.body);
    });

    it('saves steps in any order with PUT and keeps the whole act', async () => {
      const act = await makeAct(t, sc, { diagnosis: undefined, parts: undefined, extra: undefined });
      const body = validActBody(categoryId);
      await t.http
        .put(api(`/${act.id}/extra`))
        .set(bearer(sc.key))
        .send(body.extra)
        .expect(200);
      await t.http
        .put(api(`/${act.id}/parts`))
        .set(bearer(sc.key))
        .send(body.parts)
        .expect(200);
      const res = await t.http
        .put(api(`/${act.id}/diagnosis`))
        .set(bearer(sc.key))
        .send(body.diagnosis)
        .expect(200);
      expect(res.body.version).toBe(4);
      expect(res.body.extra.customerPhone).toBe('+79161234567');
      expect(res.body.parts.map((p: { name: string; unitPrice: string | null }) => [p.name, p.unitPrice])).toEqual([
        ['Коленвал', null],
        ['Шнур стартера', '150.50'],
      ]);
      expect(res.body.diagnosis.internalNumber).toBe('12833-во-31');
      const parts = await t.http
        .put(api(`/${act.id}/parts`))
        .set(bearer(sc.key))
        .send({ parts: [{ name: 'Свеча', quantity: 3 }] })
        .expect(200);
      expect(parts.body.parts).toEqual([
        { id: expect.any(String), name: 'Свеча', diagramNumber: null, quantity: 3, unit: 'pcs', ownPart: false, unitPrice: null },
      ]);
    });

    it('labels the status in English when asked', async () => {
      const act = await makeAct(t, sc);
      const res = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .set('Accept-Language', 'en-GB,en;q=0.9')
        .expect(200);
      expect(res.body.statusLabel).toBe('Draft');
    });

    it('reads "Б/Н" as no serial number and shows it so', async () => {
      const body = validActBody(categoryId);
      const product = { ...(body.product as object), serialNumber: 'б/н' };
      const res = await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({ ...body, product })
        .expect(201);
      expect(res.body.product).toMatchObject({ serialNumber: null, noSerialNumber: true, serialNumberText: 'Б/Н' });
    });

    it('normalises money to two fraction digits and refuses numbers', async () => {
      const act = await makeAct(t, sc);
      const ok = await t.http
        .put(api(`/${act.id}/parts`))
        .set(bearer(sc.key))
        .send([{ name: 'Фильтр', quantity: 1, ownPart: true, unitPrice: '780.5' }])
        .expect(200);
      expect(ok.body.parts[0].unitPrice).toBe('780.50');
      const bad = await t.http
        .put(api(`/${act.id}/parts`))
        .set(bearer(sc.key))
        .set('Accept-Language', 'en')
        .send([{ name: 'Фильтр', quantity: 1, unitPrice: 780.5 }])
        .expect(422);
      expect(bad.body.errors).toEqual([{ field: 'parts[0].unitPrice', label: 'part 1: price', message: expect.stringContaining('decimal string') }]);
      await t.http
        .put(api(`/${act.id}/parts`))
        .set(bearer(sc.key))
        .send([{ name: 'Фильтр', quantity: 1, unitPrice: '1.234' }])
        .expect(422);
    });
  });

  describe('validation', () => {
    it('reports every failing field at once, with its path', async () => {
      const res = await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({
          product: {
            categoryId: 'not-a-uuid',
            condition: 'broken',
            saleDate: '2026-02-30',
            acceptedDate: '06/15/2026',
            completeness: 'half',
            hasWarrantyCard: 'yes',
            model: 'x'.repeat(201),
          },
          diagnosis: { warrantyCase: 'true', mechanic: '' },
          parts: [
            { name: 'ok', quantity: 1 },
            { name: '', quantity: 0, unitPrice: 'free' },
          ],
          extra: { complexity: 4, productState: 'lost', customerPhone: '123' },
        })
        .expect(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'product.categoryId',
          'product.condition',
          'product.saleDate',
          'product.acceptedDate',
          'product.completeness',
          'product.hasWarrantyCard',
          'product.model',
          'diagnosis.warrantyCase',
          'diagnosis.mechanic',
          'parts[1].name',
          'parts[1].quantity',
          'parts[1].unitPrice',
          'extra.complexity',
          'extra.productState',
          'extra.customerPhone',
        ]),
      );
    });

    it('checks rules across fields: future dates, sale after acceptance, known category, own-part price', async () => {
      const tomorrow = new Date(Date.now() + 2 * DAY).toISOString().slice(0, 10);
      const body = validActBody(categoryId);
      const res = await t.http
        .post(api())
        .set(bearer(sc.key))
        .set('Accept-Language', 'en')
        .send({
          ...body,
          product: {
            ...(body.product as object),
            categoryId: '00000000-0000-4000-8000-000000000000',
            saleDate: tomorrow,
            acceptedDate: '2026-01-10',
          },
          parts: [{ name: 'Шнур', quantity: 1, ownPart: true }],
        })
        .expect(422);
      expect(res.body.errors).toEqual(
        expect.arrayContaining([
          { field: 'product.saleDate', label: 'sale date', message: 'must not be in the future' },
          { field: 'product.saleDate', label: 'sale date', message: 'must not be after the accepted date' },
          { field: 'product.categoryId', label: 'category', message: 'is not a known product category' },
          { field: 'parts[0].unitPrice', label: 'part 1: price', message: expect.stringContaining('own part') },
        ]),
      );
    });

    it('refuses properties a service center may not set', async () => {
      const res = await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({ ...validActBody(categoryId), status: 'approved', serviceCenterId: other.id, number: 'ACT-2026-000001', replyDeadline: null })
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['number', 'replyDeadline', 'serviceCenterId', 'status']);
      const nested = await t.http
        .post(api())
        .set(bearer(sc.key))
        .set('Accept-Language', 'en')
        .send({ product: { model: 'X', status: 'closed' } })
        .expect(422);
      expect(nested.body.errors).toEqual([{ field: 'product.status', message: 'is not a known field' }]);
    });

    it('needs the product step to start an act', async () => {
      const res = await t.http.post(api()).set(bearer(sc.key)).send({}).expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('product');
    });
  });

  describe('submit', () => {
    it('lists every missing field of an incomplete act', async () => {
      const act = await t.http
        .post(api())
        .set(bearer(sc.key))
        .send({ product: { model: 'Бензопила' } })
        .expect(201);
      const res = await t.http
        .post(api(`/${act.body.id}/submit`))
        .set(bearer(sc.key))
        .expect(422);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['product.categoryId', 'product.serialNumber', 'diagnosis.mechanic', 'extra.customerName']));
      expect(fields).not.toContain('product.model');
      const still = await t.http
        .get(api(`/${act.body.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(still.body.status).toBe('draft');
    });

    it('asks for missing photos at once: info_requested, a system comment and a reply deadline', async () => {
      const act = await makeAct(t, sc);
      await attachPhotoRows(t, act.id, ['nameplate', 'receipt']);
      const before = Date.now();
      const res = await t.http
        .post(api(`/${act.id}/submit`))
        .set(bearer(sc.key))
        .expect(200);
      expect(res.body.status).toBe('info_requested');
      expect(res.body.submittedAt).toBeTruthy();
      // INFO_REPLY_WINDOW (5bd): the end of the 5th business day after the submission, Moscow time.
      const expected = await t.app.get(CalendarService).deadline(new Date(res.body.updatedAt), { kind: 'business', days: 5 });
      expect(res.body.replyDeadline).toBe(expected.toISOString());
      expect(Date.parse(res.body.replyDeadline)).toBeGreaterThanOrEqual(before + 5 * DAY);

      const comments = await t.http
        .get(api(`/${act.id}/comments`))
        .set(bearer(sc.key))
        .expect(200);
      expect(comments.body).toHaveLength(1);
      expect(comments.body[0].author).toEqual({ role: 'system', name: expect.any(String) });
      expect(comments.body[0].text).toContain('поломки');
      expect(comments.body[0].text).toContain('запчасти');
      expect(comments.body[0].text).not.toContain('шильдика');

      const history = await t.http
        .get(api(`/${act.id}/history`))
        .set(bearer(sc.key))
        .expect(200);
      expect(history.body.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
        [null, 'draft'],
        ['draft', 'submitted'],
        ['submitted', 'info_requested'],
      ]);
      expect(history.body[2].actor.role).toBe('system');
    });

    it('needs the client statement when the customer refuses within 14 days', async () => {
      const body = validActBody(categoryId);
      const act = await makeAct(t, sc, {
        product: { ...(body.product as object), refusedWithin14Days: true, saleDate: '2026-06-10', acceptedDate: '2026-06-15' },
      });
      await attachPhotoRows(t, act.id, REQUIRED_PHOTOS);
      const res = await t.http
        .post(api(`/${act.id}/submit`))
        .set(bearer(sc.key))
        .expect(200);
      expect(res.body.status).toBe('info_requested');
      const comments = await t.http
        .get(api(`/${act.id}/comments`))
        .set(bearer(sc.key))
        .expect(200);
      expect(comments.body[0].text).toContain('заявления клиента');
    });

    it('submits a complete act with its photos, and a second submit returns it unchanged', async () => {
      const act = await makeSubmittedAct(t, sc);
      expect(act.status).toBe('submitted');
      const again = await t.http
        .post(api(`/${act.id}/submit`))
        .set(bearer(sc.key))
        .expect(200);
      expect(again.body.version).toBe(act.version);
      expect(again.body.status).toBe('submitted');
    });

    it('marks the kind paid when the SC claims no warranty', async () => {
      const body = validActBody(categoryId);
      const act = await makeAct(t, sc, { diagnosis: { ...(body.diagnosis as object), warrantyCase: false } });
      expect(act.kind).toBe('paid');
    });
  });

  describe('status machine on the wizard', () => {
    it('refuses an SC edit of a submitted act with 409 naming the status and the action', async () => {
      const act = await makeSubmittedAct(t, sc);
      const res = await t.http
        .put(api(`/${act.id}/extra`))
        .set(bearer(sc.key))
        .set('Accept-Language', 'en')
        .send({ complexity: 3 })
        .expect(409);
      expect(res.body.detail).toContain('edit');
      expect(res.body.detail).toContain('submitted');
    });

    it('lets a manager correct a submitted act', async () => {
      const act = await makeSubmittedAct(t, sc);
      const body = validActBody(categoryId);
      const res = await t.http
        .put(api(`/${act.id}/product`))
        .set(bearer(t.managerKey))
        .send({ ...(body.product as object), model: 'ЭГК-2000 Энергопром' })
        .expect(200);
      expect(res.body.product.model).toBe('ЭГК-2000 Энергопром');
      expect(res.body.status).toBe('submitted');
    });

    it('lets the SC edit and answer while info is requested; its comment sends the act back', async () => {
      const act = await makeAct(t, sc);
      const asked = await t.http
        .post(api(`/${act.id}/submit`))
        .set(bearer(sc.key))
        .expect(200);
      expect(asked.body.status).toBe('info_requested');
      await t.http
        .put(api(`/${act.id}/extra`))
        .set(bearer(sc.key))
        .send({ ...(validActBody(categoryId).extra as object), complexity: 3 })
        .expect(200);
      const comment = await t.http
        .post(api(`/${act.id}/comments`))
        .set(bearer(sc.key))
        .send({ text: 'Фото отправили на почту' })
        .expect(201);
      expect(comment.body).toMatchObject({ author: { role: 'service_center', name: sc.name }, text: 'Фото отправили на почту' });
      const after = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(after.body).toMatchObject({ status: 'submitted', replyDeadline: null });
      const history = await t.http
        .get(api(`/${act.id}/history`))
        .set(bearer(sc.key))
        .expect(200);
      expect(history.body.at(-1)).toMatchObject({ from: 'info_requested', to: 'submitted', actor: { role: 'service_center' } });
    });

    it("e-mails the SC on a manager's comment but not on its own submit; the managers hear of the submit (outbox rows)", async () => {
      const act = await makeSubmittedAct(t, sc);
      await t.http
        .post(api(`/${act.id}/comments`))
        .set(bearer(t.managerKey))
        .send({ text: 'Уточните серийный номер' })
        .expect(201);
      const rows = await t.db.query(`SELECT kind, recipient, subject FROM notifications WHERE act_id = $1 AND manager_id IS NULL ORDER BY seq`, [
        act.id,
      ]);
      expect(rows.map((r: { kind: string }) => r.kind)).toEqual(['manager_comment']);
      expect(rows[0].recipient).toBe(sc.email);
      expect(rows[0].subject).toContain(act.number);
      const notices = await t.db.query(`SELECT DISTINCT kind FROM notifications WHERE act_id = $1 AND manager_id IS NOT NULL`, [act.id]);
      expect(notices).toEqual([{ kind: 'manager_notice' }]);
    });

    it('withdraws a draft, harmlessly twice, and refuses to withdraw a submitted act', async () => {
      const draft = await makeAct(t, sc);
      await t.http
        .delete(api(`/${draft.id}`))
        .set(bearer(sc.key))
        .expect(204);
      await t.http
        .delete(api(`/${draft.id}`))
        .set(bearer(sc.key))
        .expect(204);
      const res = await t.http
        .get(api(`/${draft.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(res.body).toMatchObject({ status: 'closed', resolution: 'withdrawn', closedAt: expect.any(String) });
      const submitted = await makeSubmittedAct(t, sc);
      await t.http
        .delete(api(`/${submitted.id}`))
        .set(bearer(sc.key))
        .expect(409);
    });

    it('keeps acts to service centers: managers cannot create or submit', async () => {
      await t.http.post(api()).set(bearer(t.managerKey)).send(validActBody(categoryId)).expect(403);
      const act = await makeAct(t, sc);
      await t.http
        .post(api(`/${act.id}/submit`))
        .set(bearer(t.managerKey))
        .expect(403);
    });

    it('does not take comments from the SC on a closed act', async () => {
      const draft = await makeAct(t, sc);
      await t.http
        .delete(api(`/${draft.id}`))
        .set(bearer(sc.key))
        .expect(204);
      await t.http
        .post(api(`/${draft.id}/comments`))
        .set(bearer(sc.key))
        .send({ text: 'hello' })
        .expect(409);
      await t.http
        .post(api(`/${draft.id}/comments`))
        .set(bearer(t.managerKey))
        .send({ text: 'Закрыт по просьбе СЦ' })
        .expect(201);
    });
  });

  describe('tenant isolation', () => {
    it('answers 404 to another SC on every act endpoint, and leaves the act untouched', async () => {
      const act = await makeAct(t, sc);
      const key = bearer(other.key);
      await t.http
        .get(api(`/${act.id}`))
        .set(key)
        .expect(404);
      await t.http
        .put(api(`/${act.id}/product`))
        .set(key)
        .send({ model: 'X' })
        .expect(404);
      await t.http
        .put(api(`/${act.id}/diagnosis`))
        .set(key)
        .send({ mechanic: 'X' })
        .expect(404);
      await t.http
        .put(api(`/${act.id}/parts`))
        .set(key)
        .send([])
        .expect(404);
      await t.http
        .put(api(`/${act.id}/extra`))
        .set(key)
        .send({ complexity: 1 })
        .expect(404);
      await t.http
        .post(api(`/${act.id}/submit`))
        .set(key)
        .expect(404);
      await t.http
        .get(api(`/${act.id}/comments`))
        .set(key)
        .expect(404);
      await t.http
        .post(api(`/${act.id}/comments`))
        .set(key)
        .send({ text: 'x' })
        .expect(404);
      await t.http
        .get(api(`/${act.id}/history`))
        .set(key)
        .expect(404);
      await t.http
        .delete(api(`/${act.id}`))
        .set(key)
        .expect(404);
      const list = await t.http.get(api('?limit=100')).set(key).expect(200);
      expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(act.id);
      const lookup = await t.http
        .get(api(`/lookup?number=${act.number}`))
        .set(key)
        .expect(200);
      expect(lookup.body.items).toEqual([]);
      const mine = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(mine.body.version).toBe(1);
      expect(mine.body.status).toBe('draft');
    });
  });

  describe('concurrency', () => {
    it('refuses a stale If-Match with 412, and of two writers with one version exactly one wins', async () => {
      const act = await makeAct(t, sc);
      await t.http
        .put(api(`/${act.id}/extra`))
        .set(bearer(sc.key))
        .set('If-Match', '"7"')
        .send({ complexity: 1 })
        .expect(412);
      const results = await Promise.all(
        [1, 2, 3, 1, 2, 3].map((complexity) =>
          t.http
            .put(api(`/${act.id}/extra`))
            .set(bearer(sc.key))
            .set('If-Match', `"${act.version}"`)
            .send({ complexity }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
      const now = await t.http
        .get(api(`/${act.id}`))
        .set(bearer(sc.key))
        .expect(200);
      expect(now.body.version).toBe(act.version + 1);
      expect(now.headers.etag).toBe(`"${act.version + 1}"`);
    });

    it('makes exactly one act from 20 concurrent "Create" requests with one Idempotency-Key', async () => {
      const key = `create-${Date.now()}`;
      const body = validActBody(categoryId);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => t.http.post(api()).set(bearer(sc.key)).set('Idempotency-Key', key).send(body)),
      );
      const created = results.filter((r) => r.status === 201);
      expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      const rows = await t.db.query(
        `SELECT count(*)::int AS n FROM acts a JOIN idempotency_keys k ON k.response_body->>'id' = a.id::text WHERE k.key = $1`,
        [key],
      );
      expect(rows[0].n).toBe(1);
      const replay = await t.http.post(api()).set(bearer(sc.key)).set('Idempotency-Key', key).send(body).expect(201);
      expect(replay.body.id).toBe(created[0].body.id);
      expect(replay.headers.etag).toBe('"1"');
      await t.http
        .post(api())
        .set(bearer(sc.key))
        .set('Idempotency-Key', key)
        .send({ product: { model: 'другое' } })
        .expect(422);
    });

    it('numbers concurrent acts uniquely', async () => {
      const results = await Promise.all(
        Array.from({ length: 25 }, () =>
          t.http
            .post(api())
            .set(bearer(sc.key))
            .send({ product: { model: 'Параллельный' } }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      const seqs = results.map((r) => Number(r.body.number.slice(-6))).sort((a, b) => a - b);
      expect(new Set(seqs).size).toBe(25);
      // Other suites create acts at the same time, so the run need not be consecutive; it is
      // at most as wide as every act created meanwhile.
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM acts WHERE seq BETWEEN $1 AND $2 AND year = $3`, [
        seqs[0],
        seqs[24],
        Number(results[0].body.number.slice(4, 8)),
      ]);
      expect(seqs[24] - seqs[0] + 1).toBe(n);
    });
  });

  describe('lists and lookup', () => {
    let lister: TestServiceCenter;
    const ids: string[] = [];

    beforeAll(async () => {
      lister = await makeServiceCenter(t);
      for (let i = 0; i < 5; i++) {
        const body = validActBody(categoryId);
        const act = await makeAct(t, lister, { product: { ...(body.product as object), model: `Газонокосилка-${i}`, serialNumber: `SN-${i}` } });
        ids.push(act.id);
      }
    });

    it('pages newest first with an opaque cursor', async () => {
      const first = await t.http.get(api('?limit=2')).set(bearer(lister.key)).expect(200);
      expect(first.body.items.map((a: { id: string }) => a.id)).toEqual([ids[4], ids[3]]);
      const second = await t.http
        .get(api(`?limit=2&cursor=${first.body.nextCursor}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(second.body.items.map((a: { id: string }) => a.id)).toEqual([ids[2], ids[1]]);
      const third = await t.http
        .get(api(`?limit=2&cursor=${second.body.nextCursor}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(third.body.items.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
      expect(third.body.nextCursor).toBeNull();
    });

    it('filters by status, text, service center and creation time', async () => {
      await attachPhotoRows(t, ids[0], REQUIRED_PHOTOS);
      await t.http
        .post(api(`/${ids[0]}/submit`))
        .set(bearer(lister.key))
        .expect(200);
      const submitted = await t.http.get(api('?status=submitted')).set(bearer(lister.key)).expect(200);
      expect(submitted.body.items.map((a: { id: string }) => a.id)).toEqual([ids[0]]);
      const both = await t.http.get(api('?status=submitted&status=draft')).set(bearer(lister.key)).expect(200);
      expect(both.body.items).toHaveLength(5);
      const q = await t.http.get(api('?q=газонокосилка-3')).set(bearer(lister.key)).expect(200);
      expect(q.body.items.map((a: { id: string }) => a.id)).toEqual([ids[3]]);
      const bySerial = await t.http.get(api('?q=sn-2')).set(bearer(lister.key)).expect(200);
      expect(bySerial.body.items.map((a: { id: string }) => a.id)).toEqual([ids[2]]);
      // Any length and position: three characters, across the serial number and the model, in capitals, one character.
      for (const [text, expected] of [
        ['n-1', [ids[1]]],
        ['SN-4 газ', [ids[4]]],
        ['ЛКА-0', [ids[0]]],
        ['-', [...ids].reverse()],
      ] as const) {
        const found = await t.http
          .get(api(`?q=${encodeURIComponent(text)}`))
          .set(bearer(lister.key))
          .expect(200);
        expect({ text, ids: found.body.items.map((a: { id: string }) => a.id) }).toEqual({ text, ids: expected });
      }
      const byCustomer = await t.http
        .get(api(`?q=${encodeURIComponent('петров')}&serviceCenterId=${lister.id}`))
        .set(bearer(t.managerKey))
        .expect(200);
      expect(byCustomer.body.items).toHaveLength(5);
      const future = new Date(Date.now() + DAY).toISOString();
      const none = await t.http
        .get(api(`?createdFrom=${future}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(none.body.items).toEqual([]);
      const today = new Date().toISOString().slice(0, 10);
      const all = await t.http
        .get(api(`?createdFrom=${today}&createdTo=${today}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(all.body.items).toHaveLength(5);
    });

    it('refuses unknown filter values with 400', async () => {
      const res = await t.http.get(api('?status=lost')).set(bearer(lister.key)).expect(400);
      expect(res.body.errors[0].field).toMatch(/^status/);
      await t.http.get(api('?limit=101')).set(bearer(lister.key)).expect(400);
      await t.http.get(api('?limit=0')).set(bearer(lister.key)).expect(400);
      await t.http.get(api('?cursor=garbage')).set(bearer(lister.key)).expect(400);
      await t.http.get(api('?createdFrom=yesterday')).set(bearer(lister.key)).expect(400);
      await t.http.get(api('?color=red')).set(bearer(lister.key)).expect(400);
      await t.http.get(api('?sort=review')).set(bearer(lister.key)).expect(400);
    });

    it('gives managers the review queue: pre-sale first, then the oldest submitted', async () => {
      const reviewSc = await makeServiceCenter(t);
      const body = validActBody(categoryId);
      const a = await makeSubmittedAct(t, reviewSc);
      const b = await makeSubmittedAct(t, reviewSc, { product: { ...(body.product as object), condition: 'pre_sale' } });
      const c = await makeSubmittedAct(t, reviewSc);
      const res = await t.http
        .get(api(`?status=submitted&sort=review&serviceCenterId=${reviewSc.id}&limit=2`))
        .set(bearer(t.managerKey))
        .expect(200);
      expect(res.body.items.map((x: { id: string }) => x.id)).toEqual([b.id, a.id]);
      expect(res.body.items[0].preSale).toBe(true);
      expect(res.body.items[0].reviewOverdue).toBe(false);
      const next = await t.http
        .get(api(`?status=submitted&sort=review&serviceCenterId=${reviewSc.id}&limit=2&cursor=${res.body.nextCursor}`))
        .set(bearer(t.managerKey))
        .expect(200);
      expect(next.body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
    });

    it('finds acts by short number, full number or internal number', async () => {
      const act = await t.http
        .get(api(`/${ids[1]}`))
        .set(bearer(lister.key))
        .expect(200);
      const short = String(Number(act.body.number.slice(-6)));
      const padded = act.body.number.slice(-4);
      for (const number of [short, padded, act.body.number, act.body.number.toLowerCase()]) {
        const res = await t.http
          .get(api(`/lookup?number=${encodeURIComponent(number)}`))
          .set(bearer(lister.key))
          .expect(200);
        expect(res.body.items.map((a: { id: string }) => a.id)).toContain(ids[1]);
      }
      const internal = await t.http
        .get(api(`/lookup?number=${encodeURIComponent('12833-ВО-31')}`))
        .set(bearer(lister.key))
        .expect(200);
      expect(internal.body.items).toHaveLength(5);
      await t.http.get(api('/lookup')).set(bearer(lister.key)).expect(400);
    });
  });
});
