import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { appWith, bearer, TestApp } from './app';
import { makeAct, makeServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';
import { startS3Server, TestS3Server } from './support/s3-server';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');
const jpeg = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.from(text), Buffer.from([0xff, 0xd9])]);

describe.each(['local', 's3'] as const)('cli check-photos on %s storage', (store) => {
  let t: TestApp;
  let dir: string;
  let s3: TestS3Server | undefined;
  let env: Record<string, string>;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    // A database and a store of this suite's own: the check looks at every row and every object.
    const suite = await createSuiteDatabase();
    dropDatabase = suite.drop;
    dir = await mkdtemp(join(tmpdir(), `wa-check-${store}-`));
    if (store === 's3') s3 = await startS3Server();
    env = { DATABASE_URL: suite.databaseUrl, UPLOAD_DIR: dir, ...s3?.env };
    t = await appWith(env);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
    await dropDatabase?.();
    await rm(dir, { recursive: true, force: true });
  });

  const put = async (key: string, bytes: Buffer) => {
    if (s3) return void (await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: bytes })));
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await writeFile(join(dir, key), bytes);
  };
  const remove = async (key: string) => {
    if (s3) return void (await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key })));
    await rm(join(dir, key));
  };

  function checkPhotos(): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, 'check-photos'],
        { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('passes a healthy store, then names every missing or altered object and lists objects without a row', async () => {
    const sc = await makeServiceCenter(t);
    const act = await makeAct(t, sc);
    const photos: { id: string; key: string; bytes: Buffer }[] = [];
    for (const text of ['one', 'two', 'three', 'four']) {
      const bytes = jpeg(`a photo called ${text}`);
      const res = await t.http
        .post(`/api/v1/acts/${act.id}/photos`)
        .set(bearer(sc.key))
        .field('kind', 'breakage')
        .attach('file', bytes, { filename: `${text}.jpg`, contentType: 'image/jpeg' })
        .expect(201);
      const [{ storage_key: key }] = await t.db.query(`SELECT storage_key FROM act_photos WHERE id = $1`, [res.body.id]);
      photos.push({ id: res.body.id, key, bytes });
    }

    const healthy = await checkPhotos();
    expect(healthy).toMatchObject({ code: 0, stdout: '' });
    expect(healthy.stderr).toContain('4 photo rows, 4 stored objects: 0 missing, 0 not matching, 0 without a row.');

    // An object without a row alone is listed, and is no failure: it may be an upload in flight.
    const id = randomUUID();
    const stray = `${id.slice(0, 2)}/${id}`;
    await put(stray, Buffer.from('stray bytes'));
    const listed = await checkPhotos();
    expect(listed.code).toBe(0);
    expect(listed.stdout).toBe(`unreferenced\t-\t${stray}\tsize=11\n`);

    const [gone, altered, cut] = photos;
    await remove(gone.key);
    const flipped = Buffer.from(altered.bytes);
    flipped[flipped.length - 3] ^= 0xff;
    await put(altered.key, flipped);
    await put(cut.key, cut.bytes.subarray(0, cut.bytes.length - 1));
    const broken = await checkPhotos();
    expect(broken.code).toBe(1);
    expect(broken.stdout.trim().split('\n').sort()).toEqual(
      [
        `missing\t${gone.id}\t${gone.key}\t`,
        `sha256-mismatch\t${altered.id}\t${altered.key}\texpected=${sha(altered.bytes)} actual=${sha(flipped)}`,
        `size-mismatch\t${cut.id}\t${cut.key}\texpected=${cut.bytes.length} actual=${cut.bytes.length - 1}`,
        `unreferenced\t-\t${stray}\tsize=11`,
      ].sort(),
    );
    expect(broken.stderr).toContain('4 photo rows, 4 stored objects: 1 missing, 2 not matching, 1 without a row.');
  }, 60_000);
});

function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
