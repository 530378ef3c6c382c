import { FieldError, fieldMessage } from '../common/problem';
import type { FieldChange } from './act-history.entity';
import { resolutionLabel, texts } from '../messages/messages';
import { ActKind } from './act.entity';
import { DiagnosisSection, ExtraSection, PartRow, ProductSection } from './act-sections';
import { PhotoKind } from './photo-kind';
import { Resolution } from './act-status';

/**
 * The business rules of an act (domain.md). Field-format rules live in the DTOs; these are the
 * rules that need several fields or the whole act. Pure functions, unit-tested.
 */

export interface ActContent {
  product: ProductSection;
  diagnosis: DiagnosisSection;
  parts: PartRow[];
  extra: ExtraSection;
}

/** Days a customer has to refuse a repair and ask for a refund. */
export const REFUSAL_DAYS = 14;

/**
 * "Today" for date checks. Service centers are in every Russian time zone up to UTC+12, so a
 * date is "in the future" only once it is tomorrow everywhere they work.
 */
export function latestAllowedDate(now: Date): string {
  return new Date(now.getTime() + 12 * 3_600_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/** The kind the act has before a manager decides: warranty when the SC claims it and it is no paid order. */
export function claimedKind(product: ProductSection, diagnosis: DiagnosisSection): ActKind {
  return diagnosis.warrantyCase === false || product.paidOrder === true ? ActKind.Paid : ActKind.Warranty;
}

/** Rules that hold for a draft as well: checked on every save, for the fields present. */
export function consistencyErrors(act: ActContent, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const { product, diagnosis, parts, extra } = act;
  const latest = latestAllowedDate(now);

  if (product.saleDate && product.saleDate > latest) {
    errors.push({ field: 'product.saleDate', message: fieldMessage('notInFuture') });
  }
  if (product.acceptedDate && product.acceptedDate > latest) {
    errors.push({ field: 'product.acceptedDate', message: fieldMessage('notInFuture') });
  }
  if (product.saleDate && product.acceptedDate && product.saleDate > product.acceptedDate) {
    errors.push({ field: 'product.saleDate', message: fieldMessage('saleAfterAccepted') });
  }
  if (product.noSerialNumber === true && product.serialNumber) {
    errors.push({ field: 'product.serialNumber', message: fieldMessage('serialWithNoSerial') });
  }
  if (extra.repairEndDate && product.acceptedDate && extra.repairEndDate < product.acceptedDate) {
    errors.push({ field: 'extra.repairEndDate', message: fieldMessage('repairEndBeforeAccepted') });
  }
  if (claimedKind(product, diagnosis) === ActKind.Warranty) {
    parts.forEach((part, i) => {
      if (part.ownPart && (part.unitPrice === null || part.unitPrice === undefined)) {
        errors.push({
          field: `parts[${i}].unitPrice`,
          message: fieldMessage('ownPartPriceRequired'),
        });
      }
    });
  }
  return errors;
}

const PRODUCT_REQUIRED: (keyof ProductSection)[] = [
  'categoryId',
  'model',
  'complaint',
  'condition',
  'saleDate',
  'acceptedDate',
  'completeness',
  'hasWarrantyCard',
];
const DIAGNOSIS_REQUIRED: (keyof DiagnosisSection)[] = ['mechanic', 'result', 'conclusion', 'warrantyCase'];
const EXTRA_REQUIRED: (keyof ExtraSection)[] = ['customerName', 'customerPhone', 'sellerOrganization', 'complexity', 'productState'];

const CUSTOMER: (keyof ExtraSection)[] = ['customerName', 'customerPhone'];

const missing = (value: unknown) => value === undefined || value === null || value === '';

/** Everything that stops an act from being submitted, every field at once. */
export function submitErrors(act: ActContent, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  const required = <T extends object>(section: string, values: T, fields: (keyof T)[]) => {
    for (const field of fields) {
      if (missing(values[field])) errors.push({ field: `${section}.${String(field)}`, message: fieldMessage('required') });
    }
  };
  required('product', act.product, PRODUCT_REQUIRED);
  if (missing(act.product.serialNumber) && act.product.noSerialNumber !== true) {
    errors.push({
      field: 'product.serialNumber',
      message: fieldMessage('serialRequired'),
    });
  }
  if (act.product.refusedWithin14Days && act.product.saleDate && act.product.acceptedDate) {
    if (daysBetween(act.product.saleDate, act.product.acceptedDate) > REFUSAL_DAYS) {
      errors.push({
        field: 'product.refusedWithin14Days',
        message: fieldMessage('refusedTooLate', { days: REFUSAL_DAYS }),
      });
    }
  }
  required('diagnosis', act.diagnosis, DIAGNOSIS_REQUIRED);
  // A pre-sale product was never sold: there is no customer yet.
  required('extra', act.extra, act.product.condition === 'pre_sale' ? EXTRA_REQUIRED.filter((f) => !CUSTOMER.includes(f)) : EXTRA_REQUIRED);
  errors.push(...consistencyErrors(act, now));
  return errors;
}

/**
 * Photos an act needs (the distributor's rules), as alternatives: one kind of each group. A
 * pre-sale product has no warranty card or receipt; a 14-day refusal repairs nothing, so it needs
 * the customer's statement instead of the part.
 */
export function requiredPhotoGroups(product: ProductSection): PhotoKind[][] {
  const nameplate = [PhotoKind.Nameplate];
  const papers = [PhotoKind.WarrantyCard, PhotoKind.Receipt];
  const breakage = [PhotoKind.Breakage];
  const part = [PhotoKind.Part];
  if (product.condition === 'pre_sale') return [nameplate, breakage, part];
  if (product.refusedWithin14Days) return [nameplate, papers, breakage, [PhotoKind.ClientStatement]];
  return [nameplate, papers, breakage, part];
}

/** The groups of required photos that the act does not have yet. */
export function missingPhotos(product: ProductSection, present: Iterable<PhotoKind>): PhotoKind[][] {
  const have = new Set(present);
  return requiredPhotoGroups(product).filter((group) => !group.some((kind) => have.has(kind)));
}

/** The system's comment asking for missing photos, in Russian as the SCs read it. */
export function missingPhotosComment(groups: PhotoKind[][]): string {
  return texts.comment.missingPhotos(
    groups.map((group) => group.map((kind) => texts.photoName[kind])),
    resolutionLabel(Resolution.WarrantyRefused),
  );
}

type Value = unknown;
const same = (a: Value, b: Value) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Every field of a section that a save changes, with its old and new value (`product.saleDate`). */
export function sectionChanges(section: string, before: object, after: object): FieldChange[] {
  const old = before as Record<string, Value>;
  const now = after as Record<string, Value>;
  const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])];
  return fields
    .filter((field) => !same(old[field], now[field]))
    .map((field) => ({ field: `${section}.${field}`, from: old[field] ?? null, to: now[field] ?? null }));
}

const PART_FIELDS: (keyof PartRow)[] = ['name', 'diagramNumber', 'quantity', 'unit', 'ownPart', 'unitPrice'];

/** The changes of a parts list, row by row: changed fields (`parts[0].unitPrice`), and rows added or removed (`parts[2]`). */
export function partsChanges(before: PartRow[], after: PartRow[]): FieldChange[] {
  const changes: FieldChange[] = [];
  const pick = (part: PartRow) => Object.fromEntries(PART_FIELDS.map((f) => [f, part[f] ?? null]));
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const [old, now] = [before[i], after[i]];
    if (!old || !now) {
      changes.push({ field: `parts[${i}]`, from: old ? pick(old) : null, to: now ? pick(now) : null });
      continue;
    }
    for (const field of PART_FIELDS) {
      if (!same(old[field], now[field])) changes.push({ field: `parts[${i}].${field}`, from: old[field] ?? null, to: now[field] ?? null });
    }
  }
  return changes;
}
