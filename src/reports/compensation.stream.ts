import { formatKopecks, toKopecks } from '../common/money';
import { csvHead, csvRow } from './csv';
import { COMPENSATION_CSV_HEADER } from './reports.csv';
import type { CompensationLine } from './reports.repository';

/**
 * The compensation lines (compensationLinesSql: each line, the act and the service center it
 * opens) written as JSON or CSV while they are read from the database: nothing is held but the
 * open service center's and act's first lines and the running grand total. The texts are the
 * ones JSON.stringify wrote for the nested views (same keys, same order), so the bodies are the
 * same to the byte.
 */

const json = JSON.stringify;

/** An act's opening, up to its lines, from its first line. */
const actOpen = (row: CompensationLine) =>
  `{"actId":${json(row.act_id)},"number":${json(row.number)},"closedAt":${json(row.closed_at)},"closedOn":${json(row.closed_on)},"lines":[`;

const lineJson = (row: CompensationLine) =>
  `{"partId":${json(row.part_id)},"partName":${json(row.part_name)},"diagramNumber":${json(row.diagram_number)},` +
  `"quantity":${Number(row.quantity)},"unitPrice":${json(row.unit_price)},"lineTotal":${json(row.amount)}}`;

export interface ServiceCenterJson {
  /** The service center's opening, up to `"acts":[`, from its first line. */
  open(row: CompensationLine): string;
  /** What follows its acts' list (`]` and the rest), from its first line. */
  close(row: CompensationLine): string;
}

/** The acts, lines and amount of the service centers written so far. */
class CompensationTotals {
  acts = 0;
  lines = 0;
  private kopecks = 0n;

  add(serviceCenter: CompensationLine): void {
    this.acts += serviceCenter.sc_act_count ?? 0;
    this.lines += serviceCenter.sc_line_count ?? 0;
    this.kopecks += toKopecks(serviceCenter.sc_amount ?? '0');
  }

  get amount(): string {
    return formatKopecks(this.kopecks);
  }
}

/**
 * The `serviceCenters` array's items (without the brackets) from the lines. `before` is written
 * ahead of the first item, from the first line (undefined when there is none); `totals`, when
 * given, counts what was written.
 */
export async function* serviceCentersJson(
  rows: AsyncIterable<CompensationLine>,
  sc: ServiceCenterJson,
  before?: (first: CompensationLine | undefined) => string,
  totals?: CompensationTotals,
): AsyncGenerator<string> {
  let serviceCenter: CompensationLine | undefined;
  let actTotal: string | null = null;
  for await (const row of rows) {
    let text = '';
    if (row.act_id !== null) {
      if (serviceCenter) text += `],"total":${json(actTotal)}}`;
      if (row.service_center_id !== null) {
        if (serviceCenter) text += sc.close(serviceCenter) + ',';
        else if (before) text += before(row);
        text += sc.open(row);
        serviceCenter = row;
        totals?.add(row);
      } else {
        text += ',';
      }
      text += actOpen(row);
      actTotal = row.act_amount;
    } else {
      text += ',';
    }
    yield text + lineJson(row);
  }
  if (serviceCenter) yield `],"total":${json(actTotal)}}` + sc.close(serviceCenter);
  else if (before) yield before(undefined);
}

/** The compensation report's service center: `{ serviceCenterId, serviceCenterName, actCount, acts, total }`. */
export const COMPENSATION_SERVICE_CENTER_JSON: ServiceCenterJson = {
  open: (row) =>
    `{"serviceCenterId":${json(row.service_center_id)},"serviceCenterName":${json(row.service_center_name)},"actCount":${row.sc_act_count},"acts":[`,
  close: (row) => `],"total":${json(row.sc_amount)}}`,
};

/**
 * The compensation report's JSON: the fields of `head` (from, to, timeZone, serviceCenterId,
 * settled), `serviceCenters`, then `actCount`, `lineCount` and `total`, summed while written.
 */
export async function* compensationJson(head: object, rows: AsyncIterable<CompensationLine>): AsyncGenerator<string> {
  const totals = new CompensationTotals();
  yield `${json(head).slice(0, -1)},"serviceCenters":[`;
  yield* serviceCentersJson(rows, COMPENSATION_SERVICE_CENTER_JSON, undefined, totals);
  yield `],"actCount":${totals.acts},"lineCount":${totals.lines},"total":${json(totals.amount)}}`;
}

/**
 * The compensation CSV (COMPENSATION_CSV_HEADER): each own part a `line` row, each act's, each
 * service center's total after them, and the grand total last. `total`, when given, is written in
 * the last row instead of the lines' sum (a settlement's stored amount).
 */
export async function* compensationCsvRows(rows: AsyncIterable<CompensationLine>, total?: string): AsyncGenerator<string> {
  yield csvHead(COMPENSATION_CSV_HEADER);
  const totals = new CompensationTotals();
  let serviceCenter: CompensationLine | undefined;
  let act: CompensationLine | undefined;
  const actRow = (a: CompensationLine, s: CompensationLine) =>
    csvRow(['act', s.service_center_id, s.service_center_name, a.number, a.closed_on, null, null, null, null, a.act_amount]);
  const serviceCenterRow = (s: CompensationLine) =>
    csvRow(['service_center', s.service_center_id, s.service_center_name, null, null, null, null, null, null, s.sc_amount]);
  for await (const row of rows) {
    let text = '';
    if (row.act_id !== null) {
      if (act && serviceCenter) text += actRow(act, serviceCenter);
      if (row.service_center_id !== null) {
        if (serviceCenter) text += serviceCenterRow(serviceCenter);
        serviceCenter = row;
        totals.add(row);
      }
      act = row;
    }
    const s = serviceCenter as CompensationLine;
    const a = act as CompensationLine;
    yield (
      text +
      csvRow([
        'line',
        s.service_center_id,
        s.service_center_name,
        a.number,
        a.closed_on,
        row.part_name,
        row.diagram_number,
        Number(row.quantity),
        row.unit_price,
        row.amount,
      ])
    );
  }
  let end = '';
  if (act && serviceCenter) end += actRow(act, serviceCenter) + serviceCenterRow(serviceCenter);
  yield end + csvRow(['total', null, null, null, null, null, null, null, null, total ?? totals.amount]);
}
