import { ApiProperty } from '@nestjs/swagger';
import { ApiInteger, ApiMoney } from '../common/openapi';
import { MONEY_PATTERN } from '../common/validators';
import { ActKind } from './act.entity';
import type { ActPhotoRow } from './acts.repository';
import type { HistoryType } from './act-history.entity';
import {
  Completeness,
  PART_UNITS,
  PartUnit,
  PROBLEM_REASONS,
  ProblemReason,
  ProductCondition,
  ProductState,
  REASON_CODES,
  ReasonCode,
} from './act-sections';
import { ActorRole, ActStatus, Resolution } from './act-status';
import { FLAG_TYPES, FlagType } from './act-flags.repository';

export class ProductView {
  categoryId: string | null;
  model: string | null;
  /** null when the product has no serial number (then noSerialNumber is true). */
  serialNumber: string | null;
  noSerialNumber: boolean;
  /** The serial number as printed on the act: the number, or "Б/Н". */
  serialNumberText: string | null;
  complaint: string | null;
  condition: ProductCondition | null;
  saleDate: string | null;
  acceptedDate: string | null;
  completeness: Completeness | null;
  hasWarrantyCard: boolean | null;
  refusedWithin14Days: boolean;
  paidOrder: boolean;
}

export class DiagnosisView {
  internalNumber: string | null;
  mechanic: string | null;
  result: string | null;
  conclusion: string | null;
  warrantyCase: boolean | null;
}

export class PartView {
  id: string;
  name: string;
  diagramNumber: string | null;
  /** Whole pieces, or up to 3 decimals of metres, litres or kilograms. */
  quantity: number;
  @ApiProperty({ enum: PART_UNITS })
  unit: PartUnit;
  ownPart: boolean;
  /** Decimal string, e.g. "780.00"; null when not given. */
  @ApiMoney()
  unitPrice: string | null;
}

export class ActProblemView {
  reason: ProblemReason;
  /** The reason as people read it (Russian). */
  reasonLabel: string;
  text: string;
  at: string;
}

export class ExtraView {
  customerName: string | null;
  customerPhone: string | null;
  sellerOrganization: string | null;
  @ApiInteger()
  complexity: number | null;
  productState: ProductState | null;
  repairEndDate: string | null;
}

export class PhotoView {
  id: string;
  kind: string;
  fileName: string;
  contentType: string;
  @ApiInteger()
  size: number;
  sha256: string;
  createdAt: Date;
}

export class InvoiceLineView {
  partId: string;
  name: string;
  diagramNumber: string | null;
  quantity: number;
  @ApiProperty({ enum: PART_UNITS })
  unit: PartUnit;
  /** Roubles per unit, a decimal string. */
  @ApiMoney()
  unitPrice: string;
  /** quantity × unitPrice rounded to kopecks, a decimal string. */
  @ApiMoney()
  amount: string;
}

/** A paid order's invoice: the SC pays `amount` with the act number as the payment reference. */
export class InvoiceView {
  /** The sum of the lines, a decimal string in roubles. */
  @ApiMoney()
  amount: string;
  @ApiProperty({ enum: ['RUB'] })
  currency: 'RUB';
  /** The act number: the SC writes it as the payment's reference. */
  paymentReference: string;
  issuedAt: Date;
  /** Null until the payment is recorded. */
  paidAt: Date | null;
  lines: InvoiceLineView[];
}

const MONEY_SCHEMA = { type: 'string', pattern: MONEY_PATTERN.source, example: '780.00' } as const;

/**
 * An integrity flag (managers only): `duplicate_serial` (another submitted act, of any service
 * center, with the same model and serial number, submitted within 24 months of this one; «Б/Н»
 * never matches) and `duplicate_photo` (a photo with the same SHA-256 on another submitted act)
 * carry `actIds`, the other acts; `out_of_warranty` (the sale date plus the category's warranty
 * term falls before the accepted date; never for pre-sale products) carries `warrantyMonths` and
 * `warrantyEnd`. Computed at submit and on every later change of the product section or photos;
 * the other acts of a duplicate are updated in the same transaction.
 */
export class ActFlagView {
  @ApiProperty({ enum: FLAG_TYPES })
  type: FlagType;
  /** duplicate_serial, duplicate_photo: the other acts (ids), oldest submission first for serial numbers. */
  @ApiProperty({ type: [String], format: 'uuid', required: false })
  actIds?: string[];
  /** out_of_warranty: the category's warranty term when the flag was computed. */
  @ApiProperty({ type: 'integer', required: false })
  warrantyMonths?: number;
  /** out_of_warranty: the sale date plus the term (YYYY-MM-DD), before the accepted date. */
  @ApiProperty({ type: String, format: 'date', required: false })
  warrantyEnd?: string;
}

export class ActView {
  id: string;
  /** ACT-2026-000717 */
  number: string;
  status: ActStatus;
  /** The status in the language of Accept-Language (Russian by default, English on `en`). */
  statusLabel: string;
  /** Set when closed. */
  resolution: Resolution | null;
  resolutionLabel: string | null;
  serviceCenterId: string;
  /** warranty or paid: claimed by the SC until a manager decides. */
  kind: ActKind;
  /** Pre-sale product (предторг): reviewed and shipped first. */
  preSale: boolean;
  product: ProductView;
  diagnosis: DiagnosisView;
  parts: PartView[];
  extra: ExtraView;
  photos: PhotoView[];
  /** While info_requested: the SC must answer by then, or the act is closed as warranty_refused. */
  replyDeadline: Date | null;
  /** While parts_delivered: a wrong or missing part can be reported until then. */
  mismatchDeadline: Date | null;
  /** While submitted: when the managers' review is due (submittedAt + REVIEW_SLA). */
  reviewDueAt: Date | null;
  /** While submitted: true once the review is overdue. */
  reviewOverdue: boolean;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  decidedAt: Date | null;
  closedAt: Date | null;
  /** Increases with every change; the ETag is "<version>". Send it back in If-Match. */
  @ApiInteger()
  version: number;
  /** The SC spoke (a comment after delivery, a problem report) and no manager has acted since. */
  needsAttention: boolean;
  /** The SC's report of a problem with the parts or the repair, once made. */
  @ApiProperty({
    // Inline, not a $ref: OpenAPI 3.0's `nullable` does not reach into an allOf.
    type: 'object',
    nullable: true,
    required: ['reason', 'reasonLabel', 'text', 'at'],
    properties: {
      reason: { type: 'string', enum: PROBLEM_REASONS },
      reasonLabel: { type: 'string' },
      text: { type: 'string' },
      at: { type: 'string', format: 'date-time' },
    },
  })
  problem: ActProblemView | null;
  /** Why the case is not warranty (GET /reason-codes), for not_warranty decisions. */
  @ApiProperty({ enum: REASON_CODES, nullable: true })
  reasonCode: ReasonCode | null;
  /** The decision asked for the parts to ship urgently. */
  urgent: boolean;
  /** The responsible manager of the act's service center, whom to contact; null when every manager is. */
  @ApiProperty({
    // Inline, not a $ref: OpenAPI 3.0's `nullable` does not reach into an allOf.
    type: 'object',
    nullable: true,
    required: ['id', 'name', 'email', 'phone'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      email: { type: 'string' },
      phone: { type: 'string', nullable: true },
    },
  })
  assignedManager: { id: string; name: string; email: string; phone: string | null } | null;
  /** The compensation settlement that paid the act's own parts; from then on they cannot change (409 act-settled). */
  settlementId: string | null;
  /**
   * When the parts are expected to leave (Moscow date), set on approval: the next dispatch day
   * that is a business day, the next business day for pre-sale or urgent acts; null when nothing is to ship.
   */
  @ApiProperty({ type: 'string', format: 'date', nullable: true, example: '2026-12-03' })
  expectedDispatchDate: string | null;
  /** Parts still to ship after a partial parcel (their ids); empty when none is pending. */
  pendingParts: string[];
  /** The SC's answer to partial parcels (POST /acts/:id/partial-consent); null: not asked yet. */
  @ApiProperty({ type: 'boolean', nullable: true })
  partialConsent: boolean | null;
  /** A paid order's invoice; null when none was issued. */
  @ApiProperty({
    // Inline, not a $ref: OpenAPI 3.0's `nullable` does not reach into an allOf.
    type: 'object',
    nullable: true,
    required: ['amount', 'currency', 'paymentReference', 'issuedAt', 'paidAt', 'lines'],
    properties: {
      amount: MONEY_SCHEMA,
      currency: { type: 'string', enum: ['RUB'] },
      paymentReference: { type: 'string' },
      issuedAt: { type: 'string', format: 'date-time' },
      paidAt: { type: 'string', format: 'date-time', nullable: true },
      lines: {
        type: 'array',
        items: {
          type: 'object',
          required: ['partId', 'name', 'diagramNumber', 'quantity', 'unit', 'unitPrice', 'amount'],
          properties: {
            partId: { type: 'string' },
            name: { type: 'string' },
            diagramNumber: { type: 'string', nullable: true },
            quantity: { type: 'number' },
            unit: { type: 'string', enum: PART_UNITS },
            unitPrice: MONEY_SCHEMA,
            amount: MONEY_SCHEMA,
          },
        },
      },
    },
  })
  invoice: InvoiceView | null;
  /** Managers only (a service center's answers never carry it): the act's integrity flags, empty when none. */
  @ApiProperty({ type: [ActFlagView], required: false })
  flags?: ActFlagView[];
}

export class ActPageView {
  items: ActView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export class ActLookupView {
  items: ActView[];
}

export class ActorView {
  role: ActorRole;
  name: string;
}

export class FieldChangeView {
  /** The field's path: `product.saleDate`, `parts[0].unitPrice`, `parts[2]` (a part added or removed). */
  field: string;
  from: unknown;
  to: unknown;
}

export class HistoryEntryView {
  /** `status`: a status change (or the act's creation); `edit`: a correction of its sections after the draft. */
  type: HistoryType;
  from: ActStatus | null;
  to: ActStatus;
  resolution?: Resolution;
  actor: ActorView;
  reason?: string;
  /** For `edit` entries: every changed field, old and new value. */
  changes?: FieldChangeView[];
  at: Date;
}

/** A photo's metadata as the API shows it (never its storage key). */
export function toPhotoView(photo: ActPhotoRow): PhotoView {
  return {
    id: photo.id,
    kind: photo.kind,
    fileName: photo.fileName,
    contentType: photo.contentType,
    size: photo.size,
    sha256: photo.sha256,
    createdAt: photo.createdAt,
  };
}

export class ReasonCodeView {
  @ApiProperty({ enum: REASON_CODES })
  code: ReasonCode;
  label: string;
}
