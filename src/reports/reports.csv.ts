import { ActStatus } from '../acts/act-status';
import { statusLabel } from '../messages/messages';
import { Language } from '../messages/language';
import { CsvValue, toCsv } from './csv';
import { SummaryReportView } from './reports.view';

/**
 * The compensation report as one table. `row_type` says what a row is:
 * `line` (one own part; amount = quantity × unit_price), `act` (an act's total),
 * `service_center` (a service center's total), `total` (the grand total, last row).
 * Summing `amount` over the `line` rows gives the total. Money uses a decimal point.
 */
export const COMPENSATION_CSV_HEADER = [
  'row_type',
  'service_center_id',
  'service_center',
  'act_number',
  'closed_on',
  'part_name',
  'diagram_number',
  'quantity',
  'unit_price',
  'amount',
] as const;

/**
 * The summary as `section;key;label;value` rows:
 * - `status;<status>;<status label>;<count>` for every status;
 * - `overdue_review;sla_hours;;<h>`, `overdue_review;count;;<n>`, then
 *   `overdue_review_oldest;<act number>;<service center>;<age in hours>` oldest first;
 * - `decision_time;window_days|decided_count|median_hours|p90_hours;;<value>` (empty when null);
 * - `auto_refused;window_days|count;;<n>`, then `auto_refused_by_service_center;<service center id>;<name>;<n>`.
 * Hours use a decimal point.
 */
export const SUMMARY_CSV_HEADER = ['section', 'key', 'label', 'value'] as const;

export function summaryCsv(report: SummaryReportView, language: Language): string {
  const rows: CsvValue[][] = [];
  for (const status of Object.values(ActStatus)) rows.push(['status', status, statusLabel(status, language), report.byStatus[status]]);
  const overdue = report.overdueReview;
  rows.push(['overdue_review', 'sla_hours', null, overdue.slaHours], ['overdue_review', 'count', null, overdue.count]);
  for (const act of overdue.oldest) rows.push(['overdue_review_oldest', act.number, act.serviceCenterName, act.ageHours]);
  const decision = report.decisionTime;
  rows.push(
    ['decision_time', 'window_days', null, decision.windowDays],
    ['decision_time', 'decided_count', null, decision.decidedCount],
    ['decision_time', 'median_hours', null, decision.medianHours],
    ['decision_time', 'p90_hours', null, decision.p90Hours],
  );
  const refused = report.autoRefused;
  rows.push(['auto_refused', 'window_days', null, refused.windowDays], ['auto_refused', 'count', null, refused.count]);
  for (const sc of refused.byServiceCenter) rows.push(['auto_refused_by_service_center', sc.serviceCenterId, sc.serviceCenterName, sc.count]);
  return toCsv(SUMMARY_CSV_HEADER, rows);
}
