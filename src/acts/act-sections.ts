/** The wizard's sections as stored (every field optional while the act is a draft). */
import { texts } from '../messages/messages';
import type { PartUnit } from './act-vocabulary';

export type ProductCondition = 'new' | 'used' | 'pre_sale';
export type Completeness = 'full' | 'incomplete';
export type ProductState = 'repaired' | 'returned_to_seller' | 'left_at_service_center';

export const PRODUCT_CONDITIONS: ProductCondition[] = ['new', 'used', 'pre_sale'];

export * from './act-vocabulary';
export const COMPLETENESS: Completeness[] = ['full', 'incomplete'];
export const PRODUCT_STATES: ProductState[] = ['repaired', 'returned_to_seller', 'left_at_service_center'];

/** What the SC writes when a product has no serial number ("без номера"). */
export const NO_SERIAL_NUMBER_TEXT = texts.noSerialNumber;

export interface ProductSection {
  categoryId?: string;
  model?: string;
  serialNumber?: string | null;
  noSerialNumber?: boolean;
  complaint?: string;
  condition?: ProductCondition;
  saleDate?: string;
  acceptedDate?: string;
  completeness?: Completeness;
  hasWarrantyCard?: boolean;
  refusedWithin14Days?: boolean;
  paidOrder?: boolean;
}

export interface DiagnosisSection {
  internalNumber?: string | null;
  mechanic?: string;
  result?: string;
  conclusion?: string;
  warrantyCase?: boolean;
}

export interface ExtraSection {
  customerName?: string;
  customerPhone?: string;
  sellerOrganization?: string;
  complexity?: number;
  productState?: ProductState;
  repairEndDate?: string | null;
}

export interface PartRow {
  name: string;
  diagramNumber?: string | null;
  quantity: number;
  unit: PartUnit;
  ownPart: boolean;
  unitPrice?: string | null;
}

/** "Б/Н" and the other ways SCs write "no number" («БН», «б.н.», «нет», «отсутствует»...), compared without case, spaces or punctuation. */
function meansNoSerialNumber(value: string): boolean {
  return texts.noSerialNumberSpellings.includes(value.toLowerCase().replace(/[\s./\\-]/g, ''));
}

/** The stored form of a product section: defaults filled, "Б/Н" read as no serial number. */
export function normaliseProduct(input: ProductSection): ProductSection {
  const product: ProductSection = { refusedWithin14Days: false, paidOrder: false, noSerialNumber: false, ...input };
  if (typeof product.serialNumber === 'string' && meansNoSerialNumber(product.serialNumber)) {
    product.serialNumber = null;
    product.noSerialNumber = true;
  }
  if (product.noSerialNumber && product.serialNumber === undefined) product.serialNumber = null;
  return product;
}

/** The stored form of a parts list: absent optional values made explicit. */
export function normaliseParts(parts: (Omit<PartRow, 'ownPart' | 'unit'> & { ownPart?: boolean; unit?: PartUnit })[]): PartRow[] {
  return parts.map((part) => ({
    name: part.name,
    diagramNumber: part.diagramNumber ?? null,
    quantity: part.quantity,
    unit: part.unit ?? 'pcs',
    ownPart: part.ownPart ?? false,
    unitPrice: part.unitPrice ?? null,
  }));
}
