import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort, waitFor } from './wait';

const LAUNCHER = join(__dirname, '..', '..', 'scripts', 'start-all.js');

export interface StartedAll {
  launcher: ChildProcess;
  port: number;
  output(): string;
  /** The launcher's exit code (null when it was killed by a signal). */
  exited: Promise<number | null>;
  /** The API's and the worker's process ids, read while they run. */
  childPids(): number[];
}

/**
 * `npm run start:all` without npm (scripts/start-all.js on the built dist), in a process group
 * of its own as a terminal would run it, on a free port. Resolves once the API answers ready and
 * the worker has started. `env` adds to the test run's environment (database, Redis prefix).
 */
export async function startAll(env: Record<string, string> = {}): Promise<StartedAll> {
  const port = await freePort();
  const launcher = spawn(process.execPath, [LAUNCHER], {
    env: { ...process.env, LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  launcher.stdout?.on('data', (chunk) => (output += chunk));
  launcher.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
  const started: StartedAll = {
    launcher,
    port,
    output: () => output,
    exited,
    childPids: () =>
      spawnSync('ps', ['-o', 'pid=', '--ppid', String(launcher.pid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((line) => Number(line.trim()))
        .filter((pid) => pid > 0),
  };
  try {
    await waitFor(() => output.includes('[worker] ') && output.includes('Worker started'), 'the worker', 60_000);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`)).status === 200,
      `the API on port ${port} (output so far: ${output.slice(-500)})`,
      60_000,
      200,
    );
  } catch (error) {
    stopForGood(started);
    throw error;
  }
  return started;
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Clean-up after a test, whatever it left: the launcher's group and the children it named. */
export function stopForGood(started: StartedAll, pids: number[] = []): void {
  for (const pid of [...pids, ...started.childPids()]) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  if (started.launcher.exitCode === null && started.launcher.signalCode === null) started.launcher.kill('SIGKILL');
}
