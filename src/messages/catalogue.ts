import type { PartUnit, ProblemReason, ReasonCode } from '../acts/act-vocabulary';
import type { PhotoKind } from '../acts/photo-kind';
import type { ActStatus, Resolution } from '../acts/act-status';

/**
 * Every text a person reads, by typed key; values are formatted by functions, so that an enum
 * value can only reach a text through its label. Enum types are imported as types only: the
 * catalogue depends on the domain's vocabulary, never on its code.
 */

/** A part as a parcel's comment names it. */
export interface ParcelPart {
  name: string;
  diagramNumber: string | null;
  quantity: number;
  unit: PartUnit;
}

/** Labels shown in the API's answers, in the caller's language. */
export interface Labels {
  status: Record<ActStatus, string>;
  resolution: Record<Resolution, string>;
  reasonCode: Record<ReasonCode, string>;
  /** A report's group with no value (an act without a not-warranty reason code, a category or a model). */
  notGiven: string;
}

/**
 * What the service writes into acts and e-mails: system comments, history reasons, e-mails.
 * Russian only (API.md, "Language"): the SCs and managers read them as they are stored.
 */
export interface ActTexts {
  systemName: string;
  noSerialNumber: string;
  /** The ways SCs write "no serial number", lower case, without spaces or punctuation. */
  noSerialNumberSpellings: string[];
  problemReason: Record<ProblemReason, string>;
  unit: Record<PartUnit, string>;
  /** A section field's name as a person reads it (`product.saleDate`, `parts[0].unitPrice`). */
  fieldName: (path: string) => string;
  photoName: Record<PhotoKind, string>;
  reason: {
    withdrawn: string;
    missingPhotos: string;
    infoRequested: string;
    warranty: string;
    paid: string;
    notWarranty: string;
    repairedBySc: string;
    answeredByComment: string;
    answeredByEdit: string;
    refund: string;
    notWarrantyBecause: (reason: string) => string;
    deliveredBySc: string;
    problemReported: (reason: string) => string;
    answeredByPhoto: (photo: string) => string;
    delivered: (carrier: string, trackingNumber: string) => string;
    noReply: string;
    noMismatchReport: string;
  };
  comment: {
    missingPhotos: (photos: string[][], refusal: string) => string;
    shipped: (carrier: string, trackingNumber: string, urgent: boolean) => string;
    /** What a parcel carries for the act, and what is left for a later parcel (partial parcels); empty for a reship that names no part. */
    parcelParts: (carried: ParcelPart[], left: ParcelPart[]) => string;
    /** One parcel of several arrived; the act waits for the rest. */
    parcelArrived: (carrier: string, trackingNumber: string) => string;
    partialConsent: (consent: boolean) => string;
    /** `amount` a decimal string ("1234.50"). */
    invoiceIssued: (amount: string, paymentReference: string, replaced: boolean) => string;
    paymentRecorded: (amount: string, paidAt: Date) => string;
    closedForNoReply: (resolution: string) => string;
    closedForNoMismatchReport: (resolution: string) => string;
    /** «Менеджер исправил: …», one line per changed field. */
    managerEdit: (changes: { field: string; from: string; to: string }[]) => string;
    /** How a value of an edited field is shown in that comment. */
    value: (value: unknown) => string;
  };
  calendar: {
    /** The note of a day off moved by the Labour Code's article 112 from a holiday (day, month 1–12). */
    movedHoliday: (day: number, month: number) => string;
  };
  mail: {
    /** Reminders are written by SQL for many acts at once: `number` and `deadline` are markers it replaces. */
    replyReminder: (number: string, deadline: string, resolution: string) => { subject: string; body: string };
    mismatchReminder: (number: string, deadline: string, resolution: string) => { subject: string; body: string };
    /** To the SC, written by SQL for many parcels: the arguments are markers it replaces. */
    deliveryFollowUp: (carrier: string, trackingNumber: string, shippedAt: string, acts: string) => { subject: string; body: string };
    /** To managers: a paid order's invoice was paid. */
    invoicePaid: (number: string, serviceCenter: string, amount: string, paidAt: Date) => { subject: string; body: string };
  };
}
