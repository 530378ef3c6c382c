import { csvHead, csvRow } from './csv';
import { COMPENSATION_CSV_HEADER } from './reports.csv';
import type { CompensationRow } from './reports.repository';

/**
 * The compensation rows (own-part lines with their act, service center and grand totals, see
 * compensationRollupSql) written as JSON or CSV while they are read from the database, one
 * row at a time: nothing but the current service center's total is held. The texts are the ones
 * JSON.stringify wrote for the nested views before (same keys, same order), so the bodies did not
 * change by a byte.
 */

const json = JSON.stringify;

/** An act's opening, up to its lines. */
const actOpen = (row: CompensationRow) =>
  `{"actId":${json(row.act_id)},"number":${json(row.number)},"closedAt":${json(row.closed_at)},"closedOn":${json(row.closed_on)},"lines":[`;

const lineJson = (row: CompensationRow) =>
  json({
    partId: row.part_id,
    partName: row.part_name,
    diagramNumber: row.diagram_number,
    quantity: Number(row.quantity),
    unitPrice: row.unit_price,
    lineTotal: row.amount,
  });

export interface ServiceCenterJson {
  /** The service center's opening, up to `"acts":[`, from its total row. */
  open(row: CompensationRow): string;
  /** What follows its acts' list (`]` and the rest), from its total row. */
  close(row: CompensationRow): string;
}

/**
 * The `serviceCenters` array's items (without the brackets) from rows in `totals-first` order
 * (the grand total, then each service center's total before its acts, each act's total after its
 * lines). `onTotal` gets the grand total row and returns what to write at once, if anything.
 */
export async function* serviceCentersJson(
  rows: AsyncIterable<CompensationRow>,
  sc: ServiceCenterJson,
  onTotal: (row: CompensationRow) => string | undefined,
): AsyncGenerator<string> {
  let current: CompensationRow | undefined;
  let acts = 0;
  let lines = 0;
  for await (const row of rows) {
    switch (row.level) {
      case 'total': {
        const text = onTotal(row);
        if (text) yield text;
        break;
      }
      case 'service_center':
        if (current) yield sc.close(current) + ',';
        yield sc.open(row);
        current = row;
        acts = 0;
        break;
      case 'line':
        if (lines === 0) yield (acts > 0 ? ',' : '') + actOpen(row);
        yield (lines > 0 ? ',' : '') + lineJson(row);
        lines += 1;
        break;
      case 'act':
        yield `],"total":${json(row.amount)}}`;
        acts += 1;
        lines = 0;
        break;
    }
  }
  if (current) yield sc.close(current);
}

/** The compensation report's service center: `{ serviceCenterId, serviceCenterName, actCount, acts, total }`. */
export const COMPENSATION_SERVICE_CENTER_JSON: ServiceCenterJson = {
  open: (row) =>
    `{"serviceCenterId":${json(row.service_center_id)},"serviceCenterName":${json(row.service_center_name)},"actCount":${row.act_count},"acts":[`,
  close: (row) => `],"total":${json(row.amount)}}`,
};

/**
 * The compensation report's JSON: the fields of `head` (from, to, timeZone, serviceCenterId,
 * settled), `serviceCenters`, then `actCount`, `lineCount` and `total` from the grand total row.
 */
export async function* compensationJson(head: object, rows: AsyncIterable<CompensationRow>): AsyncGenerator<string> {
  let total: CompensationRow | undefined;
  yield `${json(head).slice(0, -1)},"serviceCenters":[`;
  yield* serviceCentersJson(rows, COMPENSATION_SERVICE_CENTER_JSON, (row) => void (total = row));
  yield `],"actCount":${total?.act_count ?? 0},"lineCount":${total?.line_count ?? 0},"total":${json(total?.amount ?? '0.00')}}`;
}

/**
 * The compensation CSV (COMPENSATION_CSV_HEADER) from rows in `totals-last` order: each own part a
 * `line` row, then the `act`, `service_center` and `total` rows. `total`, when given, is the grand
 * total written in the last row instead of the rows' sum (a settlement's stored amount).
 */
export async function* compensationCsvRows(rows: AsyncIterable<CompensationRow>, total?: string): AsyncGenerator<string> {
  yield csvHead(COMPENSATION_CSV_HEADER);
  for await (const row of rows) {
    const sc = [row.service_center_id, row.service_center_name] as const;
    switch (row.level) {
      case 'line':
        yield csvRow(['line', ...sc, row.number, row.closed_on, row.part_name, row.diagram_number, Number(row.quantity), row.unit_price, row.amount]);
        break;
      case 'act':
        yield csvRow(['act', ...sc, row.number, row.closed_on, null, null, null, null, row.amount]);
        break;
      case 'service_center':
        yield csvRow(['service_center', ...sc, null, null, null, null, null, null, row.amount]);
        break;
      case 'total':
        yield csvRow(['total', null, null, null, null, null, null, null, null, total ?? row.amount]);
        break;
    }
  }
}
