// Preloaded into the API by bench:scale (node -r): SIGUSR2 runs full garbage collections, so that
// the resident memory read after it does not depend on where the collector stood at that moment.
const v8 = require('node:v8');
const vm = require('node:vm');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  gc();
});
