#!/usr/bin/env node
// `npm run bench:photos`: photo uploads against the built API in a throw-away database.
// Starts `node dist/src/main.js` on a free port, makes a manager key with the built CLI and an
// SC key through the API, then fires rounds of 32 concurrent 8 MB uploads, and 8 concurrent
// 100 MB uploads that must be refused with 413. Samples the API process's VmRSS every 10 ms:
// the baseline is taken in the same run, after a warm-up, just before the load.
// Goal: peak RSS growth ≤ 64 MB, whatever the size of the uploads.
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

async function main() {
  const url = lib.benchDatabaseUrl('photos_bench');
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-photos-bench-'));
  const redisPrefix = `wa-bench-photos-${randomBytes(3).toString('hex')}`;
  console.error(`Database ${new URL(url).pathname.slice(1)}, uploads in ${uploadDir}`);
  await lib.createDatabase(url);
  let api;
  try {
    const env = { DATABASE_URL: url, REDIS_PREFIX: redisPrefix, UPLOAD_DIR: uploadDir, LOG_LEVEL: 'warn' };
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
    const filesBefore = filesUnder(uploadDir);
    const started = process.hrtime.bigint();
    const refused = await Promise.all(Array.from({ length: OVERSIZED }, (_, j) => upload(api.base, scKey, acts[j % acts.length], 100 * MB, zeros)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = oversizedWatch.stop();
    if (refused.some((r) => r.status !== 413)) throw new Error(`oversized: ${refused.map((r) => r.status)}`);
    const leftovers = filesUnder(uploadDir) - filesBefore;
    if (leftovers !== 0) throw new Error(`oversized uploads left ${leftovers} files behind`);
    peakGrowth = Math.max(peakGrowth, peak - baseline);
    rows.push([
      `${OVERSIZED} × 100 MB → 413, no file left`,
      `${((OVERSIZED * 100 * MB) / MB / seconds).toFixed(1)} MB/s`,
      `${seconds.toFixed(2)} s`,
      `${peak.toFixed(1)} MB`,
      `+${(peak - baseline).toFixed(1)} MB`,
    ]);
    watch.stop();

    console.log(
      [
        `Photo uploads: ${os.cpus().length} cores, Node ${process.version}; API baseline RSS ${baseline.toFixed(1)} MB (after warm-up, same run).`,
        '',
        lib.table(['case', 'throughput', 'wall time', 'peak RSS', 'growth'], rows),
        '',
        `Peak RSS growth over baseline: ${peakGrowth.toFixed(1)} MB (goal ≤ ${GOAL_MB} MB): ${peakGrowth <= GOAL_MB ? 'met' : 'NOT met'}.` +
          ` Before the warm-up (8 uploads) the API had ${cold.toFixed(1)} MB: +${(baseline + peakGrowth - cold).toFixed(1)} MB from cold.`,
      ].join('\n'),
    );
    if (peakGrowth > GOAL_MB) process.exitCode = 1;
  } finally {
    agent.destroy();
    await api?.stop();
    await lib.dropDatabase(url);
    fs.rmSync(uploadDir, { recursive: true, force: true });
    await lib.dropRedisKeys(redisPrefix);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
