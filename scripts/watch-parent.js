// Preloaded (`node --require`) into the API and the worker by scripts/start-all.js. When the
// launcher goes away without stopping its children (SIGKILL, a crash), their IPC channel to it
// closes: the child then sends itself SIGTERM, the graceful shutdown main.ts and worker.ts
// already have, so no process is left running without its launcher.
if (process.send && process.channel) {
  process.once('disconnect', () => {
    // Nobody reads our output any more: a write must not crash the shutdown with EPIPE.
    process.stdout.on('error', () => undefined);
    process.stderr.on('error', () => undefined);
    process.kill(process.pid, 'SIGTERM');
  });
  // The channel only watches: it must not keep the process alive after a graceful close.
  process.channel.unref();
}
