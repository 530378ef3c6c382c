/** The wizard's sections as stored (every field optional while the act is a draft). */
import { texts } from '../messages/messages';

export type ProductCondition = 'new' | 'used' | 'pre_sale';
export type Completeness = 'full' | 'incomplete';
export type ProductState = 'repaired' | 'returned_to_seller' | 'left_at_service_center';

export const PRODUCT_CONDITIONS: ProductCondition[] = ['new', 'used', 'pre_sale'];
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
  ownPart: boolean;
  unitPrice?: string | null;
}

const NO_SERIAL = new RegExp(`^\\s*${NO_SERIAL_NUMBER_TEXT.replace('/', '\\s*/\\s*')}\\s*$`, 'i');

/** The stored form of a product section: defaults filled, "Б/Н" read as no serial number. */
export function normaliseProduct(input: ProductSection): ProductSection {
  const product: ProductSection = { refusedWithin14Days: false, paidOrder: false, noSerialNumber: false, ...input };
  if (typeof product.serialNumber === 'string' && NO_SERIAL.test(product.serialNumber)) {
    product.serialNumber = null;
    product.noSerialNumber = true;
  }
  if (product.noSerialNumber && product.serialNumber === undefined) product.serialNumber = null;
  return product;
}

/** The stored form of a parts list: absent optional values made explicit. */
export function normaliseParts(parts: (Omit<PartRow, 'ownPart'> & { ownPart?: boolean })[]): PartRow[] {
  return parts.map((part) => ({
    name: part.name,
    diagramNumber: part.diagramNumber ?? null,
    quantity: part.quantity,
    ownPart: part.ownPart ?? false,
    unitPrice: part.unitPrice ?? null,
  }));
}
