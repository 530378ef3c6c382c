import { ApiProperty } from '@nestjs/swagger';
import { QUALITY_GROUPS, type QualityGroup } from './reports.repository';
import { ApiDate, ApiInteger, ApiMoney } from '../common/openapi';

/** One own-part line of an act: what the SC took from its own stock and is compensated for. */
export class CompensationLineView {
  partId: string;
  partName: string;
  diagramNumber: string | null;
  quantity: number;
  /** Roubles, decimal string with 2 fraction digits ("150.50"); null when the SC gave no price (adds nothing to totals). */
  @ApiMoney()
  unitPrice: string | null;
  /** quantity × unitPrice, computed exactly (numeric), e.g. "301.00"; null when unitPrice is null. */
  @ApiMoney()
  lineTotal: string | null;
}

export class CompensationActView {
  actId: string;
  number: string;
  closedAt: Date;
  /** The closing day in Moscow time, YYYY-MM-DD: the day the period is matched against. */
  @ApiDate()
  closedOn: string;
  lines: CompensationLineView[];
  /** Sum of the act's line totals (each rounded to kopecks), e.g. "301.30". */
  @ApiMoney()
  total: string;
}

export class CompensationServiceCenterView {
  serviceCenterId: string;
  serviceCenterName: string;
  @ApiInteger()
  actCount: number;
  acts: CompensationActView[];
  /** Sum over the service center's acts. */
  @ApiMoney()
  total: string;
}

/**
 * Own parts to compensate: warranty acts closed as repaired in the period, with their own-part
 * lines. Acts without own parts are left out. Money is exact, summed in the database.
 */
export class CompensationReportView {
  @ApiDate()
  from: string;
  @ApiDate()
  to: string;
  /** The period's days are calendar days in this time zone (always Europe/Moscow). */
  timeZone: string;
  /** Set when the report was limited to one service center. */
  serviceCenterId: string | null;
  /** true: only settled acts; false: only acts not settled yet; null: both (the `settled` parameter). */
  settled: boolean | null;
  /** Ordered by name. */
  serviceCenters: CompensationServiceCenterView[];
  @ApiInteger()
  actCount: number;
  @ApiInteger()
  lineCount: number;
  /** Sum over every service center, "0.00" when nothing matched. */
  @ApiMoney()
  total: string;
}

/** Acts in each status, every status present (0 when none). */
export class StatusCountsView {
  draft: number;
  submitted: number;
  info_requested: number;
  approved: number;
  parts_shipped: number;
  parts_delivered: number;
  part_mismatch: number;
  closed: number;
}

export class OverdueActView {
  actId: string;
  number: string;
  serviceCenterId: string;
  serviceCenterName: string;
  submittedAt: Date;
  /** Hours since submission, 1 decimal. */
  ageHours: number;
}

/** Submitted acts waiting for a manager longer than the review SLA (`REVIEW_SLA`). */
export class OverdueReviewView {
  /** The SLA in hours. */
  slaHours: number;
  @ApiInteger()
  count: number;
  /** The oldest ones (up to 10), oldest first. */
  oldest: OverdueActView[];
}

/** Time from submission to a manager's decision, over acts decided in the last `windowDays` days. */
export class DecisionTimeView {
  windowDays: number;
  @ApiInteger()
  decidedCount: number;
  /** Median in hours (continuous percentile, 2 decimals); null when no act was decided. */
  medianHours: number | null;
  /** 90th percentile in hours (continuous, 2 decimals); null when no act was decided. */
  p90Hours: number | null;
}

export class AutoRefusedServiceCenterView {
  serviceCenterId: string;
  serviceCenterName: string;
  @ApiInteger()
  count: number;
}

/** Acts the system closed as warranty_refused (no answer by the reply deadline) in the last `windowDays` days. */
export class AutoRefusedView {
  windowDays: number;
  @ApiInteger()
  count: number;
  /** Most refusals first. */
  byServiceCenter: AutoRefusedServiceCenterView[];
}

export class SummaryReportView {
  /** The "now" the figures were computed at. */
  generatedAt: Date;
  serviceCenterId: string | null;
  byStatus: StatusCountsView;
  overdueReview: OverdueReviewView;
  decisionTime: DecisionTimeView;
  autoRefused: AutoRefusedView;
}

/** One group of the quality report. Counts are of acts closed in the period (withdrawn drafts aside). */
export class QualityItemView {
  /** The group: a category's or service center's id, a normalised model or part name, a reason code; `none` for acts without one. */
  key: string;
  /** The group as people read it: the category's or service center's name, the model or part name as written, the reason's label (Accept-Language). */
  label: string;
  /** Acts of the group closed in the period; with `groupBy=part`, acts that have a line of that part. */
  @ApiInteger()
  acts: number;
  /** Of them, acts a manager approved (decision warranty or paid), whatever their closing resolution. */
  @ApiInteger()
  approved: number;
  /** Closed `not_warranty` (a manager's decision). */
  @ApiInteger()
  notWarranty: number;
  /** Closed `warranty_refused` (no answer by the reply deadline, or a manager's closing). */
  @ApiInteger()
  warrantyRefused: number;
  /** Closed `not_repaired` (repair impossible). */
  @ApiInteger()
  notRepaired: number;
  /** Closed `refund_or_exchange` (14-day refusals). */
  @ApiInteger()
  refund: number;
  /** Part lines to ship (not the SC's own) that a parcel carried; with `groupBy=part`, lines of that part. */
  @ApiInteger()
  partsShipped: number;
  /** Own-part compensation of the group's acts closed `repaired` (kind warranty), as in the compensation report: roubles, e.g. "1535.80"; with `groupBy=part`, that part's own lines only. */
  @ApiMoney()
  ownPartCompensation: string;
}

/** Which categories, models, parts, reasons or service centers fail and how their claims end, most acts first. */
export class QualityReportView {
  @ApiDate()
  from: string;
  @ApiDate()
  to: string;
  /** The period's days are calendar days in this time zone (always Europe/Moscow). */
  timeZone: string;
  @ApiProperty({ enum: QUALITY_GROUPS })
  groupBy: QualityGroup;
  /** Most acts first, then by key. */
  items: QualityItemView[];
}
