import { Language } from '../messages/language';
import { Act } from './act.entity';
import { ActPart } from './act-part.entity';
import { NO_SERIAL_NUMBER_TEXT } from './act-sections';
import { resolutionLabel, statusLabel, texts } from '../messages/messages';
import { ActView, InvoiceView, toPhotoView } from './act.view';
import { ActPhotoRow, AssignedManager, InvoiceRow } from './acts.repository';
import { ActFlagRow, FlagType } from './act-flags.repository';
import type { ActFlagView } from './act.view';

export interface ViewContext {
  language: Language;
  now: Date;
  /** When a submitted act's review is due (REVIEW_SLA after submission), null otherwise. */
  reviewDueAt: Date | null;
  /** The responsible manager of the act's service center (null: every manager). */
  assignedManager: AssignedManager | null;
  /** A paid order's invoice, if issued. */
  invoice?: InvoiceRow | null;
  /** The act's flags, for a manager's view; undefined for a service center (the view then has no `flags`). */
  flags?: ActFlagRow[];
}

/** The invoice as the API shows it. */
export function toInvoiceView(invoice: InvoiceRow): InvoiceView {
  return {
    amount: invoice.amount,
    currency: invoice.currency,
    paymentReference: invoice.paymentReference,
    issuedAt: new Date(invoice.issuedAt),
    paidAt: invoice.paidAt ? new Date(invoice.paidAt) : null,
    lines: invoice.lines.map((l) => ({ ...l, quantity: Number(l.quantity) })),
  };
}

/** Parts still to ship after a partial parcel: none until some part of the act has shipped. */
export function pendingPartsOf(parts: Pick<ActPart, 'id' | 'ownPart' | 'shipmentId' | 'position'>[]): string[] {
  if (!parts.some((p) => p.shipmentId)) return [];
  return [...parts]
    .sort((a, b) => a.position - b.position)
    .filter((p) => !p.ownPart && !p.shipmentId)
    .map((p) => p.id);
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);

/** The act as the API shows it. Only the owning SC and managers ever reach this. */
export function toActView(act: Act, parts: ActPart[], photos: ActPhotoRow[], ctx: ViewContext): ActView {
  const p = act.product;
  const d = act.diagnosis;
  const e = act.extra;
  const reviewDueAt = ctx.reviewDueAt;
  return {
    id: act.id,
    number: act.number,
    status: act.status,
    statusLabel: statusLabel(act.status, ctx.language),
    resolution: act.resolution,
    resolutionLabel: act.resolution ? resolutionLabel(act.resolution, ctx.language) : null,
    serviceCenterId: act.serviceCenterId,
    kind: act.kind,
    preSale: p.condition === 'pre_sale',
    product: {
      categoryId: orNull(p.categoryId),
      model: orNull(p.model),
      serialNumber: p.noSerialNumber ? null : orNull(p.serialNumber),
      noSerialNumber: p.noSerialNumber ?? false,
      serialNumberText: p.noSerialNumber ? NO_SERIAL_NUMBER_TEXT : orNull(p.serialNumber),
      complaint: orNull(p.complaint),
      condition: orNull(p.condition),
      saleDate: orNull(p.saleDate),
      acceptedDate: orNull(p.acceptedDate),
      completeness: orNull(p.completeness),
      hasWarrantyCard: orNull(p.hasWarrantyCard),
      refusedWithin14Days: p.refusedWithin14Days ?? false,
      paidOrder: p.paidOrder ?? false,
    },
    diagnosis: {
      internalNumber: orNull(d.internalNumber),
      mechanic: orNull(d.mechanic),
      result: orNull(d.result),
      conclusion: orNull(d.conclusion),
      warrantyCase: orNull(d.warrantyCase),
    },
    parts: [...parts]
      .sort((a, b) => a.position - b.position)
      .map((part) => ({
        id: part.id,
        name: part.name,
        diagramNumber: part.diagramNumber,
        quantity: Number(part.quantity),
        unit: part.unit ?? 'pcs',
        ownPart: part.ownPart,
        unitPrice: part.unitPrice,
      })),
    extra: {
      customerName: orNull(e.customerName),
      customerPhone: orNull(e.customerPhone),
      sellerOrganization: orNull(e.sellerOrganization),
      complexity: orNull(e.complexity),
      productState: orNull(e.productState),
      repairEndDate: orNull(e.repairEndDate),
    },
    photos: photos.map(toPhotoView),
    replyDeadline: act.replyDeadline,
    mismatchDeadline: act.mismatchDeadline,
    reviewDueAt,
    reviewOverdue: reviewDueAt !== null && reviewDueAt.getTime() < ctx.now.getTime(),
    createdAt: act.createdAt,
    updatedAt: act.updatedAt,
    submittedAt: act.submittedAt,
    decidedAt: act.decidedAt,
    closedAt: act.closedAt,
    version: act.version,
    needsAttention: act.needsAttention ?? false,
    assignedManager: ctx.assignedManager,
    problem: act.problem ? { ...act.problem, reasonLabel: texts.problemReason[act.problem.reason] } : null,
    reasonCode: act.reasonCode ?? null,
    urgent: act.urgent ?? false,
    settlementId: act.settlementId ?? null,
    expectedDispatchDate: act.expectedDispatchDate ?? null,
    pendingParts: pendingPartsOf(parts),
    partialConsent: act.partialConsent ?? null,
    invoice: ctx.invoice ? toInvoiceView(ctx.invoice) : null,
    ...(ctx.flags ? { flags: ctx.flags.map(toFlagView) } : {}),
  };
}

function toFlagView(flag: ActFlagRow): ActFlagView {
  if (flag.type === FlagType.OutOfWarranty) {
    return { type: flag.type, warrantyMonths: flag.details?.warrantyMonths, warrantyEnd: flag.details?.warrantyEnd };
  }
  return { type: flag.type, actIds: flag.actIds };
}
