import { DomainConflict } from '../common/domain-error';
import { detailMessage } from '../messages/problems.catalogue';

/**
 * Once an act's compensation is settled its own-part lines are frozen: what was paid must stay
 * what the act says. The acts code asks ownPartLinesChanged() before it replaces the parts of
 * an act that has a settlement_id, and throws ActSettled when the answer is yes.
 */

/** The fields of a part that its compensation depends on. */
export interface CompensatedPart {
  ownPart?: boolean | null;
  /** A number, or a decimal string once fractional units exist ("1.500"). */
  quantity: number | string;
  /** Roubles as a decimal string ("780", "780.5", "780.00"), or null. */
  unitPrice?: string | null;
}

/** A decimal written one way: no sign of +, no leading zeros, no trailing fraction zeros ("0780.50" → "780.5"). */
function canonicalDecimal(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value).trim();
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match) return text; // not a plain decimal: compared as written
  const whole = match[1].replace(/^0+(?=\d)/, '') || '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}

/** The own-part lines as sorted keys: the order of rows, names and diagram numbers do not count. */
function ownLineKeys(parts: readonly CompensatedPart[]): string[] {
  return parts
    .filter((p) => p.ownPart === true)
    .map((p) => `${canonicalDecimal(p.quantity)}×${canonicalDecimal(p.unitPrice)}`)
    .sort();
}

/**
 * True when the compensation of the parts list would change from `before` to `after`: an own
 * part's quantity or price changed, a part became or stopped being own, an own part was added or
 * removed. Renaming a part, reordering the rows, or any change to parts that are not own (before
 * and after) is not a change.
 */
export function ownPartLinesChanged(before: readonly CompensatedPart[], after: readonly CompensatedPart[]): boolean {
  const a = ownLineKeys(before);
  const b = ownLineKeys(after);
  return a.length !== b.length || a.some((key, i) => key !== b[i]);
}

/** 409 `act-settled`: the act's own-part lines are frozen since its compensation was settled. */
export class ActSettled extends DomainConflict {
  constructor(settlementId: string) {
    super('act-settled', detailMessage('actSettled', { settlementId }), {
      settlementId,
    });
  }
}
