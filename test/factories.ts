import { bearer, TestApp, uniqueSuffix } from './app';

export interface TestServiceCenter {
  id: string;
  name: string;
  email: string;
  key: string;
  keyId: string;
}

/** A service center with one API key, made through the API as a manager would. */
export async function makeServiceCenter(t: TestApp, overrides: Record<string, unknown> = {}): Promise<TestServiceCenter> {
  const suffix = uniqueSuffix();
  const created = await t.http
    .post('/api/v1/service-centers')
    .set(bearer(t.managerKey))
    .send({ name: `СЦ ${suffix}`, email: `sc-${suffix}@example.com`, city: 'Москва', ...overrides })
    .expect(201);
  const key = await t.http
    .post(`/api/v1/service-centers/${created.body.id}/api-keys`)
    .set(bearer(t.managerKey))
    .send({ label: 'test' })
    .expect(201);
  return { id: created.body.id, name: created.body.name, email: created.body.email, key: key.body.key, keyId: key.body.id };
}
