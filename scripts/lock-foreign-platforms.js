#!/usr/bin/env node
// The package registry reachable from our machines serves only the Linux builds of packages
// with per-platform binaries (@swc/core, unrs-resolver, msgpackr-extract). npm then leaves the
// other platforms' optional packages out of package-lock.json, and `npm ci` refuses the lock
// as "out of sync". This records those optional packages in the lock with their os/cpu, read
// from their names, so that `npm ci` sees a complete lock and skips them as foreign platforms.
// Run it after every `npm install` that changes the lock: `npm run lock:fix`.
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

let added = 0;
for (const [location, meta] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue;
    const tokens = name.split('/').pop().split('-');
    const os = OS.filter((o) => tokens.includes(o));
    const cpu = CPU.filter((c) => tokens.includes(c) || tokens.includes(c.replace('arm', 'arm')));
    if (os.length === 0) continue; // not a per-platform package: leave it to npm
    lock.packages[`node_modules/${name}`] = {
      version: spec.replace(/^[\^~=]/, ''),
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      os,
      ...(cpu.length ? { cpu } : {}),
    };
    added += 1;
  }
}
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stderr.write(`lock-foreign-platforms: recorded ${added} optional packages of other platforms\n`);
