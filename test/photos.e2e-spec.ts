import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { fileTypeFromBuffer } from 'file-type';
import { ActLifecycle } from '../src/acts/act-lifecycle.service';
import { appWith, bearer, TestApp } from './app';
import { startS3Server, TestS3Server } from './support/s3-server';
import { anyCategoryId, attachPhotoRows, makeAct, makeServiceCenter, TestServiceCenter, validActBody } from './factories';

const LIMIT = 8_388_608;
const DAY = 86_400_000;

// Real file heads, small but recognised by their bytes.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a45b0000000049454e44ae426082',
  'hex',
);
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from('a photo of a nameplate'),
  Buffer.from([0xff, 0xd9]),
]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(18)]);
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypheic'), Buffer.alloc(4), Buffer.from('mif1'), Buffer.alloc(64)]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
const TEXT = Buffer.from('Just some text, not a photo at all.\n'.repeat(10));

/** A valid image padded with trailing bytes to exactly `size` bytes. */
const padded = (head: Buffer, size: number) => Buffer.concat([head, Buffer.alloc(size - head.length, 0x42)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Collects a response body as bytes, whatever its content type. */
function binary(res: request.Response, callback: (error: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as http.IncomingMessage;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.on('end', () => callback(null, Buffer.concat(chunks)));
  stream.on('error', (error) => callback(error, Buffer.alloc(0)));
}

async function localFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

// Every test on both stores: the local disk, and an S3-compatible server (s3rver) the spec starts.
describe.each(['local', 's3'] as const)('photos on %s storage: upload, download, delete', (store) => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let other: TestServiceCenter;
  let uploadDir: string;
  let s3: TestS3Server | undefined;

  beforeAll(async () => {
    // A folder of this spec's own, so that counting files sees only these uploads (with s3, the
    // folder where uploads are checked before they are sent).
    uploadDir = join(process.env.UPLOAD_DIR ?? '/tmp/wa-test-uploads', `photos-e2e-${store}-${process.pid}`);
    if (store === 's3') s3 = await startS3Server();
    t = await appWith({ UPLOAD_DIR: uploadDir, ...s3?.env });
    sc = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.stop();
  });

  /** What is stored: the files under the folder, and with s3 the bucket's objects too. */
  const filesUnder = async (dir: string): Promise<string[]> => [...(await localFilesUnder(dir)), ...((await s3?.keys()) ?? [])];

  const photos = (actId: string, photoId = '') => `/api/v1/acts/${actId}/photos${photoId ? `/${photoId}` : ''}`;

  function upload(key: string, actId: string, kind: string | undefined, file?: { bytes: Buffer; name: string; type?: string }) {
    let req = t.http.post(photos(actId)).set(bearer(key));
    if (kind !== undefined) req = req.field('kind', kind);
    if (file) req = req.attach('file', file.bytes, { filename: file.name, contentType: file.type ?? 'application/octet-stream' });
    return req;
  }

  const download = (key: string, actId: string, photoId: string) => t.http.get(photos(actId, photoId)).set(bearer(key)).buffer(true).parse(binary);

  async function expectNoNewFiles(before: string[]) {
    // multer removes files asynchronously once the response is decided; give it a moment.
    for (let i = 0; i < 20; i++) {
      const now = await filesUnder(uploadDir);
      if (now.length === before.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await filesUnder(uploadDir)).sort()).toEqual([...before].sort());
  }

  async function submittedAct() {
    const act = await makeAct(t, sc);
    for (const kind of ['nameplate', 'warranty_card', 'breakage', 'part']) {
      await upload(sc.key, act.id, kind, { bytes: JPEG, name: `${kind}.jpg`, type: 'image/jpeg' }).expect(201);
    }
    const res = await t.http.post(`/api/v1/acts/${act.id}/submit`).set(bearer(sc.key)).expect(200);
    expect(res.body.status).toBe('submitted');
    return res.body as { id: string; version: number };
  }

  it('builds test files that file-type recognises', async () => {
    expect((await fileTypeFromBuffer(PNG))?.mime).toBe('image/png');
    expect((await fileTypeFromBuffer(JPEG))?.mime).toBe('image/jpeg');
    expect((await fileTypeFromBuffer(PDF))?.mime).toBe('application/pdf');
    expect((await fileTypeFromBuffer(WEBP))?.mime).toBe('image/webp');
    expect((await fileTypeFromBuffer(HEIC))?.mime).toBe('image/heic');
    expect((await fileTypeFromBuffer(padded(PNG, 10_000)))?.mime).toBe('image/png');
    expect(await fileTypeFromBuffer(TEXT)).toBeUndefined();
  });

  describe('upload', () => {
    it('stores a JPEG under a server-made name, with its size and SHA-256, and bumps the act version', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const res = await upload(sc.key, act.id, 'nameplate', { bytes: JPEG, name: 'шильдик.jpg', type: 'image/jpeg' }).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        kind: 'nameplate',
        fileName: 'шильдик.jpg',
        contentType: 'image/jpeg',
        size: JPEG.length,
        sha256: sha256(JPEG),
        createdAt: expect.any(String),
      });
      const after = await filesUnder(uploadDir);
      expect(after).toHaveLength(before.length + 1);
      const stored = after.find((f) => !before.includes(f)) as string;
      expect(stored).not.toContain('шильдик');
      expect(stored).not.toMatch(/\.part$/);

      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.version).toBe(act.version + 1);
      expect(view.body.photos).toEqual([res.body]);
    });

    it('judges PNG, PDF, WebP and HEIC by their bytes, whatever the name and declared type say', async () => {
      const act = await makeAct(t, sc);
      const cases: [Buffer, string, string][] = [
        [PNG, 'scan.bin', 'image/png'],
        [PDF, 'receipt.jpg', 'application/pdf'],
        [WEBP, 'photo', 'image/webp'],
        [HEIC, 'IMG_0001.HEIC', 'image/heic'],
      ];
      for (const [bytes, name, expected] of cases) {
        const res = await upload(sc.key, act.id, 'other', { bytes, name, type: 'text/plain' }).expect(201);
        expect(res.body).toMatchObject({ contentType: expected, size: bytes.length, sha256: sha256(bytes), fileName: name });
      }
    });

    it('keeps the client name only as sanitised metadata', async () => {
      const act = await makeAct(t, sc);
      const res = await upload(sc.key, act.id, 'breakage', { bytes: PNG, name: '../../etc/\u202Egnp.exe', type: 'image/png' }).expect(201);
      expect(res.body.fileName).toBe('gnp.exe');
    });

    it('takes exactly 8 388 608 bytes and refuses 8 388 609 with 413, leaving no file', async () => {
      const act = await makeAct(t, sc);
      const exact = padded(PNG, LIMIT);
      const ok = await upload(sc.key, act.id, 'breakage', { bytes: exact, name: 'max.png', type: 'image/png' }).expect(201);
      expect(ok.body).toMatchObject({ size: LIMIT, sha256: sha256(exact) });

      const before = await filesUnder(uploadDir);
      const res = await upload(sc.key, act.id, 'breakage', { bytes: padded(JPEG, LIMIT + 1), name: 'big.jpg', type: 'image/jpeg' }).expect(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 413, maxBytes: LIMIT });
      await expectNoNewFiles(before);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.photos).toHaveLength(1);
    });

    it('refuses a much larger file with 413 and stores nothing', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      await upload(sc.key, act.id, 'breakage', { bytes: padded(JPEG, 24 * 1024 * 1024), name: 'huge.jpg', type: 'image/jpeg' }).expect(413);
      await expectNoNewFiles(before);
    });

    it('answers 415 for a text file named x.jpg and sent as image/jpeg, and for a GIF', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const text = await upload(sc.key, act.id, 'nameplate', { bytes: TEXT, name: 'x.jpg', type: 'image/jpeg' }).expect(415);
      expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(text.body.type).toBe('urn:warranty-acts:problem:unsupported-photo-type');
      const gif = await upload(sc.key, act.id, 'nameplate', { bytes: GIF, name: 'x.png', type: 'image/png' }).expect(415);
      expect(gif.body.detected).toBe('image/gif');
      // A wrong type is refused at its first bytes, however long the file is.
      await upload(sc.key, act.id, 'nameplate', { bytes: padded(TEXT, 5 * 1024 * 1024), name: 'x.pdf' }).expect(415);
      await expectNoNewFiles(before);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body).toMatchObject({ photos: [], version: act.version });
    });

    it('refuses two files with 400 and keeps neither', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const res = await t.http
        .post(photos(act.id))
        .set(bearer(sc.key))
        .field('kind', 'nameplate')
        .attach('file', JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .attach('file', PNG, { filename: 'b.png', contentType: 'image/png' })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      await expectNoNewFiles(before);
    });

    it('refuses a file in another field with 400 naming the field', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const res = await t.http
        .post(photos(act.id))
        .set(bearer(sc.key))
        .field('kind', 'nameplate')
        .attach('photo', JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'photo', message: expect.any(String) }]);
      await expectNoNewFiles(before);
    });

    it('answers 422 naming file, kind or an unknown field, and removes what was stored', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const fields = async (req: request.Test) => ((await req.expect(422)).body.errors as { field: string }[]).map((e) => e.field).sort();

      expect(await fields(upload(sc.key, act.id, 'nameplate'))).toEqual(['file']);
      expect(await fields(upload(sc.key, act.id, undefined, { bytes: JPEG, name: 'a.jpg' }))).toEqual(['kind']);
      expect(await fields(upload(sc.key, act.id, 'selfie', { bytes: JPEG, name: 'a.jpg' }))).toEqual(['kind']);
      expect(await fields(upload(sc.key, act.id, 'selfie'))).toEqual(['file', 'kind']);
      expect(await fields(upload(sc.key, act.id, 'nameplate', { bytes: JPEG, name: 'a.jpg' }).field('status', 'approved'))).toEqual(['status']);
      await expectNoNewFiles(before);
    });

    it('answers 415 to a body that is not multipart', async () => {
      const act = await makeAct(t, sc);
      const res = await t.http.post(photos(act.id)).set(bearer(sc.key)).send({ kind: 'nameplate' }).expect(415);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('leaves no file behind when the client goes away mid-upload', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const server = t.app.getHttpServer() as http.Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const boundary = 'abortedboundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nnameplate\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      );
      let partial: string[] = [];
      await new Promise<void>((resolve) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: photos(act.id),
          headers: { ...bearer(sc.key), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': 4_000_000 },
        });
        req.on('error', () => resolve());
        req.write(head);
        req.write(padded(JPEG, 1_000_000), () => {
          // Go away only once the server has started writing the file.
          void (async () => {
            for (let i = 0; i < 100 && partial.length === 0; i++) {
              await new Promise((r) => setTimeout(r, 20));
              partial = (await localFilesUnder(uploadDir)).filter((f) => f.endsWith('.part'));
            }
            req.destroy();
            resolve();
          })();
        });
      });
      expect(partial).toHaveLength(1);
      await expectNoNewFiles(before);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.photos).toEqual([]);
    });

    it('removes the stored file when the database write fails', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const touch = jest.spyOn(t.app.get(ActLifecycle), 'touch').mockRejectedValueOnce(new Error('simulated database failure'));
      let calls: number;
      try {
        await upload(sc.key, act.id, 'nameplate', { bytes: padded(JPEG, 100_000), name: 'a.jpg' }).expect(500);
      } finally {
        calls = touch.mock.calls.length;
        touch.mockRestore();
      }
      expect(calls).toBe(1);
      await expectNoNewFiles(before);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body).toMatchObject({ photos: [], version: act.version });
    });

    it('replays an upload retried with the same Idempotency-Key, storing the file once', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const send = () =>
        upload(sc.key, act.id, 'part', { bytes: PNG, name: 'part.png', type: 'image/png' }).set('Idempotency-Key', `photo-${act.id}`);
      const first = await send().expect(201);
      const again = await send().expect(201);
      expect(again.body).toEqual(first.body);
      expect(await filesUnder(uploadDir)).toHaveLength(before.length + 1);
    });

    it('compares the bytes of an upload retried under the same key: another file of the same length is 422 and not kept', async () => {
      const act = await makeAct(t, sc);
      const key = `photo-bytes-${act.id}`;
      const send = (tail: string) =>
        upload(sc.key, act.id, 'part', { bytes: Buffer.concat([PNG, Buffer.from(tail)]), name: 'part.png', type: 'image/png' }).set(
          'Idempotency-Key',
          key,
        );
      const first = await send('a').expect(201);
      const before = await filesUnder(uploadDir);
      const other = await send('b');
      expect(other.status).toBe(422);
      expect(await filesUnder(uploadDir)).toEqual(before);
      const again = await send('a').expect(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await filesUnder(uploadDir)).toEqual(before);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.photos).toHaveLength(1);
    });

    it('takes at most 50 photos per act, then 409 photo-limit without storing the upload', async () => {
      const act = await makeAct(t, sc);
      await attachPhotoRows(t, act.id, Array<string>(49).fill('other'));
      await upload(sc.key, act.id, 'part', { bytes: PNG, name: 'fiftieth.png' }).expect(201);
      const before = await filesUnder(uploadDir);
      const refused = await upload(sc.key, act.id, 'part', { bytes: PNG, name: 'fifty-first.png' });
      expect([refused.status, refused.body.type]).toEqual([409, 'urn:warranty-acts:problem:photo-limit']);
      expect(await filesUnder(uploadDir)).toEqual(before);
    });

    it('keeps every concurrent upload and counts each in the version', async () => {
      const act = await makeAct(t, sc);
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => upload(sc.key, act.id, 'other', { bytes: padded(PNG, 1000 + i), name: `${i}.png` })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.photos).toHaveLength(6);
      expect(view.body.version).toBe(act.version + 6);
    });
  });

  describe('who may add and delete', () => {
    it('lets an SC add in any status but closed (409); a manager also to a closed act', async () => {
      const submitted = await submittedAct();
      await upload(sc.key, submitted.id, 'fastening', { bytes: PNG, name: 'f.png' }).expect(201);

      await t.http.post(`/api/v1/acts/${submitted.id}/decision`).set(bearer(t.managerKey)).send({ decision: 'warranty' }).expect(200);
      await upload(sc.key, submitted.id, 'part', { bytes: PNG, name: 'wrong-part.png' }).expect(201);

      const before = await filesUnder(uploadDir);
      const draft = await makeAct(t, sc);
      await t.http.delete(`/api/v1/acts/${draft.id}`).set(bearer(sc.key)).expect(204);
      await upload(sc.key, draft.id, 'other', { bytes: PNG, name: 'closed.png' }).expect(409);
      await expectNoNewFiles(before);
      await upload(t.managerKey, draft.id, 'other', { bytes: PNG, name: 'by-manager.png' }).expect(201);
      expect(await filesUnder(uploadDir)).toHaveLength(before.length + 1);
    });

    it('lets an SC delete only while draft or info_requested; a manager any time', async () => {
      const act = await submittedAct();
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      const [first, second] = view.body.photos as { id: string }[];
      const refused = await t.http.delete(photos(act.id, first.id)).set(bearer(sc.key)).expect(409);
      expect(refused.body).toMatchObject({ currentStatus: 'submitted', action: 'delete_photo' });
      await t.http.delete(photos(act.id, second.id)).set(bearer(t.managerKey)).expect(204);
      const after = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(after.body.photos.map((p: { id: string }) => p.id)).not.toContain(second.id);
      expect(after.body.version).toBe(view.body.version + 1);
    });

    it("hides another SC's act and photos: 404 for upload, download and delete", async () => {
      const act = await makeAct(t, sc);
      const photo = (await upload(sc.key, act.id, 'nameplate', { bytes: JPEG, name: 'a.jpg' }).expect(201)).body;
      const before = await filesUnder(uploadDir);
      const up = await upload(other.key, act.id, 'nameplate', { bytes: padded(JPEG, 3 * 1024 * 1024), name: 'b.jpg' }).expect(404);
      expect(up.headers['content-type']).toMatch(/^application\/problem\+json/);
      await t.http.get(photos(act.id, photo.id)).set(bearer(other.key)).expect(404);
      await t.http.delete(photos(act.id, photo.id)).set(bearer(other.key)).expect(404);
      await expectNoNewFiles(before);

      // The photo of one act is not found under another act, even of the same SC.
      const second = await makeAct(t, sc);
      await t.http.get(photos(second.id, photo.id)).set(bearer(sc.key)).expect(404);
      await t.http.delete(photos(second.id, photo.id)).set(bearer(sc.key)).expect(404);
      await t.http.get(photos(act.id, '00000000-0000-4000-8000-000000000000')).set(bearer(sc.key)).expect(404);
      await t.http.get(photos(act.id, 'not-a-uuid')).set(bearer(sc.key)).expect(400);
      await download(sc.key, act.id, photo.id).expect(200);
    });
  });

  describe('download and delete', () => {
    it('streams the bytes back as an attachment with the stored type and nosniff', async () => {
      const act = await makeAct(t, sc);
      const bytes = padded(JPEG, 3 * 1024 * 1024 + 17);
      const photo = (await upload(sc.key, act.id, 'warranty_card', { bytes, name: 'талон "1".jpg', type: 'text/html' }).expect(201)).body;
      for (const key of [sc.key, t.managerKey]) {
        const res = await download(key, act.id, photo.id).expect(200);
        expect(res.headers['content-type']).toBe('image/jpeg');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['content-length']).toBe(String(bytes.length));
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="${act.number}-warranty_card-1.jpg"; filename*=UTF-8''${act.number}-warranty_card-1.jpg`,
        );
        expect(Buffer.isBuffer(res.body)).toBe(true);
        expect(sha256(res.body)).toBe(photo.sha256);
        expect(res.body.equals(bytes)).toBe(true);
      }
    });

    it('names a download by act number, kind, place and detected type, never by the uploader', async () => {
      const act = await makeAct(t, sc);
      const first = (await upload(sc.key, act.id, 'breakage', { bytes: JPEG, name: 'a.html', type: 'text/html' }).expect(201)).body;
      const second = (await upload(sc.key, act.id, 'breakage', { bytes: PNG, name: 'photo.jpg.hta' }).expect(201)).body;
      const pdf = (await upload(sc.key, act.id, 'receipt', { bytes: PDF, name: 'чек.exe' }).expect(201)).body;
      const nameOf = async (id: string) =>
        /filename="([^"]+)"/.exec((await download(sc.key, act.id, id).expect(200)).headers['content-disposition'])?.[1];
      expect(await nameOf(first.id)).toBe(`${act.number}-breakage-1.jpg`);
      expect(await nameOf(second.id)).toBe(`${act.number}-breakage-2.png`);
      expect(await nameOf(pdf.id)).toBe(`${act.number}-receipt-1.pdf`);
    });

    it('deletes the row and the file, and bumps the version', async () => {
      const act = await makeAct(t, sc);
      const before = await filesUnder(uploadDir);
      const photo = (await upload(sc.key, act.id, 'part', { bytes: PDF, name: 'a.pdf' }).expect(201)).body;
      expect(await filesUnder(uploadDir)).toHaveLength(before.length + 1);
      await t.http.delete(photos(act.id, photo.id)).set(bearer(sc.key)).expect(204);
      expect((await filesUnder(uploadDir)).sort()).toEqual([...before].sort());
      await download(sc.key, act.id, photo.id).expect(404);
      await t.http.delete(photos(act.id, photo.id)).set(bearer(sc.key)).expect(404);
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body).toMatchObject({ photos: [], version: act.version + 2 });
    });
  });

  describe('the act lifecycle', () => {
    it('submits an act whose required photos were uploaded', async () => {
      const act = await submittedAct();
      const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(view.body.photos.map((p: { kind: string }) => p.kind).sort()).toEqual(['breakage', 'nameplate', 'part', 'warranty_card']);
    });

    it('asks for the missing photos at submit, and the SC answers by uploading one', async () => {
      const act = await makeAct(t, sc);
      for (const kind of ['nameplate', 'receipt', 'breakage']) {
        await upload(sc.key, act.id, kind, { bytes: PNG, name: `${kind}.png` }).expect(201);
      }
      const held = await t.http.post(`/api/v1/acts/${act.id}/submit`).set(bearer(sc.key)).expect(200);
      expect(held.body.status).toBe('info_requested');
      expect(held.body.replyDeadline).toBeTruthy();

      await upload(sc.key, act.id, 'part', { bytes: JPEG, name: 'part.jpg' }).expect(201);
      const answered = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(answered.body).toMatchObject({ status: 'submitted', replyDeadline: null, version: held.body.version + 2 });
      const history = await t.http.get(`/api/v1/acts/${act.id}/history`).set(bearer(sc.key)).expect(200);
      expect(history.body.at(-1)).toMatchObject({ from: 'info_requested', to: 'submitted', actor: { role: 'service_center' } });
    });

    it('needs the client statement when the customer refuses within 14 days, and takes it as an upload', async () => {
      const body = validActBody(await anyCategoryId(t));
      const act = await makeAct(t, sc, {
        product: { ...(body.product as object), refusedWithin14Days: true, saleDate: '2026-06-10', acceptedDate: '2026-06-15' },
      });
      for (const kind of ['nameplate', 'warranty_card', 'breakage', 'part']) {
        await upload(sc.key, act.id, kind, { bytes: JPEG, name: `${kind}.jpg` }).expect(201);
      }
      const held = await t.http.post(`/api/v1/acts/${act.id}/submit`).set(bearer(sc.key)).expect(200);
      expect(held.body.status).toBe('info_requested');
      await upload(sc.key, act.id, 'client_statement', { bytes: PDF, name: 'заявление.pdf' }).expect(201);
      const answered = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(answered.body.status).toBe('submitted');
    });

    it("answers a manager's question with a photo: back to submitted, deadline cleared", async () => {
      const act = await submittedAct();
      const asked = await t.http
        .post(`/api/v1/acts/${act.id}/request-info`)
        .set(bearer(t.managerKey))
        .send({ text: 'Пришлите фото крепления' })
        .expect(200);
      expect(asked.body).toMatchObject({ status: 'info_requested', replyDeadline: expect.any(String) });
      await upload(sc.key, act.id, 'fastening', { bytes: JPEG, name: 'fastening.jpg' }).expect(201);
      const answered = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(answered.body).toMatchObject({ status: 'submitted', replyDeadline: null });
      const history = await t.http.get(`/api/v1/acts/${act.id}/history`).set(bearer(sc.key)).expect(200);
      expect(history.body.at(-1)).toMatchObject({ from: 'info_requested', to: 'submitted', actor: { role: 'service_center' } });
    });

    it("is not answered by a manager's photo, only by the SC's", async () => {
      const act = await makeAct(t, sc);
      const held = await t.http.post(`/api/v1/acts/${act.id}/submit`).set(bearer(sc.key)).expect(200);
      expect(held.body.status).toBe('info_requested');
      await upload(t.managerKey, act.id, 'nameplate', { bytes: PNG, name: 'm.png' }).expect(201);
      const still = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(still.body).toMatchObject({ status: 'info_requested', version: held.body.version + 1 });
      expect(still.body.replyDeadline).toBeTruthy();

      t.clock.advance(DAY);
      await upload(sc.key, act.id, 'other', { bytes: JPEG, name: 'answer.jpg' }).expect(201);
      const answered = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
      expect(answered.body).toMatchObject({ status: 'submitted', replyDeadline: null });
    });
  });

  it('documents the multipart body, the problems and the binary download in OpenAPI', async () => {
    const doc = (await t.http.get('/api/v1/openapi.json').expect(200)).body;
    const post = doc.paths['/api/v1/acts/{id}/photos'].post;
    const schema = post.requestBody.content['multipart/form-data'].schema;
    expect(schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(schema.properties.kind.enum).toContain('client_statement');
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '413', '415', '422']));
    const get = doc.paths['/api/v1/acts/{id}/photos/{photoId}'].get;
    expect(get.responses['200'].content['image/jpeg'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(Object.keys(doc.paths['/api/v1/acts/{id}/photos/{photoId}'].delete.responses)).toEqual(expect.arrayContaining(['204', '404', '409']));
  });
});

describe('photos when the S3 store does not answer', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = join(process.env.UPLOAD_DIR ?? '/tmp/wa-test-uploads', `photos-e2e-s3-down-${process.pid}`);
    // A closed port: every request to the store is refused.
    t = await appWith({
      UPLOAD_DIR: dir,
      STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_BUCKET: 'nowhere',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    });
  });
  afterAll(() => t?.close());

  it('answers 503 problem+json to an upload and a download, keeps no scratch file, and still refuses a wrong type with 415', async () => {
    const sc = await makeServiceCenter(t);
    const act = await makeAct(t, sc);
    const res = await t.http
      .post(`/api/v1/acts/${act.id}/photos`)
      .set(bearer(sc.key))
      .field('kind', 'nameplate')
      .attach('file', JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' })
      .expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await localFilesUnder(dir)).toEqual([]);
    await t.http
      .post(`/api/v1/acts/${act.id}/photos`)
      .set(bearer(sc.key))
      .field('kind', 'nameplate')
      .attach('file', TEXT, { filename: 'a.jpg', contentType: 'image/jpeg' })
      .expect(415);
    await attachPhotoRows(t, act.id, ['breakage']);
    const [[{ id }]] = await t.db.query(
      `UPDATE act_photos SET storage_key = substr(id::text, 1, 2) || '/' || id::text WHERE act_id = $1 RETURNING id`,
      [act.id],
    );
    await t.http.get(`/api/v1/acts/${act.id}/photos/${id}`).set(bearer(sc.key)).expect(503);
    const view = await t.http.get(`/api/v1/acts/${act.id}`).set(bearer(sc.key)).expect(200);
    expect(view.body.photos).toHaveLength(1);
  });
});
