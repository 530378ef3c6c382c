// `npm run docs:tour`: copies scripts/tour.sh into the README between its tour markers, so that
// the README shows the tour that CI runs (test/tour.e2e-spec.ts checks they are the same).
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const readmePath = join(root, 'README.md');
const tour = readFileSync(join(__dirname, 'tour.sh'), 'utf8');
const readme = readFileSync(readmePath, 'utf8');
const marked = /<!-- tour:begin -->\n[\s\S]*?<!-- tour:end -->/;
if (!marked.test(readme)) throw new Error('README.md has no <!-- tour:begin --> … <!-- tour:end --> block');
writeFileSync(
  readmePath,
  readme.replace(marked, () => `<!-- tour:begin -->\n\`\`\`bash\n${tour}\`\`\`\n<!-- tour:end -->`),
);
