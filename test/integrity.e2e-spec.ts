import { bearer, createTestApp, TestApp, uniqueSuffix } from './app';
import { attachPhotoRows, makeServiceCenter, REQUIRED_PHOTOS, TestServiceCenter, validActBody } from './factories';

/**
 * Integrity flags (API.md "Integrity flags and reason codes"): duplicate serial numbers of a
 * model across service centers, photos used on two acts, sales older than the category's
 * warranty term; managers see and filter them, a service center never sees them anywhere.
 */

type Flag = { type: string; actIds?: string[]; warrantyMonths?: number; warrantyEnd?: string };

describe('integrity flags', () => {
  let t: TestApp;
  let sc1: TestServiceCenter;
  let sc2: TestServiceCenter;
  /** A category of this spec's own, so that changing its term touches no other test. */
  let category: string;
  const api = (path = '') => `/api/v1/acts${path}`;
  const manager = () => bearer(t.managerKey);

  beforeAll(async () => {
    t = await createTestApp();
    [sc1, sc2] = [await makeServiceCenter(t), await makeServiceCenter(t)];
    const created = await t.http
      .post('/api/v1/product-categories')
      .set(manager())
      .send({ name: `Снегоуборщик ${uniqueSuffix()}` })
      .expect(201);
    category = created.body.id;
  });
  afterAll(() => t?.close());

  /** A product section: this spec's category, sold and accepted well within 12 months. */
  const product = (fields: Record<string, unknown> = {}) => ({
    ...validActBody(category).product,
    model: 'МК-200 Садко',
    serialNumber: `S${uniqueSuffix()}`,
    saleDate: '2026-03-01',
    acceptedDate: '2026-06-15',
    ...fields,
  });
  async function draft(sc: TestServiceCenter, fields: Record<string, unknown> = {}) {
    const res = await t.http
      .post(api())
      .set(bearer(sc.key))
      .send(validActBody(category, { product: product(fields) }))
      .expect(201);
    return res.body as { id: string; number: string };
  }
  async function submit(sc: TestServiceCenter, id: string) {
    return (
      await t.http
        .post(api(`/${id}/submit`))
        .set(bearer(sc.key))
        .expect(200)
    ).body as Record<string, unknown>;
  }
  async function submitted(sc: TestServiceCenter, fields: Record<string, unknown> = {}) {
    const act = await draft(sc, fields);
    await attachPhotoRows(t, act.id, REQUIRED_PHOTOS);
    await submit(sc, act.id);
    return act;
  }
  const flagsOf = async (id: string): Promise<Flag[]> =>
    (
      await t.http
        .get(api(`/${id}`))
        .set(manager())
        .expect(200)
    ).body.flags as Flag[];
  const typesOf = async (id: string) => (await flagsOf(id)).map((f) => f.type).sort();

  describe('duplicate_serial', () => {
    it("is never hidden behind a 304: the act's ETag (its version) does not change with its flags", async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const first = await submitted(sc1, { serialNumber: serial });
      const before = await t.http
        .get(api(`/${first.id}`))
        .set(manager())
        .expect(200);
      expect(before.body.flags).toEqual([]);
      await submitted(sc2, { serialNumber: serial });
      const after = await t.http
        .get(api(`/${first.id}`))
        .set(manager())
        .set('If-None-Match', before.headers.etag)
        .expect(200);
      expect(after.headers.etag).toBe(before.headers.etag);
      expect(after.body.flags).toEqual([expect.objectContaining({ type: 'duplicate_serial' })]);
    });

    it('links acts of any service centers with the same model and serial number, written differently', async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const first = await submitted(sc1, { serialNumber: serial.toLowerCase(), model: 'мк-200 садко' });
      const second = await submitted(sc2, { serialNumber: ` ${serial.replace(/-/g, ' . ')} ` });
      expect(await flagsOf(second.id)).toEqual([{ type: 'duplicate_serial', actIds: [first.id] }]);
      // The earlier act learns of the later one in the same transaction.
      expect(await flagsOf(first.id)).toEqual([{ type: 'duplicate_serial', actIds: [second.id] }]);
      const third = await submitted(sc1, { serialNumber: serial });
      expect(await flagsOf(third.id)).toEqual([{ type: 'duplicate_serial', actIds: [first.id, second.id] }]);
      expect((await flagsOf(first.id))[0].actIds?.sort()).toEqual([second.id, third.id].sort());
    });

    it('never matches «Б/Н», however written', async () => {
      const ids = [];
      for (const written of ['Б/Н', 'б.н.', 'нет', 'отсутствует']) ids.push((await submitted(sc1, { serialNumber: written })).id);
      ids.push((await submitted(sc2, { serialNumber: null, noSerialNumber: true })).id);
      for (const id of ids) expect(await flagsOf(id)).toEqual([]);
    });

    it('does not match another model', async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const a = await submitted(sc1, { serialNumber: serial, model: 'МК-200 Садко' });
      const b = await submitted(sc2, { serialNumber: serial, model: 'МК-210 Садко' });
      expect(await flagsOf(a.id)).toEqual([]);
      expect(await flagsOf(b.id)).toEqual([]);
    });

    it('does not match an act submitted more than 24 months before', async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const old = await submitted(sc1, { serialNumber: serial });
      await t.db.query(`UPDATE acts SET submitted_at = now() - interval '24 months 1 day' WHERE id = $1`, [old.id]);
      const recent = await submitted(sc1, { serialNumber: serial });
      expect(await flagsOf(recent.id)).toEqual([]);
      expect(await flagsOf(old.id)).toEqual([]);
      // Within 24 months it does.
      await t.db.query(`UPDATE acts SET submitted_at = now() - interval '23 months' WHERE id = $1`, [old.id]);
      const another = await submitted(sc2, { serialNumber: serial });
      expect(await flagsOf(another.id)).toEqual([{ type: 'duplicate_serial', actIds: [old.id, recent.id] }]);
    });

    it('counts only submitted acts: a draft neither has flags nor is a counterpart', async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const waiting = await draft(sc1, { serialNumber: serial });
      const sent = await submitted(sc2, { serialNumber: serial });
      expect(await flagsOf(sent.id)).toEqual([]);
      expect(await flagsOf(waiting.id)).toEqual([]);
      await attachPhotoRows(t, waiting.id, REQUIRED_PHOTOS);
      await submit(sc1, waiting.id);
      expect(await flagsOf(waiting.id)).toEqual([{ type: 'duplicate_serial', actIds: [sent.id] }]);
      expect(await flagsOf(sent.id)).toEqual([{ type: 'duplicate_serial', actIds: [waiting.id] }]);
    });

    it('follows edits: a corrected serial number removes the flag from both acts, a wrong one adds it', async () => {
      const serial = `SN-${uniqueSuffix()}`;
      const a = await submitted(sc1, { serialNumber: serial });
      const b = await submitted(sc2, { serialNumber: serial });
      expect(await typesOf(a.id)).toEqual(['duplicate_serial']);
      await t.http
        .put(api(`/${b.id}/product`))
        .set(manager())
        .send(product({ serialNumber: `${serial}-7` }))
        .expect(200);
      expect(await flagsOf(a.id)).toEqual([]);
      expect(await flagsOf(b.id)).toEqual([]);
      await t.http
        .put(api(`/${b.id}/product`))
        .set(manager())
        .send(product({ serialNumber: serial }))
        .expect(200);
      expect(await flagsOf(a.id)).toEqual([{ type: 'duplicate_serial', actIds: [b.id] }]);
    });
  });

  describe('duplicate_photo', () => {
    const sha = () => Buffer.from(uniqueSuffix()).toString('hex').padEnd(64, '0').slice(0, 64);
    const photo = async (actId: string, hash: string) =>
      (
        await t.db.query(
          `INSERT INTO act_photos (act_id, kind, file_name, content_type, size, sha256, storage_key)
           VALUES ($1, 'other', 'x.jpg', 'image/jpeg', 1, $2, 'test/' || gen_random_uuid()) RETURNING id`,
          [actId, hash],
        )
      )[0].id as string;

    it('links acts that carry a photo with the same SHA-256, and forgets it when the photo is deleted', async () => {
      const hash = sha();
      const a = await draft(sc1);
      await photo(a.id, hash);
      await attachPhotoRows(t, a.id, REQUIRED_PHOTOS);
      await submit(sc1, a.id);
      const b = await draft(sc2);
      const copy = await photo(b.id, hash);
      await attachPhotoRows(t, b.id, REQUIRED_PHOTOS);
      await submit(sc2, b.id);
      expect(await flagsOf(b.id)).toEqual([{ type: 'duplicate_photo', actIds: [a.id] }]);
      expect(await flagsOf(a.id)).toEqual([{ type: 'duplicate_photo', actIds: [b.id] }]);

      await t.http
        .delete(api(`/${b.id}/photos/${copy}`))
        .set(manager())
        .expect(204);
      expect(await flagsOf(a.id)).toEqual([]);
      expect(await flagsOf(b.id)).toEqual([]);
    });

    it('ignores the same photo on a draft', async () => {
      const hash = sha();
      const a = await draft(sc1);
      await photo(a.id, hash);
      const b = await draft(sc2);
      await photo(b.id, hash);
      await attachPhotoRows(t, b.id, REQUIRED_PHOTOS);
      await submit(sc2, b.id);
      expect(await flagsOf(b.id)).toEqual([]);
    });
  });

  describe('out_of_warranty', () => {
    it('flags a sale older than the category term at acceptance, with the term and its end', async () => {
      const act = await submitted(sc1, { saleDate: '2025-01-10', acceptedDate: '2026-01-11' });
      expect(await flagsOf(act.id)).toEqual([{ type: 'out_of_warranty', warrantyMonths: 12, warrantyEnd: '2026-01-10' }]);
      const lastDay = await submitted(sc1, { saleDate: '2025-01-10', acceptedDate: '2026-01-10' });
      expect(await flagsOf(lastDay.id)).toEqual([]);
    });

    it('never flags a pre-sale product', async () => {
      const act = await submitted(sc1, { condition: 'pre_sale', saleDate: '2024-01-10', acceptedDate: '2026-01-11' });
      expect(await flagsOf(act.id)).toEqual([]);
    });

    it("uses the category's warrantyMonths, on the next edit after a change", async () => {
      const act = await submitted(sc1, { saleDate: '2025-01-10', acceptedDate: '2026-03-01' });
      expect(await typesOf(act.id)).toEqual(['out_of_warranty']);
      await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ warrantyMonths: 24 }).expect(200);
      try {
        await t.http
          .put(api(`/${act.id}/product`))
          .set(manager())
          .send(product({ saleDate: '2025-01-10', acceptedDate: '2026-03-02' }))
          .expect(200);
        expect(await flagsOf(act.id)).toEqual([]);
        await t.http
          .put(api(`/${act.id}/product`))
          .set(manager())
          .send(product({ saleDate: '2024-01-10', acceptedDate: '2026-03-02' }))
          .expect(200);
        expect(await flagsOf(act.id)).toEqual([{ type: 'out_of_warranty', warrantyMonths: 24, warrantyEnd: '2026-01-10' }]);
      } finally {
        await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ warrantyMonths: 12 }).expect(200);
      }
    });
  });

  describe('filters', () => {
    it('lists flagged acts, by type, for managers', async () => {
      const sc = await makeServiceCenter(t);
      const plain = await submitted(sc);
      const old = await submitted(sc, { saleDate: '2024-01-10', acceptedDate: '2026-01-11' });
      const serial = `SN-${uniqueSuffix()}`;
      const dupA = await submitted(sc, { serialNumber: serial });
      const dupB = await submitted(sc, { serialNumber: serial });
      const ids = async (query: string) =>
        (
          (
            await t.http
              .get(api(`?serviceCenterId=${sc.id}&${query}`))
              .set(manager())
              .expect(200)
          ).body.items as { id: string }[]
        )
          .map((a) => a.id)
          .sort();
      expect(await ids('flagged=true')).toEqual([old.id, dupA.id, dupB.id].sort());
      expect(await ids('flagged=false')).toEqual([plain.id]);
      expect(await ids('flag=out_of_warranty')).toEqual([old.id]);
      expect(await ids('flag=duplicate_serial')).toEqual([dupA.id, dupB.id].sort());
      expect(await ids('flag=duplicate_serial&flag=out_of_warranty')).toEqual([old.id, dupA.id, dupB.id].sort());
      expect(await ids('flag=duplicate_photo,out_of_warranty')).toEqual([old.id]);
      expect(await ids('flag=duplicate_photo')).toEqual([]);
    });

    it('refuses an unknown flag type (400) and the flag filters to a service center (400 naming them)', async () => {
      const bad = await t.http.get(api('?flag=stolen')).set(manager()).expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['flag']);
      for (const [query, field] of [
        ['flagged=true', 'flagged'],
        ['flag=duplicate_serial', 'flag'],
      ]) {
        const res = await t.http
          .get(api(`?${query}`))
          .set(bearer(sc1.key))
          .expect(400);
        expect(res.body.errors).toEqual([expect.objectContaining({ field })]);
      }
    });
  });

  it('never shows a flag to a service center, in any answer', async () => {
    const serial = `SN-${uniqueSuffix()}`;
    await submitted(sc2, { serialNumber: serial });
    const answers: unknown[] = [];
    const mine = () => bearer(sc1.key);
    const idempotencyKey = `k-${uniqueSuffix()}`;
    const created = await t.http
      .post(api())
      .set(mine())
      .set('Idempotency-Key', idempotencyKey)
      .send(validActBody(category, { product: product({ serialNumber: serial, saleDate: '2024-01-01', acceptedDate: '2026-01-11' }) }))
      .expect(201);
    const id = created.body.id as string;
    answers.push(created.body);
    await attachPhotoRows(t, id, REQUIRED_PHOTOS.slice(1)); // the nameplate is missing: the act goes to info_requested
    answers.push(await submit(sc1, id));
    expect(await typesOf(id)).toEqual(['duplicate_serial', 'out_of_warranty']);
    answers.push(
      (
        await t.http
          .post(api(`/${id}/submit`))
          .set(mine())
          .expect(200)
      ).body,
    );
    answers.push(
      (
        await t.http
          .get(api(`/${id}`))
          .set(mine())
          .expect(200)
      ).body,
    );
    answers.push(
      (
        await t.http
          .put(api(`/${id}/product`))
          .set(mine())
          .send(product({ serialNumber: serial, saleDate: '2024-01-01', acceptedDate: '2026-01-11' }))
          .expect(200)
      ).body,
    );
    answers.push((await t.http.get(api()).set(mine()).expect(200)).body);
    answers.push(
      (
        await t.http
          .get(api(`?q=${encodeURIComponent(serial)}`))
          .set(mine())
          .expect(200)
      ).body,
    );
    answers.push(
      (
        await t.http
          .get(api(`/lookup?number=${created.body.number}`))
          .set(mine())
          .expect(200)
      ).body,
    );
    answers.push(
      (
        await t.http
          .get(api(`/${id}/history`))
          .set(mine())
          .expect(200)
      ).body,
    );
    answers.push(
      (
        await t.http
          .get(api(`/${id}/comments`))
          .set(mine())
          .expect(200)
      ).body,
    );
    // The idempotent replay of the create answers the first response again, without flags too.
    answers.push(
      (
        await t.http
          .post(api())
          .set(mine())
          .set('Idempotency-Key', idempotencyKey)
          .send(validActBody(category, { product: product({ serialNumber: serial, saleDate: '2024-01-01', acceptedDate: '2026-01-11' }) }))
      ).body,
    );
    const text = JSON.stringify(answers);
    expect(text).toContain(id);
    expect(text).not.toMatch(/"flags"|duplicate_serial|out_of_warranty|warrantyEnd/);
    // ... while a manager sees them on the same act and in lists.
    const managerList = await t.http
      .get(api(`?serviceCenterId=${sc1.id}&flagged=true`))
      .set(manager())
      .expect(200);
    expect(managerList.body.items.find((a: { id: string }) => a.id === id).flags.map((f: Flag) => f.type)).toEqual([
      'duplicate_serial',
      'out_of_warranty',
    ]);
  });

  describe('product categories', () => {
    it('show warrantyMonths (12 by default) and take a new term or name from a manager', async () => {
      const made = await t.http
        .post('/api/v1/product-categories')
        .set(manager())
        .send({ name: `Культиватор ${uniqueSuffix()}` })
        .expect(201);
      expect(made.body).toEqual({ id: made.body.id, name: made.body.name, warrantyMonths: 12 });
      const patched = await t.http.patch(`/api/v1/product-categories/${made.body.id}`).set(manager()).send({ warrantyMonths: 36 }).expect(200);
      expect(patched.body).toEqual({ id: made.body.id, name: made.body.name, warrantyMonths: 36 });
      const renamed = await t.http
        .patch(`/api/v1/product-categories/${made.body.id}`)
        .set(manager())
        .send({ name: `${made.body.name} X` })
        .expect(200);
      expect(renamed.body).toEqual({ id: made.body.id, name: `${made.body.name} X`, warrantyMonths: 36 });
      const list = await t.http.get('/api/v1/product-categories').set(bearer(sc1.key)).expect(200);
      expect(list.body.find((c: { id: string }) => c.id === made.body.id)).toEqual(renamed.body);
    });

    it('refuse a bad term naming the field, an unknown id, a taken name and a service center', async () => {
      for (const warrantyMonths of [0, 121, 1.5, '12', null, true]) {
        const res = await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ warrantyMonths }).expect(422);
        expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))]).toEqual(['warrantyMonths']);
      }
      const nameless = await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ name: null }).expect(422);
      expect([...new Set(nameless.body.errors.map((e: { field: string }) => e.field))]).toEqual(['name']);
      const unknown = await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ colour: 'red' }).expect(422);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['colour']);
      await t.http.patch('/api/v1/product-categories/7c0e0000-0000-4000-8000-000000000000').set(manager()).send({ warrantyMonths: 6 }).expect(404);
      const taken = (await t.http.get('/api/v1/product-categories').set(manager()).expect(200)).body.find((c: { id: string }) => c.id !== category);
      await t.http.patch(`/api/v1/product-categories/${category}`).set(manager()).send({ name: taken.name.toUpperCase() }).expect(409);
      await t.http.patch(`/api/v1/product-categories/${category}`).set(bearer(sc1.key)).send({ warrantyMonths: 6 }).expect(403);
    });
  });
});
