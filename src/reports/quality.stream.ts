import { csvHead, csvRow } from './csv';
import type { QualityRow } from './reports.repository';
import type { QualityItemView, QualityReportView } from './reports.view';

/** The quality report's CSV columns, one row per group (the JSON items' fields, snake_case). */
export const QUALITY_CSV_HEADER = [
  'key',
  'label',
  'acts',
  'approved',
  'not_warranty',
  'warranty_refused',
  'not_repaired',
  'refund',
  'parts_shipped',
  'own_part_compensation',
] as const;

export type LabelOf = (row: QualityRow) => string;

function item(row: QualityRow, labelOf: LabelOf): QualityItemView {
  return {
    key: row.key,
    label: labelOf(row),
    acts: row.acts,
    approved: row.approved,
    notWarranty: row.not_warranty,
    warrantyRefused: row.warranty_refused,
    notRepaired: row.not_repaired,
    refund: row.refund,
    partsShipped: row.parts_shipped,
    ownPartCompensation: row.own_part_compensation,
  };
}

/** QualityReportView written as its groups are read. */
export async function* qualityJson(
  head: Omit<QualityReportView, 'items'>,
  rows: AsyncIterable<QualityRow>,
  labelOf: LabelOf,
): AsyncGenerator<string> {
  yield `${JSON.stringify(head).slice(0, -1)},"items":[`;
  let first = true;
  for await (const row of rows) {
    yield (first ? '' : ',') + JSON.stringify(item(row, labelOf));
    first = false;
  }
  yield ']}';
}

/** The quality report as CSV (QUALITY_CSV_HEADER), written as its groups are read. */
export async function* qualityCsv(rows: AsyncIterable<QualityRow>, labelOf: LabelOf): AsyncGenerator<string> {
  yield csvHead(QUALITY_CSV_HEADER);
  for await (const row of rows) {
    const i = item(row, labelOf);
    yield csvRow([
      i.key,
      i.label,
      i.acts,
      i.approved,
      i.notWarranty,
      i.warrantyRefused,
      i.notRepaired,
      i.refund,
      i.partsShipped,
      i.ownPartCompensation,
    ]);
  }
}
