import { HttpStatus } from '@nestjs/common';
import { ProblemException } from '../common/problem';

/** The act's lifecycle (domain.md, "Lifecycle"). This file is the only place that knows it. */
export enum ActStatus {
  Draft = 'draft',
  Submitted = 'submitted',
  InfoRequested = 'info_requested',
  Approved = 'approved',
  PartsShipped = 'parts_shipped',
  PartsDelivered = 'parts_delivered',
  PartMismatch = 'part_mismatch',
  Closed = 'closed',
}

export enum Resolution {
  Repaired = 'repaired',
  WarrantyRefused = 'warranty_refused',
  NotWarranty = 'not_warranty',
  Withdrawn = 'withdrawn',
}

/** The resolutions a manager closes an act with (withdrawn is the SC's own, for drafts). */
export const MANAGER_CLOSING_RESOLUTIONS = [Resolution.Repaired, Resolution.WarrantyRefused, Resolution.NotWarranty] as const;

/** Who acts: the SC, a manager, or the system (worker, automatic checks). */
export enum ActorRole {
  ServiceCenter = 'service_center',
  Manager = 'manager',
  System = 'system',
}

export enum ActAction {
  Edit = 'edit',
  Withdraw = 'withdraw',
  Submit = 'submit',
  Comment = 'comment',
  AddPhoto = 'add_photo',
  DeletePhoto = 'delete_photo',
  /** The SC's comment or photo on an info_requested act. */
  Answer = 'answer',
  RequestInfo = 'request_info',
  Approve = 'approve',
  RefuseWarranty = 'refuse_warranty',
  Close = 'close',
  Reopen = 'reopen',
  Ship = 'ship',
  Deliver = 'deliver',
  MarkRepaired = 'mark_repaired',
  ReportMismatch = 'report_mismatch',
  ExpireReply = 'expire_reply',
  ExpireMismatch = 'expire_mismatch',
}

interface Rule {
  action: ActAction;
  from: ActStatus[];
  /** Undefined: the status stays (edits, comments, photos). */
  to?: ActStatus;
  /** Set for transitions into closed whose resolution is fixed by the action. */
  resolution?: Resolution;
  roles: ActorRole[];
}

const S = ActStatus;
const { ServiceCenter: SC, Manager: M, System: SYS } = ActorRole;
const OPEN = [S.Submitted, S.InfoRequested, S.Approved, S.PartsShipped, S.PartsDelivered, S.PartMismatch];
const BEFORE_CLOSING = [S.Draft, ...OPEN];

/** (status, action) → status, with the roles allowed. */
export const ACT_RULES: readonly Rule[] = [
  { action: ActAction.Edit, from: [S.Draft, S.InfoRequested], roles: [SC] },
  { action: ActAction.Edit, from: BEFORE_CLOSING, roles: [M] },
  { action: ActAction.Withdraw, from: [S.Draft], to: S.Closed, resolution: Resolution.Withdrawn, roles: [SC] },
  { action: ActAction.Submit, from: [S.Draft], to: S.Submitted, roles: [SC] },
  { action: ActAction.Comment, from: BEFORE_CLOSING, roles: [SC] },
  { action: ActAction.Comment, from: [...BEFORE_CLOSING, S.Closed], roles: [M, SYS] },
  { action: ActAction.AddPhoto, from: [S.Draft, S.Submitted, S.InfoRequested], roles: [SC] },
  { action: ActAction.AddPhoto, from: [...BEFORE_CLOSING, S.Closed], roles: [M] },
  { action: ActAction.DeletePhoto, from: [S.Draft, S.InfoRequested], roles: [SC] },
  { action: ActAction.DeletePhoto, from: [...BEFORE_CLOSING, S.Closed], roles: [M] },
  { action: ActAction.Answer, from: [S.InfoRequested], to: S.Submitted, roles: [SC] },
  { action: ActAction.RequestInfo, from: [S.Submitted, S.InfoRequested], to: S.InfoRequested, roles: [M, SYS] },
  { action: ActAction.Approve, from: [S.Submitted], to: S.Approved, roles: [M] },
  { action: ActAction.RefuseWarranty, from: [S.Submitted], to: S.Closed, resolution: Resolution.NotWarranty, roles: [M] },
  { action: ActAction.Close, from: OPEN, to: S.Closed, roles: [M] },
  { action: ActAction.Reopen, from: [S.Closed], to: S.Submitted, roles: [M] },
  { action: ActAction.Ship, from: [S.Approved, S.PartMismatch], to: S.PartsShipped, roles: [M] },
  { action: ActAction.Deliver, from: [S.PartsShipped], to: S.PartsDelivered, roles: [M] },
  { action: ActAction.MarkRepaired, from: [S.PartsShipped, S.PartsDelivered], to: S.Closed, resolution: Resolution.Repaired, roles: [SC] },
  { action: ActAction.ReportMismatch, from: [S.PartsDelivered], to: S.PartMismatch, roles: [SC] },
  { action: ActAction.ExpireReply, from: [S.InfoRequested], to: S.Closed, resolution: Resolution.WarrantyRefused, roles: [SYS] },
  { action: ActAction.ExpireMismatch, from: [S.PartsDelivered], to: S.Closed, resolution: Resolution.Repaired, roles: [SYS] },
];

export interface Transition {
  from: ActStatus;
  to: ActStatus;
  resolution?: Resolution;
}

/** The transition an action makes from a status, or undefined when the machine forbids it. */
export function findTransition(status: ActStatus, action: ActAction, role: ActorRole): Transition | undefined {
  const rule = ACT_RULES.find((r) => r.action === action && r.roles.includes(role) && r.from.includes(status));
  return rule ? { from: status, to: rule.to ?? status, resolution: rule.resolution } : undefined;
}

/** Like findTransition, but a forbidden action is a 409 problem naming the status and the action. */
export function transitionFor(status: ActStatus, action: ActAction, role: ActorRole): Transition {
  const transition = findTransition(status, action, role);
  if (!transition) {
    throw new ProblemException(
      HttpStatus.CONFLICT,
      'action-not-allowed',
      `The action ${action} is not allowed on an act in status ${status}` +
        (role === ActorRole.System ? '.' : ` for the role ${role}.`),
      { currentStatus: status, action, allowedFrom: allowedFrom(action, role) },
    );
  }
  return transition;
}

/** The statuses from which a role may take an action (for error messages and docs). */
export function allowedFrom(action: ActAction, role: ActorRole): ActStatus[] {
  return ACT_RULES.filter((r) => r.action === action && r.roles.includes(role)).flatMap((r) => r.from);
}

export function isClosed(status: ActStatus): boolean {
  return status === ActStatus.Closed;
}

const STATUS_LABELS: Record<'ru' | 'en', Record<ActStatus, string>> = {
  ru: {
    draft: 'Черновик',
    submitted: 'На рассмотрении',
    info_requested: 'Запрошена информация',
    approved: 'Одобрен',
    parts_shipped: 'Запчасти отправлены',
    parts_delivered: 'Запчасти доставлены',
    part_mismatch: 'Несоответствие запчасти',
    closed: 'Закрыт',
  },
  en: {
    draft: 'Draft',
    submitted: 'Under review',
    info_requested: 'Information requested',
    approved: 'Approved',
    parts_shipped: 'Parts shipped',
    parts_delivered: 'Parts delivered',
    part_mismatch: 'Wrong or missing part',
    closed: 'Closed',
  },
};

const RESOLUTION_LABELS: Record<'ru' | 'en', Record<Resolution, string>> = {
  ru: {
    repaired: 'Отремонтирован',
    warranty_refused: 'ОТКАЗ в ГО',
    not_warranty: 'Не гарантийный случай',
    withdrawn: 'Отозван',
  },
  en: {
    repaired: 'Repaired',
    warranty_refused: 'Warranty refused (no answer)',
    not_warranty: 'Not a warranty case',
    withdrawn: 'Withdrawn',
  },
};

export type Language = 'ru' | 'en';

/** Russian unless the caller prefers English (Accept-Language: en...). */
export function languageOf(acceptLanguage: string | undefined): Language {
  if (!acceptLanguage) return 'ru';
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.split('-')[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((l) => (l.tag === 'ru' || l.tag === 'en') && l.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.tag as Language | undefined) ?? 'ru';
}

export function statusLabel(status: ActStatus, language: Language = 'ru'): string {
  return STATUS_LABELS[language][status];
}

export function resolutionLabel(resolution: Resolution, language: Language = 'ru'): string {
  return RESOLUTION_LABELS[language][resolution];
}
