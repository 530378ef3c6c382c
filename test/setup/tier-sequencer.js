// Runs the tiers in order (unit, integration, e2e) so that a broken unit spec shows first;
// within a tier, jest's own order (failed last time first, then slowest first).
const Sequencer = require('@jest/test-sequencer').default;

const TIERS = ['unit', 'integration', 'e2e'];
const tier = (test) => {
  const index = TIERS.indexOf(test.context.config.displayName?.name);
  return index === -1 ? TIERS.length : index;
};

module.exports = class TierSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort([...tests]);
    return sorted
      .map((test, position) => ({ test, position }))
      .sort((a, b) => tier(a.test) - tier(b.test) || a.position - b.position)
      .map((entry) => entry.test);
  }
};
