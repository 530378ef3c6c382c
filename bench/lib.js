// Shared pieces of the benchmarks: a throw-away database, the built API as a child process,
// keys made with SQL, and formatting. Benchmarks run against the built app (npm run build).
const { spawn } = require('node:child_process');
const http = require('node:http');
const { createHash, randomBytes } = require('node:crypto');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist', 'src');

function benchDatabaseUrl(tag = 'bench') {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/warranty_acts_${tag}_${Date.now().toString(36)}`;
  return base.toString();
}

async function createDatabase(url) {
  const { prepareDatabase } = require(path.join(DIST, 'database', 'prepare-database.js'));
  if (!/bench/.test(new URL(url).pathname)) throw new Error('refusing a database whose name does not say bench');
  await prepareDatabase(url);
}

async function dropDatabase(url) {
  const { dropDatabase } = require(path.join(DIST, 'database', 'ensure-database.js'));
  if (!/bench/.test(new URL(url).pathname)) throw new Error('refusing a database whose name does not say bench');
  await dropDatabase(url);
}

async function withClient(url, fn) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Makes an API key for an owner directly in SQL; returns the plain key. */
async function insertKey(client, owner) {
  const key = `wa_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(key).digest('hex');
  await client.query('INSERT INTO api_keys (key_hash, manager_id, service_center_id, label) VALUES ($1, $2, $3, $4)', [
    hash,
    owner.managerId ?? null,
    owner.serviceCenterId ?? null,
    'bench',
  ]);
  return key;
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

/** Starts a node script as a child process with extra environment (and node options); resolves once it answers HTTP. */
async function startServer(script, env, readyPath, nodeArgs = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}${readyPath}`);
  return {
    base,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request on kept-alive connections, for load generators that need each answer (filing
 * reads the created act's id): { status, body } with the body parsed as JSON. node:http costs the
 * client a third of the CPU that fetch does (1.2 against 3.5 ms per filed act), CPU that the API
 * and Postgres share with it on a 2-core machine: the same build filed 24 % more acts a second
 * with it (session 7, alternating rounds), so figures before it are not comparable.
 */
function request(base, method, pathAndQuery, headers = {}, body = undefined) {
  return new Promise((resolve, reject) => {
    const url = new URL(pathAndQuery, base);
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        agent: keepAlive,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Removes every Redis key under a benchmark's REDIS_PREFIX (queues, rate limits). */
async function dropRedisKeys(prefix) {
  const Redis = require('ioredis');
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis is optional for the clean-up
  } finally {
    redis.disconnect();
  }
}

/**
 * CPU time a process has used so far (user + system), in microseconds, from /proc: divided by
 * the requests it served in between, a per-request cost that a busy spell of a shared machine
 * moves less than it moves requests per second.
 */
function cpuMicros(pid) {
  const fields = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks();
}

let ticksPerSecond;
/** The kernel's clock ticks per second (getconf CLK_TCK), in which /proc/<pid>/stat counts CPU time; 100 on Linux when getconf is missing. */
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(require('node:child_process').execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid) {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(headers), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

module.exports = {
  ROOT,
  DIST,
  benchDatabaseUrl,
  createDatabase,
  dropDatabase,
  withClient,
  insertKey,
  freePort,
  startServer,
  request,
  dropRedisKeys,
  rssMb,
  cpuMicros,
  table,
};
