/** The wizard's sections as stored (every field optional while the act is a draft). */

export type ProductCondition = 'new' | 'used' | 'pre_sale';
export type Completeness = 'full' | 'incomplete';
export type ProductState = 'repaired' | 'returned_to_seller' | 'left_at_service_center';

export const PRODUCT_CONDITIONS: ProductCondition[] = ['new', 'used', 'pre_sale'];
export const COMPLETENESS: Completeness[] = ['full', 'incomplete'];
export const PRODUCT_STATES: ProductState[] = ['repaired', 'returned_to_seller', 'left_at_service_center'];

/** What the SC writes when a product has no serial number ("без номера"). */
export const NO_SERIAL_NUMBER_TEXT = 'Б/Н';

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
