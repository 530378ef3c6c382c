import { PhotoKind } from './photo-kind';
import { ActKind } from './act.entity';
import { ActContent, claimedKind, consistencyErrors, latestAllowedDate, missingPhotos, submitErrors } from './act-rules';

const NOW = new Date('2026-11-22T10:00:00Z');

function completeAct(): ActContent {
  return {
    product: {
      categoryId: '6c1b2f1e-0000-4000-8000-000000000001',
      model: 'ЭГК-1500 Энергопром',
      serialNumber: '01.234.09274',
      noSerialNumber: false,
      complaint: 'Не запускается',
      condition: 'used',
      saleDate: '2026-06-01',
      acceptedDate: '2026-06-15',
      completeness: 'incomplete',
      hasWarrantyCard: true,
      refusedWithin14Days: false,
      paidOrder: false,
    },
    diagnosis: { mechanic: 'Иванов Иван', result: 'Гидроудар', conclusion: 'Гарантия', warrantyCase: true },
    parts: [{ name: 'Коленвал', quantity: 1, unit: 'pcs', ownPart: false, unitPrice: null }],
    extra: {
      customerName: 'Петров Пётр',
      customerPhone: '+79161234567',
      sellerOrganization: 'ООО Садовод',
      complexity: 2,
      productState: 'left_at_service_center',
    },
  };
}

const fields = (errors: { field: string }[]) => errors.map((e) => e.field).sort();

describe('act rules', () => {
  it('accepts a complete act', () => {
    expect(submitErrors(completeAct(), NOW)).toEqual([]);
  });

  it('lists every missing field of an empty act', () => {
    const errors = submitErrors({ product: {}, diagnosis: {}, parts: [], extra: {} }, NOW);
    expect(fields(errors)).toEqual(
      [
        'product.categoryId',
        'product.model',
        'product.serialNumber',
        'product.complaint',
        'product.condition',
        'product.saleDate',
        'product.acceptedDate',
        'product.completeness',
        'product.hasWarrantyCard',
        'diagnosis.mechanic',
        'diagnosis.result',
        'diagnosis.conclusion',
        'diagnosis.warrantyCase',
        'extra.customerName',
        'extra.customerPhone',
        'extra.sellerOrganization',
        'extra.complexity',
        'extra.productState',
      ].sort(),
    );
  });

  it('takes "no serial number" instead of a serial', () => {
    const act = completeAct();
    act.product.serialNumber = null;
    act.product.noSerialNumber = true;
    expect(submitErrors(act, NOW)).toEqual([]);
    act.product.serialNumber = '123';
    expect(fields(consistencyErrors(act, NOW))).toEqual(['product.serialNumber']);
  });

  it('refuses dates in the future and a sale after acceptance', () => {
    const act = completeAct();
    act.product.saleDate = '2026-11-25';
    act.product.acceptedDate = '2026-11-24';
    expect(fields(consistencyErrors(act, NOW))).toEqual(['product.acceptedDate', 'product.saleDate', 'product.saleDate']);
  });

  it('allows today in the easternmost zone', () => {
    expect(latestAllowedDate(new Date('2026-11-22T13:00:00Z'))).toBe('2026-11-23');
    expect(latestAllowedDate(new Date('2026-11-22T11:00:00Z'))).toBe('2026-11-22');
  });

  it('needs a price for an own part on a warranty act only', () => {
    const act = completeAct();
    act.parts = [
      { name: 'Свеча', quantity: 2, unit: 'pcs', ownPart: false },
      { name: 'Шнур', quantity: 1, unit: 'pcs', ownPart: true, unitPrice: null },
    ];
    expect(consistencyErrors(act, NOW)).toEqual([{ field: 'parts[1].unitPrice', message: { key: 'ownPartPriceRequired' } }]);
    act.diagnosis.warrantyCase = false;
    expect(consistencyErrors(act, NOW)).toEqual([]);
  });

  it('refuses a 14-day refusal that came later than 14 days after the sale', () => {
    const act = completeAct();
    act.product.refusedWithin14Days = true;
    act.product.saleDate = '2026-06-01';
    act.product.acceptedDate = '2026-06-15';
    expect(submitErrors(act, NOW)).toEqual([]);
    act.product.acceptedDate = '2026-06-16';
    expect(fields(submitErrors(act, NOW))).toEqual(['product.refusedWithin14Days']);
  });

  it('names the kind: paid when the SC claims no warranty or it is a paid order', () => {
    expect(claimedKind({}, { warrantyCase: true })).toBe(ActKind.Warranty);
    expect(claimedKind({}, { warrantyCase: false })).toBe(ActKind.Paid);
    expect(claimedKind({ paidOrder: true }, { warrantyCase: true })).toBe(ActKind.Paid);
  });

  it('needs nameplate, warranty card or receipt, breakage and part for an ordinary act', () => {
    expect(missingPhotos({}, [])).toHaveLength(4);
    expect(missingPhotos({}, [PhotoKind.Nameplate, PhotoKind.Receipt, PhotoKind.Breakage, PhotoKind.Part])).toEqual([]);
    expect(missingPhotos({}, [PhotoKind.Nameplate, PhotoKind.Breakage, PhotoKind.Part])).toEqual([[PhotoKind.WarrantyCard, PhotoKind.Receipt]]);
  });

  it('needs the statement instead of the part on a 14-day refusal', () => {
    const refusal = { refusedWithin14Days: true };
    expect(missingPhotos(refusal, [PhotoKind.Nameplate, PhotoKind.WarrantyCard, PhotoKind.Breakage, PhotoKind.Part])).toEqual([
      [PhotoKind.ClientStatement],
    ]);
    expect(missingPhotos(refusal, [PhotoKind.Nameplate, PhotoKind.WarrantyCard, PhotoKind.Breakage, PhotoKind.ClientStatement])).toEqual([]);
  });

  it('needs no warranty card or receipt for a pre-sale product', () => {
    expect(missingPhotos({ condition: 'pre_sale' }, [PhotoKind.Nameplate, PhotoKind.Breakage, PhotoKind.Part])).toEqual([]);
    expect(missingPhotos({ condition: 'pre_sale' }, [PhotoKind.Nameplate, PhotoKind.WarrantyCard])).toEqual([[PhotoKind.Breakage], [PhotoKind.Part]]);
  });

  it('asks no customer for a pre-sale product', () => {
    const act = completeAct();
    act.product.condition = 'pre_sale';
    act.extra = { sellerOrganization: 'ООО Садовод', complexity: 1, productState: 'returned_to_seller' };
    expect(submitErrors(act, NOW)).toEqual([]);
    act.product.condition = 'new';
    expect(submitErrors(act, NOW).map((e) => e.field)).toEqual(['extra.customerName', 'extra.customerPhone']);
  });
});
