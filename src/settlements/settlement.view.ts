import { CompensationLineView } from '../reports/reports.view';

/** A service center's part of a settlement. */
export class SettlementServiceCenterView {
  id: string;
  name: string;
  actCount: number;
  /** Roubles, decimal string with 2 fraction digits, e.g. "1535.80". */
  amount: string;
}

/**
 * A compensation settlement: the own parts of the acts it took, paid once. A service center
 * sees only its own acts: actCount, amount and serviceCenters are limited to them.
 */
export class SettlementView {
  id: string;
  /** The last closing day (YYYY-MM-DD, Moscow time) of the acts it took. */
  closedTo: string;
  /** Set when the settlement was limited to one service center. */
  serviceCenterId: string | null;
  createdAt: Date;
  /** The id of the manager who made it. */
  createdBy: string;
  actCount: number;
  /** Sum of the own-part line amounts (each quantity × unit price, rounded to kopecks), e.g. "1535.80". */
  amount: string;
  /** Ordered by name. */
  serviceCenters: SettlementServiceCenterView[];
}

/** A settled act with its own-part lines, as in the compensation report. */
export class SettlementActView {
  actId: string;
  number: string;
  /** When the act was closed; null while a reopened act is open again (it stays settled). */
  closedAt: Date | null;
  /** The closing day in Moscow time, YYYY-MM-DD; null with closedAt. */
  closedOn: string | null;
  lines: CompensationLineView[];
  /** Sum of the act's line amounts. */
  total: string;
}

export class SettlementServiceCenterDetailView extends SettlementServiceCenterView {
  /** Its acts in the settlement, by closing time. */
  acts: SettlementActView[];
}

/** A settlement with every act and own-part line it paid (an SC: its own only). */
export class SettlementDetailView {
  id: string;
  /** The last closing day (YYYY-MM-DD, Moscow time) of the acts it took. */
  closedTo: string;
  /** Set when the settlement was limited to one service center. */
  serviceCenterId: string | null;
  createdAt: Date;
  /** The id of the manager who made it. */
  createdBy: string;
  actCount: number;
  lineCount: number;
  /** Sum of the own-part line amounts, e.g. "1535.80". */
  amount: string;
  /** Ordered by name, each with its acts and their lines. */
  serviceCenters: SettlementServiceCenterDetailView[];
}

export class SettlementPageView {
  items: SettlementView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
