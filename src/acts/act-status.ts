import { DomainConflict } from '../common/domain-error';
import { DetailMessage, detailMessage } from '../messages/problems.catalogue';

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
  /** The repair failed after the parts came (another unit failed, wrong parts): never compensated. */
  NotRepaired = 'not_repaired',
  /** A 14-day refusal confirmed: the retailer refunds or exchanges the product. */
  RefundOrExchange = 'refund_or_exchange',
}

/** The resolutions a manager closes an act with (withdrawn is the SC's own, for drafts). */
export const MANAGER_CLOSING_RESOLUTIONS = [
  Resolution.Repaired,
  Resolution.WarrantyRefused,
  Resolution.NotWarranty,
  Resolution.NotRepaired,
  Resolution.RefundOrExchange,
] as const;

/** Where a manager may reopen a closed act to (POST /acts/:id/reopen `to`). */
export const REOPEN_TARGETS = [ActStatus.Submitted, ActStatus.Approved, ActStatus.PartMismatch] as const;

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
  RequestInfo = 'request_info',
  Approve = 'approve',
  RefuseWarranty = 'refuse_warranty',
  /** The manager confirms a 14-day refusal. */
  Refund = 'refund',
  Close = 'close',
  Reopen = 'reopen',
  Ship = 'ship',
  Deliver = 'deliver',
  MarkRepaired = 'mark_repaired',
  ReportMismatch = 'report_mismatch',
  /** The SC says whether the available parts may ship first, the rest later (partial parcels). */
  ConsentPartial = 'consent_partial',
  /** Paid orders: the manager prices the parts and the SC is billed, then the payment is recorded. */
  IssueInvoice = 'issue_invoice',
  RecordPayment = 'record_payment',
  ExpireReply = 'expire_reply',
  ExpireMismatch = 'expire_mismatch',
}

interface Rule {
  action: ActAction;
  from: ActStatus[];
  roles: ActorRole[];
  /** Only for closed acts with one of these resolutions. */
  resolutions?: Resolution[];
  /** Undefined: the status stays (edits, comments, photos). */
  to?: ActStatus;
  /** Set for transitions into closed whose resolution is fixed by the action. */
  resolution?: Resolution;
  /** Done already: the action is answered as a success and changes nothing (a repeated submit). */
  noop?: true;
  /** Refused with its own problem, where "not from this status" would not say why. */
  refuse?: { slug: string; detail: DetailMessage };
  /** Only when this fact about the act holds (the rule is skipped otherwise). */
  when?: keyof ActFacts;
  /** The statuses the caller may choose from (the first is the default); `to` is then unset. */
  toChoices?: readonly ActStatus[];
  /** Another action the act takes first, in the same change (a problem reported on a parcel in transit: delivered first). */
  before?: ActAction;
  /** The act waits for a manager: its automatic closing deadline is cleared and it needs attention. */
  holds?: true;
}

/** Facts about an act that some rules depend on besides its status. */
export interface ActFacts {
  /** Every part is the SC's own, or there are none: nothing ships. */
  nothingToShip?: boolean;
  /** A parcel carried some of the act's parts and others are still to ship (`pendingParts`). */
  partsPending?: boolean;
  /** On a delivery: the act still waits for another parcel of its round, or for parts still to ship. */
  moreToCome?: boolean;
}

/** Every fact's name (for the spec that tries each). */
export const ACT_FACT_NAMES: readonly (keyof ActFacts)[] = ['nothingToShip', 'partsPending', 'moreToCome'];

const S = ActStatus;
const { ServiceCenter: SC, Manager: M, System: SYS } = ActorRole;
const OPEN = [S.Submitted, S.InfoRequested, S.Approved, S.PartsShipped, S.PartsDelivered, S.PartMismatch];
const BEFORE_CLOSING = [S.Draft, ...OPEN];
const PAST_DRAFT = [...OPEN, S.Closed];

/**
 * (status, action, role) → status. The first rule that matches decides, so a narrower rule (a
 * resolution, a fact, the SC's answer to a question) stands before the broader one for the same
 * action.
 */
export const ACT_RULES: readonly Rule[] = [
  // The SC answers a question by anything it adds or corrects: back to submitted.
  { action: ActAction.Edit, from: [S.InfoRequested], to: S.Submitted, roles: [SC] },
  { action: ActAction.Edit, from: [S.Draft], roles: [SC] },
  { action: ActAction.Edit, from: BEFORE_CLOSING, roles: [M] },
  { action: ActAction.Withdraw, from: [S.Draft], to: S.Closed, resolution: Resolution.Withdrawn, roles: [SC] },
  { action: ActAction.Withdraw, from: [S.Closed], resolutions: [Resolution.Withdrawn], noop: true, roles: [SC] },
  { action: ActAction.Submit, from: [S.Draft], to: S.Submitted, roles: [SC] },
  { action: ActAction.Submit, from: PAST_DRAFT, noop: true, roles: [SC] },
  { action: ActAction.Comment, from: [S.InfoRequested], to: S.Submitted, roles: [SC] },
  // Any word from the SC after delivery stops the automatic "repaired" and waits for a manager.
  { action: ActAction.Comment, from: [S.PartsDelivered], holds: true, roles: [SC] },
  { action: ActAction.Comment, from: BEFORE_CLOSING, roles: [SC] },
  { action: ActAction.Comment, from: [...BEFORE_CLOSING, S.Closed], roles: [M, SYS] },
  { action: ActAction.AddPhoto, from: [S.InfoRequested], to: S.Submitted, roles: [SC] },
  { action: ActAction.AddPhoto, from: BEFORE_CLOSING, roles: [SC] },
  { action: ActAction.AddPhoto, from: [...BEFORE_CLOSING, S.Closed], roles: [M] },
  { action: ActAction.DeletePhoto, from: [S.Draft, S.InfoRequested], roles: [SC] },
  { action: ActAction.DeletePhoto, from: [...BEFORE_CLOSING, S.Closed], roles: [M] },
  { action: ActAction.RequestInfo, from: [S.Submitted, S.InfoRequested], to: S.InfoRequested, roles: [M, SYS] },
  { action: ActAction.Approve, from: [S.Submitted], to: S.Approved, roles: [M] },
  { action: ActAction.RefuseWarranty, from: [S.Submitted], to: S.Closed, resolution: Resolution.NotWarranty, roles: [M] },
  { action: ActAction.Refund, from: [S.Submitted], to: S.Closed, resolution: Resolution.RefundOrExchange, roles: [M] },
  { action: ActAction.Close, from: OPEN, to: S.Closed, roles: [M] },
  {
    action: ActAction.Reopen,
    from: [S.Closed],
    resolutions: [Resolution.Withdrawn],
    roles: [M],
    refuse: { slug: 'withdrawn-act', detail: detailMessage('withdrawnAct') },
  },
  { action: ActAction.Reopen, from: [S.Closed], toChoices: REOPEN_TARGETS, roles: [M] },
  { action: ActAction.Ship, from: [S.Approved, S.PartMismatch], to: S.PartsShipped, roles: [M] },
  // A later parcel with the parts left after a partial one (a delivered act waits for them again).
  { action: ActAction.Ship, from: [S.PartsShipped, S.PartsDelivered], when: 'partsPending', to: S.PartsShipped, roles: [M] },
  // One parcel of several arrived: the act waits for the rest (the parcel's delivery is recorded on it).
  { action: ActAction.Deliver, from: [S.PartsShipped], when: 'moreToCome', roles: [M, SC] },
  { action: ActAction.Deliver, from: [S.PartsShipped], to: S.PartsDelivered, roles: [M, SC] },
  {
    action: ActAction.ConsentPartial,
    from: [S.Submitted, S.InfoRequested, S.Approved, S.PartsShipped, S.PartsDelivered, S.PartMismatch],
    roles: [SC],
  },
  { action: ActAction.IssueInvoice, from: [S.Approved], roles: [M] },
  { action: ActAction.RecordPayment, from: [S.Approved], roles: [M] },
  { action: ActAction.MarkRepaired, from: [S.PartsShipped, S.PartsDelivered], to: S.Closed, resolution: Resolution.Repaired, roles: [SC] },
  { action: ActAction.MarkRepaired, from: [S.Approved], when: 'nothingToShip', to: S.Closed, resolution: Resolution.Repaired, roles: [SC] },
  { action: ActAction.ReportMismatch, from: [S.PartsShipped], before: ActAction.Deliver, to: S.PartMismatch, roles: [SC] },
  { action: ActAction.ReportMismatch, from: [S.PartsDelivered], to: S.PartMismatch, roles: [SC] },
  { action: ActAction.ExpireReply, from: [S.InfoRequested], to: S.Closed, resolution: Resolution.WarrantyRefused, roles: [SYS] },
  { action: ActAction.ExpireMismatch, from: [S.PartsDelivered], to: S.Closed, resolution: Resolution.Repaired, roles: [SYS] },
];

/** What the machine looks at: the status, and for a closed act its resolution. */
export interface ActState extends ActFacts {
  status: ActStatus;
  resolution?: Resolution | null;
}

export interface Transition {
  from: ActStatus;
  to: ActStatus;
  resolution?: Resolution;
  /** The action was done before: answer it, change nothing. */
  noop?: true;
  /** For actions whose target the caller chooses (a reopen): the statuses allowed; `to` is the default. */
  choices?: readonly ActStatus[];
  /** The action the act takes first, in the same change. */
  before?: ActAction;
  /** The act now waits for a manager (deadline cleared, needs attention). */
  holds?: true;
}

/** An action the act's status does not allow to this role (or a narrower rule refuses). */
export class ActionNotAllowed extends DomainConflict {}

function ruleFor(state: ActState, action: ActAction, role: ActorRole): Rule | undefined {
  return ACT_RULES.find(
    (r) =>
      r.action === action &&
      r.roles.includes(role) &&
      r.from.includes(state.status) &&
      (!r.resolutions || (state.resolution != null && r.resolutions.includes(state.resolution))) &&
      (!r.when || state[r.when] === true),
  );
}

/** The transition an action makes from a state, or undefined when the machine forbids it. */
export function findTransition(state: ActState, action: ActAction, role: ActorRole): Transition | undefined {
  const rule = ruleFor(state, action, role);
  if (!rule || rule.refuse) return undefined;
  return {
    from: state.status,
    to: rule.to ?? rule.toChoices?.[0] ?? state.status,
    resolution: rule.resolution,
    ...(rule.noop ? { noop: true as const } : {}),
    ...(rule.toChoices ? { choices: rule.toChoices } : {}),
    ...(rule.before ? { before: rule.before } : {}),
    ...(rule.holds ? { holds: true as const } : {}),
  };
}

/** Like findTransition, but a forbidden action is an ActionNotAllowed naming the status and the action. */
export function transitionFor(state: ActState, action: ActAction, role: ActorRole): Transition {
  const transition = findTransition(state, action, role);
  if (transition) return transition;
  const refusal = ruleFor(state, action, role)?.refuse;
  if (refusal) {
    throw new ActionNotAllowed(refusal.slug, refusal.detail, { currentStatus: state.status, resolution: state.resolution, action });
  }
  throw new ActionNotAllowed(
    'action-not-allowed',
    detailMessage('actionNotAllowed', { action, status: state.status, ...(role === ActorRole.System ? {} : { role }) }),
    { currentStatus: state.status, action, allowedFrom: allowedFrom(action, role) },
  );
}

/** True when the action moves the act (a status change or a closing), not a no-op or a stay. */
export function changesStatus(transition: Transition): boolean {
  return !transition.noop && (transition.from !== transition.to || transition.resolution !== undefined);
}

/** A choosable target (a reopen's `to`) checked against the machine's choices. */
export function chosenTarget(transition: Transition, to: ActStatus | undefined): ActStatus {
  if (to === undefined || !transition.choices) return transition.to;
  if (!transition.choices.includes(to)) throw new Error(`${to} is not a target of this action`);
  return to;
}

/** The statuses from which a role may take an action (for error messages and docs); `unconditional`: leaving out rules that need a fact. */
export function allowedFrom(action: ActAction, role: ActorRole, unconditional = false): ActStatus[] {
  const statuses = ACT_RULES.filter(
    (r) => r.action === action && r.roles.includes(role) && !r.noop && !r.refuse && !(unconditional && r.when),
  ).flatMap((r) => r.from);
  return [...new Set(statuses)];
}

export function isClosed(status: ActStatus): boolean {
  return status === ActStatus.Closed;
}
