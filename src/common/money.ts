/**
 * Roubles as decimal strings ("780.00"), computed in whole kopecks (bigint): never a float in
 * arithmetic (API.md, "Conventions").
 */

/** "780", "780.5", "780.50" → 78050n kopecks. */
export function toKopecks(amount: string): bigint {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`Not an amount of money: ${amount}`);
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

/** 78050n → "780.50". */
export function formatKopecks(kopecks: bigint): string {
  const whole = kopecks / 100n;
  const fraction = kopecks % 100n;
  return `${whole.toString()}.${fraction.toString().padStart(2, '0')}`;
}

/** quantity (up to 3 decimals) × unit price, rounded half up to kopecks, as Postgres round(numeric, 2) does. */
export function lineAmount(unitPrice: string, quantity: number | string): string {
  const thousandths = BigInt(Math.round(Number(quantity) * 1000));
  const scaled = toKopecks(unitPrice) * thousandths; // kopecks × 1000
  return formatKopecks((scaled + 500n) / 1000n);
}

/** The sum of decimal strings. */
export function sumAmounts(amounts: string[]): string {
  return formatKopecks(amounts.reduce((sum, a) => sum + toKopecks(a), 0n));
}

/** Equal as amounts of money ("780.5" = "780.50"). */
export function sameAmount(a: string, b: string): boolean {
  return toKopecks(a) === toKopecks(b);
}
