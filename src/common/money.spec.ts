import { formatKopecks, lineAmount, sameAmount, sumAmounts, toKopecks } from './money';

describe('money in kopecks', () => {
  it('reads and writes decimal strings exactly', () => {
    expect(toKopecks('780')).toBe(78000n);
    expect(toKopecks('780.5')).toBe(78050n);
    expect(toKopecks('0.07')).toBe(7n);
    expect(formatKopecks(7n)).toBe('0.07');
    expect(formatKopecks(123456789012n)).toBe('1234567890.12');
    expect(() => toKopecks('1.234')).toThrow();
    expect(() => toKopecks('-1')).toThrow();
  });

  it('prices a line to the kopeck, half up, where floats would drift', () => {
    expect(lineAmount('0.10', 3)).toBe('0.30');
    expect(lineAmount('150.50', 2)).toBe('301.00');
    expect(lineAmount('10.01', 1.5)).toBe('15.02'); // 15.015 → 15.02
    expect(lineAmount('99.99', 0.001)).toBe('0.10'); // 0.09999 → 0.10
    expect(lineAmount('1.15', 0.5)).toBe('0.58'); // 0.575 → 0.58
    expect(sumAmounts(['0.10', '0.20'])).toBe('0.30');
    expect(sumAmounts([])).toBe('0.00');
    expect(sameAmount('780.5', '780.50')).toBe(true);
    expect(sameAmount('780.05', '780.5')).toBe(false);
  });
});
