import { DomainConflict } from '../common/domain-error';
import { ActSettled, CompensatedPart, ownPartLinesChanged } from './settled-lines';

const own = (quantity: number | string, unitPrice: string | null): CompensatedPart => ({ ownPart: true, quantity, unitPrice });
const shipped = (quantity: number, unitPrice: string | null = null): CompensatedPart => ({ ownPart: false, quantity, unitPrice });

describe('ownPartLinesChanged', () => {
  const before = [shipped(1), own(2, '150.50'), own(3, '0.10')];

  it('is false for the same own lines, in any order, with prices written differently', () => {
    expect(ownPartLinesChanged(before, before)).toBe(false);
    expect(ownPartLinesChanged(before, [own(3, '0.1'), shipped(1), own(2, '150.5')])).toBe(false);
    expect(ownPartLinesChanged([own('1.500', '780')], [own('1.5', '780.00')])).toBe(false);
    expect(ownPartLinesChanged([], [])).toBe(false);
  });

  it('is false for changes to parts that are not own, and for renames', () => {
    expect(ownPartLinesChanged(before, [shipped(5, '99.00'), shipped(1), own(2, '150.50'), own(3, '0.10')])).toBe(false);
    expect(ownPartLinesChanged(before, [own(2, '150.50'), own(3, '0.10')])).toBe(false);
    expect(
      ownPartLinesChanged(
        [{ ...own(1, '10.00'), name: 'Шнур' } as CompensatedPart],
        [{ ...own(1, '10.00'), name: 'Шнур стартера' } as CompensatedPart],
      ),
    ).toBe(false);
  });

  it("is true when an own part's quantity or price changes", () => {
    expect(ownPartLinesChanged(before, [shipped(1), own(3, '150.50'), own(3, '0.10')])).toBe(true);
    expect(ownPartLinesChanged(before, [shipped(1), own(2, '1500.50'), own(3, '0.10')])).toBe(true);
    expect(ownPartLinesChanged(before, [shipped(1), own(2, null), own(3, '0.10')])).toBe(true);
  });

  it('is true when a part becomes or stops being own', () => {
    expect(ownPartLinesChanged(before, [{ ...shipped(1), ownPart: true }, own(2, '150.50'), own(3, '0.10')])).toBe(true);
    expect(ownPartLinesChanged(before, [shipped(1), { ...own(2, '150.50'), ownPart: false }, own(3, '0.10')])).toBe(true);
  });

  it('is true when an own part is added or removed, also one equal to another', () => {
    expect(ownPartLinesChanged(before, [...before, own(1, '5.00')])).toBe(true);
    expect(ownPartLinesChanged(before, [shipped(1), own(2, '150.50')])).toBe(true);
    expect(ownPartLinesChanged([own(1, '5.00')], [own(1, '5.00'), own(1, '5.00')])).toBe(true);
  });
});

describe('ActSettled', () => {
  it('is a 409 conflict act-settled naming the settlement', () => {
    const error = new ActSettled('6f1c0d1e-0000-4000-8000-000000000001');
    expect(error).toBeInstanceOf(DomainConflict);
    expect(error.slug).toBe('act-settled');
    expect(error.extensions).toEqual({ settlementId: '6f1c0d1e-0000-4000-8000-000000000001' });
  });
});
