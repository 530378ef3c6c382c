import { jsonDepth } from './json-depth';

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":2}]}', 3],
    ['{"a":"[[[[{{{{"}', 1],
    ['{"a":"\\"[[["}', 1],
    ['[[],[[]]]', 3],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(Buffer.from(text))).toBe(depth);
  });
});
