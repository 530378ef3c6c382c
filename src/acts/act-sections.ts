/** The wizard's sections as stored (every field optional while the act is a draft). */
import { texts } from '../messages/messages';

export type ProductCondition = 'new' | 'used' | 'pre_sale';
export type Completeness = 'full' | 'incomplete';
export type ProductState = 'repaired' | 'returned_to_seller' | 'left_at_service_center';

export const PRODUCT_CONDITIONS: ProductCondition[] = ['new', 'used', 'pre_sale'];

/** Pieces (whole numbers), metres, litres, kilograms (up to 3 decimals). */
export type PartUnit = 'pcs' | 'm' | 'l' | 'kg';
export const PART_UNITS: PartUnit[] = ['pcs', 'm', 'l', 'kg'];

/** What went wrong after the parts were shipped (POST /acts/:id/mismatch). */
export type ProblemReason = 'wrong_part' | 'incomplete' | 'damaged' | 'other_unit_failed' | 'other';
export const PROBLEM_REASONS: ProblemReason[] = ['wrong_part', 'incomplete', 'damaged', 'other_unit_failed', 'other'];

export interface ActProblem {
  reason: ProblemReason;
  text: string;
  at: string;
}

/** Why a case is not warranty (GET /reason-codes). */
export type ReasonCode = 'mechanical_damage' | 'improper_use' | 'overload' | 'no_documents' | 'out_of_warranty' | 'not_a_defect' | 'other';
export const REASON_CODES: ReasonCode[] = [
  'mechanical_damage',
  'improper_use',
  'overload',
  'no_documents',
  'out_of_warranty',
  'not_a_defect',
  'other',
];
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
