// `npm run start:all`: the API and the worker of one build on a single machine, in one terminal.
// - Output lines are prefixed `[api] ` / `[worker] `.
// - SIGINT (Ctrl-C), SIGTERM and SIGHUP are passed on to both, once each; both then stop
//   gracefully (in-flight requests and the running job finish) and the launcher exits 0. A
//   second signal is passed on too, which makes them stop at once (exit 1).
// - If one stops on its own, the other is stopped and the launcher exits non-zero.
// - No orphans: the children run in process groups of their own (so a Ctrl-C reaches them only
//   through the launcher, once) and watch the launcher through their IPC channel
//   (scripts/watch-parent.js): if the launcher is killed, they shut down by themselves.
'use strict';
const { fork } = require('node:child_process');
const { join } = require('node:path');
const readline = require('node:readline');

const root = join(__dirname, '..');
// Node's flags for each, as npm start and npm run start:worker give them (the worker's heap is bounded: README, "Operations").
const PROCESSES = [
  { name: 'api', script: join(root, 'dist', 'src', 'main.js'), nodeArgs: [] },
  { name: 'worker', script: join(root, 'dist', 'src', 'worker.js'), nodeArgs: ['--max-old-space-size=160'] },
];
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

let stopRequested = false;
let failure = null;
const running = new Map();

function say(message) {
  process.stderr.write(`[start-all] ${message}\n`);
}

function prefixLines(input, output, name) {
  readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => output.write(`[${name}] ${line}\n`));
}

function stopAll(signal) {
  for (const child of running.values()) child.kill(signal);
}

function finish() {
  if (running.size > 0) return;
  process.exitCode = failure ? failure.code : 0;
}

for (const { name, script, nodeArgs } of PROCESSES) {
  const child = fork(script, [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [...process.execArgv, ...nodeArgs, '--require', join(__dirname, 'watch-parent.js')],
    detached: true,
  });
  running.set(name, child);
  prefixLines(child.stdout, process.stdout, name);
  prefixLines(child.stderr, process.stderr, name);
  child.on('error', (error) => say(`${name}: ${error.message}`));
  // 'close' comes after the exit and the last line of output.
  child.on('close', (code, signal) => {
    running.delete(name);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!stopRequested && !failure) {
      failure = { code: code || 1 };
      say(`${name} stopped on its own (${how}): stopping the others`);
      stopAll('SIGTERM');
    } else {
      say(`${name} stopped (${how})`);
      if (code !== 0 && !failure) failure = { code: code || 1 };
    }
    finish();
  });
}

// Under npm a Ctrl-C arrives twice, from the terminal and passed on by npm: signals within a
// second of the last one passed on count as one, so a single Ctrl-C stays a graceful stop.
let lastForwardedAt = 0;
for (const signal of SIGNALS) {
  process.on(signal, () => {
    if (Date.now() - lastForwardedAt < 1000) return;
    lastForwardedAt = Date.now();
    say(`${signal} received: stopping ${[...running.keys()].join(' and ')}${stopRequested ? ' at once' : ''}`);
    stopRequested = true;
    stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}

// Started by `npm run start:all`: if npm is killed, stop with it rather than run on unattended.
if (process.env.npm_lifecycle_event === 'start:all') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && !stopRequested) {
      stopRequested = true;
      say('npm is gone: stopping');
      stopAll('SIGTERM');
    }
  }, 1000).unref();
}

// Our own output may go to a pipe that closes (`| head`): that must not take the launcher down.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
