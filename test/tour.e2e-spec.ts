import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSuiteDatabase } from './setup/test-env';
import { startAll, StartedAll, stopForGood } from './support/start-all';

// The README's tour is scripts/tour.sh: run here, in order, against the built API and worker
// (started as `npm run start:all` starts them) on a fresh database. Any answer the tour does not
// expect fails it, with the step and the answer in the output.
const ROOT = join(__dirname, '..');
const TOUR = join(ROOT, 'scripts', 'tour.sh');

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('the README tour (scripts/tour.sh)', () => {
  let started: StartedAll | undefined;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    const suite = await createSuiteDatabase();
    drop = suite.drop;
    // WEBHOOK_ALLOW_PRIVATE: the tour's webhook step receives on the loopback (it checks the refusal first).
    env = { DATABASE_URL: suite.databaseUrl, REDIS_PREFIX: `${process.env.REDIS_PREFIX}:tour`, WEBHOOK_ALLOW_PRIVATE: 'true' };
    started = await startAll(env);
  }, 120_000);
  afterAll(async () => {
    if (started) stopForGood(started);
    await drop?.();
  });

  it('runs every step against the started API and worker, twice (fresh names and keys each run)', async () => {
    const api = `http://127.0.0.1:${started!.port}/api/v1`;
    for (let round = 1; round <= 2; round++) {
      const result = await run('bash', [TOUR], { ...env, API: api });
      if (result.code !== 0) throw new Error(`The tour failed (round ${round}, exit ${result.code}):\n${result.output}`);
      expect(result.output).toMatch(/tour: all \d+ steps passed/);
    }
    const exited = started!.exited;
    started!.launcher.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);

  it('is shown in the README as it is', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const shown = /<!-- tour:begin -->\n```bash\n([\s\S]*?)```\n<!-- tour:end -->/.exec(readme)?.[1];
    // After changing scripts/tour.sh: `npm run docs:tour` copies it into the README.
    expect(shown).toBe(readFileSync(TOUR, 'utf8'));
  });
});
