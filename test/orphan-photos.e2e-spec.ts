import { PutObjectCommand } from '@aws-sdk/client-s3';
import { IdempotencyRepository } from '../src/common/idempotency/idempotency.repository';
import { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { MaintenanceProcessor } from '../src/jobs/maintenance.processor';
import { JobName } from '../src/jobs/queues';
import { OrphanPhotos } from '../src/photos/orphan-photos.service';
import { PhotosRepository } from '../src/photos/photos.repository';
import { LocalDiskStorage } from '../src/photos/storage/local-disk.storage';
import { appWith, bearer, TestApp } from './app';
import { makeAct, makeServiceCenter } from './factories';
import { startS3Server, TestS3Server } from './support/s3-server';

const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  Buffer.from('nameplate'),
  Buffer.from([0xff, 0xd9]),
]);
const TWO_HOURS_AGO = new Date(Date.now() - 2 * 3_600_000);
const newKey = () => {
  const id = randomUUID();
  return `${id.slice(0, 2)}/${id}`;
};

describe('orphan photo clean-up', () => {
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    // A folder of this suite's own: the clean-up looks at every file in it.
    dir = await mkdtemp(join(tmpdir(), 'wa-orphans-'));
    t = await appWith({ UPLOAD_DIR: dir });
  });
  afterAll(async () => {
    await t?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A file under the storage's layout (`ab/<uuid>`), written `at` the given time. */
  async function storedFile(name: string, at: Date): Promise<string> {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, 'bytes');
    await utimes(path, at, at);
    return path;
  }

  it('removes interrupted uploads and files without a row, once they are old, and nothing else', async () => {
    const sc = await makeServiceCenter(t);
    const act = await makeAct(t, sc);
    const uploaded = await t.http
      .post(`/api/v1/acts/${act.id}/photos`)
      .set(bearer(sc.key))
      .field('kind', 'nameplate')
      .attach('file', JPEG, { filename: 'plate.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const [{ storage_key: photoKey }] = await t.db.query(`SELECT storage_key FROM act_photos WHERE id = $1`, [uploaded.body.id]);
    await utimes(join(dir, photoKey), TWO_HOURS_AGO, TWO_HOURS_AGO);

    const unfinished = await storedFile(`${newKey()}.part`, TWO_HOURS_AGO);
    const rowless = await storedFile(newKey(), TWO_HOURS_AGO);
    const fresh = [await storedFile(newKey(), new Date()), await storedFile(`${newKey()}.part`, new Date())];
    const foreign = [await storedFile('README', TWO_HOURS_AGO), await storedFile(`${photoKey.slice(0, 2)}/notes.txt`, TWO_HOURS_AGO)];

    const orphans = new OrphanPhotos(t.app.get(PhotosRepository), new LocalDiskStorage(dir));
    const processor = new MaintenanceProcessor(t.app.get(IdempotencyRepository), undefined as never, orphans, undefined as never);
    expect(await processor.process({ name: JobName.PurgeOrphanPhotos } as Job)).toEqual({ unfinished: 1, unreferenced: 1 });

    expect(existsSync(unfinished)).toBe(false);
    expect(existsSync(rowless)).toBe(false);
    for (const kept of [...fresh, ...foreign, join(dir, photoKey)]) expect(existsSync(kept)).toBe(true);
    const download = await t.http.get(`/api/v1/acts/${act.id}/photos/${uploaded.body.id}`).set(bearer(sc.key)).expect(200);
    expect(Number(download.headers['content-length'])).toBe(JPEG.length);

    // A second run finds nothing more.
    expect(await orphans.purge(new Date(Date.now() - 3_600_000))).toEqual({ unfinished: 0, unreferenced: 0 });
  });
});

describe('orphan photo clean-up on S3', () => {
  let dir: string;
  let s3: TestS3Server;
  let t: TestApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wa-orphans-s3-'));
    s3 = await startS3Server();
    t = await appWith({ UPLOAD_DIR: dir, ...s3.env });
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('removes objects without a row and spool files of interrupted uploads, and nothing else', async () => {
    const sc = await makeServiceCenter(t);
    const act = await makeAct(t, sc);
    const uploaded = await t.http
      .post(`/api/v1/acts/${act.id}/photos`)
      .set(bearer(sc.key))
      .field('kind', 'nameplate')
      .attach('file', JPEG, { filename: 'plate.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const [{ storage_key: photoKey }] = await t.db.query(`SELECT storage_key FROM act_photos WHERE id = $1`, [uploaded.body.id]);
    const rowless = newKey();
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: rowless, Body: 'bytes' }));
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: 'README', Body: 'not ours' }));
    const spool = join(dir, `${newKey().replace('/', '-')}.part`);
    await writeFile(spool, 'half a photo');
    await utimes(spool, TWO_HOURS_AGO, TWO_HOURS_AGO);
    const orphans = t.app.get(OrphanPhotos);

    // Objects written after the cut-off are left alone: they may be uploads in flight.
    expect(await orphans.purge(TWO_HOURS_AGO)).toEqual({ unfinished: 0, unreferenced: 0 });
    // S3 keeps no settable write time: a cut-off in the future makes every object old enough.
    expect(await orphans.purge(new Date(Date.now() + 60_000))).toEqual({ unfinished: 1, unreferenced: 1 });
    expect((await s3.keys()).sort()).toEqual([photoKey, 'README'].sort());
    expect(existsSync(spool)).toBe(false);
    const download = await t.http.get(`/api/v1/acts/${act.id}/photos/${uploaded.body.id}`).set(bearer(sc.key)).expect(200);
    expect(Number(download.headers['content-length'])).toBe(JPEG.length);
  });
});
