import { collect } from '../common/row-stream';
import { compensationCsvRows, compensationJson } from './compensation.stream';
import { CsvValue, toCsv } from './csv';
import { COMPENSATION_CSV_HEADER } from './reports.csv';
import type { CompensationRow } from './reports.repository';
import type { CompensationActView, CompensationReportView, CompensationServiceCenterView } from './reports.view';

/**
 * The streamed writers against the in-memory way the reports were built before streaming (kept
 * here as the reference): for the same rows, the same bytes.
 */

/** The reference: rows nested by service center (ordered by name) and act, as ReportsService did. */
function nestCompensationRows(rows: CompensationRow[]): Pick<CompensationReportView, 'serviceCenters' | 'actCount' | 'lineCount' | 'total'> {
  const serviceCenters: CompensationServiceCenterView[] = [];
  let sc: CompensationServiceCenterView | undefined;
  let act: CompensationActView | undefined;
  let lineCount = 0;
  let total = '0.00';
  for (const row of rows) {
    if (row.level === 'total') {
      total = row.amount ?? total;
      continue;
    }
    if (sc?.serviceCenterId !== row.service_center_id) {
      sc = { serviceCenterId: row.service_center_id, serviceCenterName: row.service_center_name, actCount: 0, acts: [], total: '0.00' };
      serviceCenters.push(sc);
    }
    if (row.level === 'service_center') {
      sc.total = row.amount as string;
      continue;
    }
    if (act?.actId !== row.act_id) {
      act = { actId: row.act_id, number: row.number, closedAt: row.closed_at, closedOn: row.closed_on, lines: [], total: '0.00' };
      sc.acts.push(act);
      sc.actCount += 1;
    }
    if (row.level === 'act') {
      act.total = row.amount as string;
      continue;
    }
    lineCount += 1;
    act.lines.push({
      partId: row.part_id,
      partName: row.part_name,
      diagramNumber: row.diagram_number,
      quantity: Number(row.quantity),
      unitPrice: row.unit_price,
      lineTotal: row.amount,
    });
  }
  serviceCenters.sort((x, y) => x.serviceCenterName.localeCompare(y.serviceCenterName, 'ru') || (x.serviceCenterId < y.serviceCenterId ? -1 : 1));
  return { serviceCenters, actCount: serviceCenters.reduce((n, s) => n + s.actCount, 0), lineCount, total };
}

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

/** Service centers (in name order), acts and lines as the rollup returns them, in both orders. */
function rollup(): { first: CompensationRow[]; last: CompensationRow[] } {
  const centers = [
    { id: '00000000-0000-4000-8000-00000000000a', name: 'Альфа' },
    { id: '00000000-0000-4000-8000-00000000000c', name: 'Бета; "центр"' },
    { id: '00000000-0000-4000-8000-00000000000b', name: 'Вега-2' },
  ];
  const base = {
    act_id: null,
    number: null,
    closed_at: null,
    closed_on: null,
    part_id: null,
    part_name: null,
    diagram_number: null,
    quantity: null,
    unit_price: null,
  };
  const first: CompensationRow[] = [];
  const last: CompensationRow[] = [];
  let grand = 0n;
  let grandActs = 0;
  let grandLines = 0;
  centers.forEach((sc, s) => {
    const scRows: CompensationRow[] = [];
    let scTotal = 0n;
    const acts = s + 1;
    for (let a = 0; a < acts; a++) {
      const actId = `00000000-0000-4000-8000-0000000${s}${a}000`;
      const number = `ACT-2026-00${s}${a}01`;
      const closedAt = new Date(Date.UTC(2026, 2, 10 + a, 9, 30));
      const act = { act_id: actId, number, closed_at: closedAt, closed_on: `2026-03-${10 + a}` };
      const lines: CompensationRow[] = [];
      let actTotal = 0n;
      for (let l = 0; l <= a; l++) {
        const price = l === 1 ? null : `${100 + l}.50`;
        const quantity = l === 2 ? '1.500' : String(l + 1) + '.000';
        const amount = price === null ? null : money((cents(price) * BigInt(Math.round(Number(quantity) * 1000))) / 1000n);
        if (amount) actTotal += cents(amount);
        lines.push({
          ...base,
          ...act,
          level: 'line',
          service_center_id: sc.id,
          service_center_name: sc.name,
          part_id: `${actId.slice(0, -3)}${l}00`,
          part_name: l === 0 ? '=HYPERLINK("x")' : `Шнур; ${l}`,
          diagram_number: l === 0 ? null : `-${l}`,
          quantity,
          unit_price: price,
          amount,
          act_count: 1,
          line_count: 1,
        } as unknown as CompensationRow);
      }
      const actRow = {
        ...base,
        ...act,
        level: 'act',
        service_center_id: sc.id,
        service_center_name: sc.name,
        amount: money(actTotal),
        act_count: 1,
        line_count: lines.length,
      } as unknown as CompensationRow;
      scRows.push(...lines, actRow);
      scTotal += actTotal;
      grandLines += lines.length;
    }
    grand += scTotal;
    grandActs += acts;
    const scRow = {
      ...base,
      level: 'service_center',
      service_center_id: sc.id,
      service_center_name: sc.name,
      amount: money(scTotal),
      act_count: acts,
      line_count: scRows.length - acts,
    } as unknown as CompensationRow;
    first.push(scRow, ...scRows);
    last.push(...scRows, scRow);
  });
  const total = {
    ...base,
    level: 'total',
    service_center_id: null,
    service_center_name: null,
    amount: money(grand),
    act_count: grandActs,
    line_count: grandLines,
  } as unknown as CompensationRow;
  return { first: [total, ...first], last: [...last, total] };
}

async function* from<T>(rows: T[]): AsyncGenerator<T> {
  for (const row of rows) yield await Promise.resolve(row);
}

describe('streamed compensation writers', () => {
  const head = { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Moscow', serviceCenterId: null, settled: null };

  it('write the JSON the nested report serialised to, byte for byte', async () => {
    const { first, last } = rollup();
    const expected = JSON.stringify({ ...head, ...nestCompensationRows(last) });
    expect(await collect(compensationJson(head, from(first)))).toBe(expected);
  });

  it('write the CSV the nested report was written as, byte for byte (formula cells neutralised)', async () => {
    const { last } = rollup();
    const expected = compensationCsv(nestCompensationRows(last));
    const csv = await collect(compensationCsvRows(from(last)));
    expect(csv).toBe(expected);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain(";'-1;");
  });

  it('write an empty period as the nested report did', async () => {
    const total = { level: 'total', amount: '0.00', act_count: 0, line_count: 0 } as unknown as CompensationRow;
    expect(await collect(compensationJson(head, from([total])))).toBe(JSON.stringify({ ...head, ...nestCompensationRows([total]) }));
    expect(await collect(compensationCsvRows(from([total])))).toBe(compensationCsv(nestCompensationRows([total])));
  });
});
