#!/usr/bin/env node
// `npm run bench:photos`: photo uploads against the built API in a throw-away database.
// Starts `node dist/src/main.js` on a free port, makes a manager key with the built CLI and an
// SC key through the API, then fires rounds of 32 concurrent 8 MB uploads, and 8 concurrent
// 100 MB uploads that must be refused with 413. Samples the API process's VmRSS every 10 ms:
// the baseline is taken in the same run, after a warm-up, just before the load.
// Goal: peak RSS growth ≤ 64 MB, whatever the size of the uploads.
// Runs twice in one go, once per store: the local disk (STORAGE=local) and an S3-compatible
// server on this machine (s3rver from npm, STORAGE=s3), so the two throughputs are side by side.
// BENCH_PHOTO_STORES=local or =s3 runs one.
const { spawnSync } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const lib = require('./lib');

const CONCURRENCY = Number(process.env.BENCH_PHOTO_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_PHOTO_ROUNDS ?? 3);
const OVERSIZED = Number(process.env.BENCH_PHOTO_OVERSIZED ?? 8);
const LIMIT = 8 * 1024 * 1024;
const MB = 1024 * 1024;
const GOAL_MB = 64;
const STORES = (process.env.BENCH_PHOTO_STORES ?? 'local,s3').split(',');

const BOUNDARY = 'photos-bench-boundary';
const JPEG_HEAD = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
]);

function multipartParts(kind, fileName) {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n${kind}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return { head, tail };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs a multipart upload whose file is `size` bytes, written chunk by chunk with backpressure. */
function upload(base, key, actId, size, chunk) {
  const { head, tail } = multipartParts('breakage', 'bench.jpg');
  const url = new URL(`/api/v1/acts/${actId}/photos`, base);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': head.length + size + tail.length,
      },
    });
    req.on('response', (res) => {
      const body = [];
      res.on('data', (c) => body.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(body).toString('utf8') }));
    });
    req.on('error', reject);
    let sent = 0;
    const write = () => {
      if (sent === 0) req.write(head);
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) return req.once('drain', write);
      }
      req.end(tail);
    };
    write();
  });
}

async function json(base, method, pathName, key, body) {
  const res = await fetch(new URL(pathName, base), {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${pathName}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Samples a process's VmRSS until stopped; returns the peak in MB. */
function sampler(pid) {
  let peak = lib.rssMb(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, lib.rssMb(pid));
    } catch {
      // the process is gone
    }
  }, 10);
  return { stop: () => (clearInterval(timer), peak) };
}

async function settledRss(pid) {
  const samples = [];
  for (let i = 0; i < 10; i++) {
    samples.push(lib.rssMb(pid));
    await new Promise((r) => setTimeout(r, 50));
  }
  return Math.max(...samples);
}

function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

/** s3rver (an npm package, a real S3 API over HTTP) on a free port with a bucket, objects in a temporary folder. */
async function startS3Server() {
  const { S3Client, CreateBucketCommand, ListObjectsV2Command } = require('@aws-sdk/client-s3');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-photos-bench-s3-'));
  const { spawn } = require('node:child_process');
  const child = spawn(
    process.execPath,
    [require.resolve('s3rver/bin/s3rver.js'), '--directory', directory, '--address', '127.0.0.1', '--port', '0', '--no-vhost-buckets', '--silent'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on [^\s]+:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const env = {
    STORAGE: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_REGION: 'us-east-1',
    S3_BUCKET: 'bench-photos',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  };
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: env.S3_BUCKET }));
  return {
    env,
    pid: child.pid,
    objects: async () => {
      let count = 0;
      let token;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: env.S3_BUCKET, ContinuationToken: token }));
        count += (page.Contents ?? []).length;
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return count;
    },
    stop: async () => {
      client.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function main() {
  const results = [];
  for (const store of STORES) {
    if (store !== 'local' && store !== 's3') throw new Error(`BENCH_PHOTO_STORES: unknown store ${store}`);
    const s3 = store === 's3' ? await startS3Server() : undefined;
    try {
      results.push(await runStore(store, s3));
    } finally {
      await s3?.stop();
    }
  }
  const out = [];
  for (const r of results) {
    out.push(
      `${r.title}; API baseline RSS ${r.baseline.toFixed(1)} MB (after warm-up, same run).`,
      '',
      lib.table(['case', 'throughput', 'wall time', 'peak RSS', 'growth'], r.rows),
      '',
      `Peak RSS growth over baseline: ${r.peakGrowth.toFixed(1)} MB (goal ≤ ${GOAL_MB} MB): ${r.peakGrowth <= GOAL_MB ? 'met' : 'NOT met'}.` +
        ` Before the warm-up (8 uploads) the API had ${r.cold.toFixed(1)} MB: +${(r.baseline + r.peakGrowth - r.cold).toFixed(1)} MB from cold.`,
      '',
    );
  }
  if (results.length > 1) {
    out.push(
      `32 × 8 MB uploads, mean of the rounds, same run: ${results.map((r) => `${r.store} ${r.meanThroughput.toFixed(1)} MB/s`).join(', ')}.` +
        ' The S3 server runs on the same 2 cores as the API and the client, so the S3 figure includes its work.',
    );
  }
  console.log(`Photo uploads: ${os.cpus().length} cores, Node ${process.version}.\n\n${out.join('\n')}`);
  if (results.some((r) => r.peakGrowth > GOAL_MB)) process.exitCode = 1;
}

async function runStore(store, s3) {
  const url = lib.benchDatabaseUrl('photos_bench');
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-photos-bench-'));
  const redisPrefix = `wa-bench-photos-${randomBytes(3).toString('hex')}`;
  console.error(`${store}: database ${new URL(url).pathname.slice(1)}, uploads in ${uploadDir}`);
  await lib.createDatabase(url);
  let api;
  try {
    const env = { DATABASE_URL: url, REDIS_PREFIX: redisPrefix, UPLOAD_DIR: uploadDir, LOG_LEVEL: 'warn', ...(s3 ? s3.env : {}) };
    const cli = spawnSync(
      process.execPath,
      [path.join(lib.DIST, 'cli.js'), 'create-manager', '--name', 'Bench Manager', '--email', 'bench@example.com'],
      {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      },
    );
    if (cli.status !== 0) throw new Error(`create-manager failed: ${cli.stderr}`);
    const managerKey = cli.stdout.trim().split('\n').pop();

    api = await lib.startServer(
      path.join(lib.DIST, 'main.js'),
      { ...env, MIGRATIONS_RUN: 'false', RATE_LIMIT_PER_MINUTE: '1000000' },
      '/health/live',
    );
    const sc = await json(api.base, 'POST', '/api/v1/service-centers', managerKey, { name: 'СЦ Бенчмарк', email: 'bench-sc@example.com' });
    const scKey = (await json(api.base, 'POST', `/api/v1/service-centers/${sc.id}/api-keys`, managerKey, { label: 'bench' })).key;
    const acts = [];
    for (let i = 0; i < 8; i++) {
      acts.push((await json(api.base, 'POST', '/api/v1/acts', scKey, { product: { model: `Bench ${i}`, condition: 'used' } })).id);
    }

    // Exactly 8 MB: a JPEG head and random bytes, shared by every request of the client.
    const file = Buffer.concat([JPEG_HEAD, randomBytes(LIMIT - JPEG_HEAD.length)]);
    const fileSha = createHash('sha256').update(file).digest('hex');
    const zeros = Buffer.concat([JPEG_HEAD, Buffer.alloc(MB - JPEG_HEAD.length)]);

    const cold = await settledRss(api.pid);
    // Warm-up: code paths, pools and buffers settle before the baseline is taken.
    for (let i = 0; i < 2; i++) {
      const warm = await Promise.all(Array.from({ length: 4 }, (_, j) => upload(api.base, scKey, acts[j % acts.length], LIMIT, file)));
      if (warm.some((r) => r.status !== 201)) throw new Error(`warm-up: ${warm.map((r) => r.status)}`);
    }
    const baseline = await settledRss(api.pid);

    const rows = [];
    const watch = sampler(api.pid);
    let peakGrowth = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const roundWatch = sampler(api.pid);
      const started = process.hrtime.bigint();
      const results = await Promise.all(Array.from({ length: CONCURRENCY }, (_, j) => upload(api.base, scKey, acts[j % acts.length], LIMIT, file)));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peak = roundWatch.stop();
      const bad = results.filter((r) => r.status !== 201 || JSON.parse(r.body).sha256 !== fileSha);
      if (bad.length) throw new Error(`round ${round}: ${bad.length} uploads failed: ${bad[0].status} ${bad[0].body.slice(0, 200)}`);
      peakGrowth = Math.max(peakGrowth, peak - baseline);
      rows.push([
        `${CONCURRENCY} × 8 MB → 201 (round ${round})`,
        `${((CONCURRENCY * LIMIT) / MB / seconds).toFixed(1)} MB/s`,
        `${seconds.toFixed(2)} s`,
        `${peak.toFixed(1)} MB`,
        `+${(peak - baseline).toFixed(1)} MB`,
      ]);
    }

    const oversizedWatch = sampler(api.pid);
    const filesBefore = filesUnder(uploadDir) + (s3 ? await s3.objects() : 0);
    const started = process.hrtime.bigint();
    const refused = await Promise.all(Array.from({ length: OVERSIZED }, (_, j) => upload(api.base, scKey, acts[j % acts.length], 100 * MB, zeros)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = oversizedWatch.stop();
    if (refused.some((r) => r.status !== 413)) throw new Error(`oversized: ${refused.map((r) => r.status)}`);
    const leftovers = filesUnder(uploadDir) + (s3 ? await s3.objects() : 0) - filesBefore;
    if (leftovers !== 0) throw new Error(`oversized uploads left ${leftovers} files behind`);
    peakGrowth = Math.max(peakGrowth, peak - baseline);
    rows.push([
      `${OVERSIZED} × 100 MB → 413, ${s3 ? 'no object or file' : 'no file'} left`,
      `${((OVERSIZED * 100 * MB) / MB / seconds).toFixed(1)} MB/s`,
      `${seconds.toFixed(2)} s`,
      `${peak.toFixed(1)} MB`,
      `+${(peak - baseline).toFixed(1)} MB`,
    ]);
    watch.stop();

    const throughputs = rows.slice(0, ROUNDS).map((row) => parseFloat(row[1]));
    const title = store === 's3' ? 'STORAGE=s3 (s3rver on this machine)' : 'STORAGE=local (UPLOAD_DIR on this disk)';
    return { store, title, rows, baseline, cold, peakGrowth, meanThroughput: throughputs.reduce((a, b) => a + b, 0) / throughputs.length };
  } finally {
    await api?.stop();
    await lib.dropDatabase(url);
    fs.rmSync(uploadDir, { recursive: true, force: true });
    await lib.dropRedisKeys(redisPrefix);
  }
}

main()
  .finally(() => agent.destroy())
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
