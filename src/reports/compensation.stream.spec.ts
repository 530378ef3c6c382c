import { collect } from '../common/row-stream';
import { compensationCsvRows, compensationJson } from './compensation.stream';
import { CsvValue, toCsv } from './csv';
import { COMPENSATION_CSV_HEADER } from './reports.csv';
import type { CompensationLine } from './reports.repository';
import type { CompensationActView, CompensationReportView, CompensationServiceCenterView } from './reports.view';

/**
 * The streamed writers against the in-memory way the reports were built before streaming (kept
 * here as the reference): for the same lines, the same bytes.
 */

type Report = Pick<CompensationReportView, 'serviceCenters' | 'actCount' | 'lineCount' | 'total'>;

/** The reference CSV, as reports.csv.ts wrote it from the nested report. */
function compensationCsv(report: Pick<CompensationReportView, 'serviceCenters' | 'total'>): string {
  const rows: CsvValue[][] = [];
  for (const sc of report.serviceCenters) {
    for (const act of sc.acts) {
      for (const line of act.lines) {
        rows.push([
          'line',
          sc.serviceCenterId,
          sc.serviceCenterName,
          act.number,
          act.closedOn,
          line.partName,
          line.diagramNumber,
          line.quantity,
          line.unitPrice,
          line.lineTotal,
        ]);
      }
      rows.push(['act', sc.serviceCenterId, sc.serviceCenterName, act.number, act.closedOn, null, null, null, null, act.total]);
    }
    rows.push(['service_center', sc.serviceCenterId, sc.serviceCenterName, null, null, null, null, null, null, sc.total]);
  }
  rows.push(['total', null, null, null, null, null, null, null, null, report.total]);
  return toCsv(COMPENSATION_CSV_HEADER, rows);
}

const cents = (money: string) => BigInt(money.replace('.', ''));
const money = (k: bigint) => `${k / 100n}.${String(k % 100n).padStart(2, '0')}`;

/**
 * Service centers (in name order), acts and lines: as the nested report (the reference) and as
 * the query's lines, where the first line of an act carries the act and the first line of a
 * service center the service center, with their totals (NULL on the other lines).
 */
function fixture(): { report: Report; lines: CompensationLine[] } {
  const centers = [
    { id: '00000000-0000-4000-8000-00000000000a', name: 'Альфа' },
    { id: '00000000-0000-4000-8000-00000000000c', name: 'Бета; "центр"' },
    { id: '00000000-0000-4000-8000-00000000000b', name: 'Вега-2' },
  ];
  const serviceCenters: CompensationServiceCenterView[] = [];
  const lines: CompensationLine[] = [];
  let grand = 0n;
  let lineCount = 0;
  centers.forEach((sc, s) => {
    const view: CompensationServiceCenterView = { serviceCenterId: sc.id, serviceCenterName: sc.name, actCount: s + 1, acts: [], total: '' };
    const scLines: CompensationLine[] = [];
    let scTotal = 0n;
    for (let a = 0; a < view.actCount; a++) {
      const act: CompensationActView = {
        actId: `00000000-0000-4000-8000-0000000${s}${a}000`,
        number: `ACT-2026-00${s}${a}01`,
        closedAt: new Date(Date.UTC(2026, 2, 10 + a, 9, 30)),
        closedOn: `2026-03-${10 + a}`,
        lines: [],
        total: '',
      };
      const actLines: CompensationLine[] = [];
      let actTotal = 0n;
      for (let l = 0; l <= a; l++) {
        const price = l === 1 ? null : `${100 + l}.50`;
        const quantity = l === 2 ? '1.500' : String(l + 1) + '.000';
        const amount = price === null ? null : money((cents(price) * BigInt(Math.round(Number(quantity) * 1000))) / 1000n);
        if (amount) actTotal += cents(amount);
        const line = {
          partId: `${act.actId.slice(0, -3)}${l}00`,
          partName: l === 0 ? '=HYPERLINK("x")' : `Шнур; ${l}`,
          diagramNumber: l === 0 ? null : `-${l}`,
          quantity: Number(quantity),
          unitPrice: price,
          lineTotal: amount,
        };
        act.lines.push(line);
        actLines.push({
          ...NOT_FIRST,
          part_id: line.partId,
          part_name: line.partName,
          diagram_number: line.diagramNumber,
          quantity,
          unit_price: price,
          amount,
        });
      }
      act.total = money(actTotal);
      Object.assign(actLines[0], { act_id: act.actId, number: act.number, closed_at: act.closedAt, closed_on: act.closedOn, act_amount: act.total });
      view.acts.push(act);
      scLines.push(...actLines);
      scTotal += actTotal;
      lineCount += actLines.length;
    }
    view.total = money(scTotal);
    Object.assign(scLines[0], {
      service_center_id: sc.id,
      service_center_name: sc.name,
      sc_act_count: view.actCount,
      sc_line_count: scLines.length,
      sc_amount: view.total,
    });
    serviceCenters.push(view);
    lines.push(...scLines);
    grand += scTotal;
  });
  return { report: { serviceCenters, actCount: serviceCenters.reduce((n, s) => n + s.actCount, 0), lineCount, total: money(grand) }, lines };
}

/** A line that opens neither an act nor a service center. */
const NOT_FIRST = {
  service_center_id: null,
  service_center_name: null,
  sc_act_count: null,
  sc_line_count: null,
  sc_amount: null,
  act_id: null,
  number: null,
  closed_at: null,
  closed_on: null,
  act_amount: null,
};

async function* from<T>(rows: T[]): AsyncGenerator<T> {
  for (const row of rows) yield await Promise.resolve(row);
}

describe('streamed compensation writers', () => {
  const head = { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Moscow', serviceCenterId: null, settled: null };

  it('write the JSON the nested report serialised to, byte for byte', async () => {
    const { report, lines } = fixture();
    expect(await collect(compensationJson(head, from(lines)))).toBe(JSON.stringify({ ...head, ...report }));
  });

  it('write the CSV the nested report was written as, byte for byte (formula cells neutralised)', async () => {
    const { report, lines } = fixture();
    const csv = await collect(compensationCsvRows(from(lines)));
    expect(csv).toBe(compensationCsv(report));
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(";'-1;");
  });

  it('write an empty period as the nested report did', async () => {
    const empty: Report = { serviceCenters: [], actCount: 0, lineCount: 0, total: '0.00' };
    expect(await collect(compensationJson(head, from([])))).toBe(JSON.stringify({ ...head, ...empty }));
    expect(await collect(compensationCsvRows(from([])))).toBe(compensationCsv(empty));
  });
});
