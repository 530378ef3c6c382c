import { MigrationInterface, QueryRunner } from 'typeorm';

const DEFAULT_CATEGORIES = [
  'Газонокосилка бензиновая',
  'Газонокосилка электрическая',
  'Газонокосилка аккумуляторная',
  'Триммер бензиновый',
  'Триммер электрический',
  'Бензопила',
  'Электропила',
  'Генератор бензиновый',
  'Генератор дизельный',
  'Инверторный генератор',
  'Мотоблок',
  'Культиватор',
  'Снегоуборщик',
  'Воздуходувка',
  'Мотопомпа',
  'Насос',
  'Компрессор',
  'Сварочный аппарат',
  'Дрель / шуруповерт',
  'Перфоратор',
  'Угловая шлифмашина (болгарка)',
  'Торцовочная пила',
  'Мойка высокого давления',
  'Тепловая пушка',
  'Прочее',
];

export class Foundation1763780000000 implements MigrationInterface {
  name = 'Foundation1763780000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE managers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      email text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_managers_email UNIQUE (email)
    )`);
    await q.query(`CREATE TABLE service_centers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      email text NOT NULL,
      city text,
      phone text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      key_hash text NOT NULL,
      label text,
      manager_id uuid REFERENCES managers(id) ON DELETE CASCADE,
      service_center_id uuid REFERENCES service_centers(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      CONSTRAINT uq_api_keys_key_hash UNIQUE (key_hash),
      CONSTRAINT ck_api_keys_one_owner CHECK ((manager_id IS NULL) <> (service_center_id IS NULL))
    )`);
    await q.query(`CREATE INDEX ix_api_keys_service_center ON api_keys (service_center_id)`);
    await q.query(`CREATE TABLE product_categories (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE UNIQUE INDEX uq_product_categories_name ON product_categories (lower(name))`);
    await q.query(`CREATE TABLE idempotency_keys (
      owner text NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      response_status int,
      response_body jsonb,
      response_headers jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (owner, key)
    )`);
    await q.query(`CREATE INDEX ix_idempotency_keys_expires ON idempotency_keys (expires_at)`);
    await q.query(`INSERT INTO product_categories (name) SELECT unnest($1::text[])`, [DEFAULT_CATEGORIES]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE product_categories`);
    await q.query(`DROP TABLE api_keys`);
    await q.query(`DROP TABLE service_centers`);
    await q.query(`DROP TABLE managers`);
  }
}
