import { spawnSync } from 'node:child_process';
import { createSuiteDatabase } from './setup/test-env';
import { isRunning, startAll, StartedAll, stopForGood } from './support/start-all';
import { waitFor } from './support/wait';

// `npm run start:all` (scripts/start-all.js) as an operator meets it: a Ctrl-C or SIGTERM stops
// both processes gracefully with exit 0; a launcher killed outright leaves nothing running; a
// process that dies on its own takes the other down and the launcher reports it.
describe('start:all', () => {
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  let started: StartedAll | undefined;
  let pids: number[] = [];

  beforeAll(async () => {
    // A database and Redis prefix of its own: this worker sweeps and sends for nobody else.
    const suite = await createSuiteDatabase();
    drop = suite.drop;
    env = { DATABASE_URL: suite.databaseUrl, REDIS_PREFIX: `${process.env.REDIS_PREFIX}:start-all` };
  });
  afterEach(() => {
    if (started) stopForGood(started, pids);
    started = undefined;
    pids = [];
  });
  afterAll(async () => {
    await drop?.();
  });

  async function start(): Promise<StartedAll> {
    started = await startAll(env);
    pids = started.childPids();
    expect(pids).toHaveLength(2);
    return started;
  }

  it('Ctrl-C (SIGINT to the process group) stops both gracefully and exits 0', async () => {
    const all = await start();
    process.kill(-(all.launcher.pid as number), 'SIGINT');
    expect(await all.exited).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(all.output()).toContain('[api] ');
    expect(all.output()).toMatch(/\[api\] .*SIGINT received: shutting down/);
    expect(all.output()).toMatch(/\[worker\] .*SIGINT received: shutting down/);
    expect(all.output()).toContain('api stopped (code 0)');
    expect(all.output()).toContain('worker stopped (code 0)');
  }, 120_000);

  it('SIGTERM to the launcher stops both gracefully and exits 0', async () => {
    const all = await start();
    all.launcher.kill('SIGTERM');
    expect(await all.exited).toBe(0);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(all.output()).toMatch(/\[worker\] .*SIGTERM received: shutting down/);
  }, 120_000);

  it('SIGKILL of the launcher leaves no process running', async () => {
    const all = await start();
    all.launcher.kill('SIGKILL');
    await all.exited;
    // The children notice their launcher is gone and stop gracefully by themselves.
    await waitFor(() => pids.every((pid) => !isRunning(pid)), 'the API and the worker to stop', 15_000, 100);
  }, 120_000);

  it('a process that dies on its own stops the other, and the launcher exits non-zero', async () => {
    const all = await start();
    const commandOf = (pid: number) => spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).stdout;
    const workerPid = pids.find((pid) => commandOf(pid).includes('worker.js')) as number;
    const apiPid = pids.find((pid) => pid !== workerPid) as number;
    process.kill(workerPid, 'SIGKILL');
    expect(await all.exited).not.toBe(0);
    expect(isRunning(apiPid)).toBe(false);
    expect(all.output()).toContain('worker stopped on its own (signal SIGKILL)');
  }, 120_000);
});
