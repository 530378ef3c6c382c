import { bearer, createTestApp, TestApp } from './app';
import { anyCategoryId, makeServiceCenter, makeSubmittedAct, TestServiceCenter, validActBody } from './factories';

/** API.md "Language": problems are Russian by default and English on Accept-Language: en; paths and codes never change. */
describe('language of problems', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let categoryId: string;
  beforeAll(async () => {
    t = await createTestApp();
    sc = await makeServiceCenter(t);
    categoryId = await anyCategoryId(t);
  });
  afterAll(() => t?.close());

  const badAct = () => {
    const body = validActBody(categoryId);
    body.product = { ...body.product, model: 'М'.repeat(201), saleDate: '2026-02-30', condition: 'broken', colour: 'red' };
    body.extra = { ...body.extra, complexity: 7 };
    return body;
  };
  type FieldError = { field: string; label?: string; message: string };
  const byField = (errors: FieldError[]) => Object.fromEntries(errors.map((e) => [e.field, e.message]));
  const labels = (errors: FieldError[]) => Object.fromEntries(errors.map((e) => [e.field, e.label]));

  const RUSSIAN = {
    'product.model': 'должно быть не длиннее 200 символов',
    'product.saleDate': 'должно быть датой в формате ГГГГ-ММ-ДД',
    'product.condition': 'должно быть одним из значений: new, used, pre_sale',
    'product.colour': 'неизвестное поле',
    'extra.complexity': 'должно быть не больше 3',
  };

  it.each([undefined, 'ru', 'ru-RU,ru;q=0.9,en;q=0.5'])('names each failing field in Russian (Accept-Language: %s)', async (language) => {
    const req = t.http.post('/api/v1/acts').set(bearer(sc.key));
    if (language) void req.set('Accept-Language', language);
    const res = await req.send(badAct()).expect(422);
    expect(res.body).toMatchObject({
      type: 'urn:warranty-acts:problem:validation-failed',
      title: 'Ошибка в данных запроса',
      detail: 'В запросе есть ошибки; см. errors.',
    });
    expect(byField(res.body.errors)).toEqual(RUSSIAN);
    expect(labels(res.body.errors)).toEqual({
      'product.model': 'модель',
      'product.saleDate': 'дата продажи',
      'product.condition': 'внешний вид',
      'product.colour': undefined,
      'extra.complexity': 'сложность ремонта',
    });
  });

  it('names each failing field in English on Accept-Language: en', async () => {
    const res = await t.http.post('/api/v1/acts').set(bearer(sc.key)).set('Accept-Language', 'en-GB,en;q=0.9').send(badAct()).expect(422);
    expect(res.body).toMatchObject({
      type: 'urn:warranty-acts:problem:validation-failed',
      title: 'Unprocessable Content',
      detail: 'The request has invalid fields; see errors.',
    });
    expect(byField(res.body.errors)).toEqual({
      'product.model': 'must be shorter than or equal to 200 characters',
      'product.saleDate': 'must be a date written YYYY-MM-DD',
      'product.condition': 'must be one of the following values: new, used, pre_sale',
      'product.colour': 'is not a known field',
      'extra.complexity': 'must not be greater than 3',
    });
    expect(labels(res.body.errors)).toEqual({
      'product.model': 'model',
      'product.saleDate': 'sale date',
      'product.condition': 'condition',
      'product.colour': undefined,
      'extra.complexity': 'repair complexity',
    });
  });

  it('says a 404 in both languages', async () => {
    const path = '/api/v1/acts/00000000-0000-4000-8000-000000000000';
    const ru = await t.http.get(path).set(bearer(sc.key)).expect(404);
    expect(ru.body).toMatchObject({ type: 'urn:warranty-acts:problem:not-found', title: 'Не найдено', detail: 'Акт не найден.' });
    const en = await t.http.get(path).set(bearer(sc.key)).set('Accept-Language', 'en').expect(404);
    expect(en.body).toMatchObject({ type: 'urn:warranty-acts:problem:not-found', title: 'Not Found', detail: 'Act was not found.' });
  });

  it('says a 409 (an action the status does not allow) in both languages, with the status label', async () => {
    const act = await makeSubmittedAct(t, sc);
    const path = `/api/v1/acts/${act.id}/extra`;
    const ru = await t.http.put(path).set(bearer(sc.key)).send({ complexity: 3 }).expect(409);
    expect(ru.body).toMatchObject({
      type: 'urn:warranty-acts:problem:action-not-allowed',
      title: 'Конфликт',
      detail: 'Действие недоступно для акта в статусе «На рассмотрении».',
      currentStatus: 'submitted',
      action: 'edit',
    });
    const en = await t.http.put(path).set(bearer(sc.key)).set('Accept-Language', 'en').send({ complexity: 3 }).expect(409);
    expect(en.body).toMatchObject({ type: 'urn:warranty-acts:problem:action-not-allowed', title: 'Conflict', currentStatus: 'submitted' });
    expect(en.body.detail).toBe('The action edit is not allowed on an act in status submitted for the role service_center.');
  });

  it('says a 401 in both languages', async () => {
    const ru = await t.http.get('/api/v1/acts').expect(401);
    expect(ru.body).toMatchObject({
      type: 'urn:warranty-acts:problem:unauthorized',
      title: 'Требуется авторизация',
      detail: 'Нужен API-ключ: Authorization: Bearer <ключ>.',
    });
    const en = await t.http.get('/api/v1/acts').set('Accept-Language', 'en').expect(401);
    expect(en.body).toMatchObject({ title: 'Unauthorized', detail: 'An API key is required: Authorization: Bearer <key>.' });
  });
});
