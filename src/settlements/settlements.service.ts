import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Principal, tenantOf } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { detailMessage, fieldMessage, Problems } from '../common/problem';
import { collect, StreamedReport } from '../common/row-stream';
import type { CompensationLine } from '../reports/reports.repository';
import { compensationCsvRows, REPORT_TIME_ZONE, serviceCentersJson, type ServiceCenterJson } from '../reports/reports.service';
import { CreateSettlementDto } from './dto/create-settlement.dto';
import { ListSettlementsDto } from './dto/list-settlements.dto';
import { SettlementDetailView, SettlementPageView, SettlementServiceCenterView, SettlementView } from './settlement.view';
import { NewSettlement, SettlementBreakdownRow, SettlementRow, SettlementsRepository } from './settlements.repository';

const byName = (x: { name: string; id: string }, y: { name: string; id: string }) => x.name.localeCompare(y.name, 'ru') || (x.id < y.id ? -1 : 1);

/** YYYY-MM-DD of a moment in Moscow time. */
const moscowDate = (moment: Date) => moment.toLocaleDateString('sv-SE', { timeZone: REPORT_TIME_ZONE });

/**
 * Own-part compensation paid in settlements. A settlement takes every act closed repaired
 * (warranty, with own parts) up to a Moscow day that no settlement took before, in one
 * set-based UPDATE inside its transaction; see SettlementsRepository.takeActs.
 */
@Injectable()
export class SettlementsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settlements: SettlementsRepository,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateSettlementDto): Promise<SettlementView> {
    const now = this.clock.now();
    if (dto.closedTo > moscowDate(now)) {
      throw Problems.validation([{ field: 'closedTo', message: fieldMessage('notAfterToday', { today: moscowDate(now) }) }]);
    }
    const settlement: NewSettlement = {
      closedTo: dto.closedTo,
      serviceCenterId: dto.serviceCenterId ?? null,
      createdAt: now,
      createdBy: principal.ownerId,
    };
    const id = await this.db.transaction(async (tx) => {
      const id = await this.settlements.insert(tx, settlement);
      if (!id) throw Problems.validation([{ field: 'serviceCenterId', message: fieldMessage('unknownServiceCenter') }]);
      const acts = await this.settlements.takeActs(tx, id, settlement);
      if (acts.length === 0) {
        throw Problems.validation(
          [{ field: 'closedTo', message: fieldMessage('nothingToSettle', { ofServiceCenter: Boolean(settlement.serviceCenterId) }) }],
          detailMessage('nothingToSettle'),
        );
      }
      await this.settlements.storeTotals(tx, id);
      return id;
    });
    return this.get(id, principal);
  }

  /** One settlement; an SC sees it only when it holds its acts, and only its own part of it. */
  async get(id: string, principal: Principal): Promise<SettlementView> {
    const tenant = tenantOf(principal) ?? null;
    const row = await this.settlements.find(id, tenant);
    if (!row) throw Problems.notFound('settlement');
    const [view] = await this.withBreakdown([row], tenant);
    return view;
  }

  /** Newest first, keyset-paginated on (createdAt, id). */
  async list(principal: Principal, query: ListSettlementsDto): Promise<SettlementPageView> {
    const tenant = tenantOf(principal) ?? null;
    const limit = query.limit ?? 20;
    const rows = await this.settlements.list(tenant, limit + 1, query.cursor ? decodeTimeCursor(query.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.withBreakdown(page, tenant),
      nextCursor: rows.length > limit && last ? encodeTimeCursor(last.created_at, last.id) : null,
    };
  }

  /** The settlement with its acts and own-part lines (an SC: its own only), as one object: the streamed JSON read whole. */
  async detail(id: string, principal: Principal): Promise<SettlementDetailView> {
    return JSON.parse(await collect((await this.detailStream(id, principal, 'json')).body)) as SettlementDetailView;
  }

  /**
   * The settlement with its acts and own-part lines (an SC: its own only), as JSON
   * (SettlementDetailView) or as the compensation report's CSV, streamed.
   */
  async detailStream(id: string, principal: Principal, format: 'json' | 'csv'): Promise<StreamedReport> {
    const tenant = tenantOf(principal) ?? null;
    const row = await this.settlements.find(id, tenant);
    if (!row) throw Problems.notFound('settlement');
    const rows = await this.settlements.lines(id, tenant);
    if (format === 'csv') {
      // A manager's total row is the amount stored when the settlement was made; an SC's its own share.
      return {
        format,
        rows,
        body: compensationCsvRows(rows, tenant ? undefined : row.amount),
        fileName: `settlement-${row.closed_to}-${row.id}.csv`,
      };
    }
    return { format, rows, body: detailJson(row, tenant, rows) };
  }

  private async withBreakdown(rows: SettlementRow[], tenant: string | null): Promise<SettlementView[]> {
    if (rows.length === 0) return [];
    const lines = await this.settlements.breakdown(
      rows.map((r) => r.id),
      tenant,
    );
    const bySettlement = new Map<string, SettlementBreakdownRow[]>();
    for (const line of lines) bySettlement.set(line.settlement_id, [...(bySettlement.get(line.settlement_id) ?? []), line]);
    return rows.map((row) => {
      const serviceCenters: SettlementServiceCenterView[] = (bySettlement.get(row.id) ?? [])
        .map((l) => ({ id: l.service_center_id, name: l.service_center_name, actCount: l.act_count, amount: l.amount }))
        .sort(byName);
      const own = tenant ? serviceCenters[0] : undefined;
      return {
        ...settlementFields(row),
        actCount: tenant ? (own?.actCount ?? 0) : row.act_count,
        amount: tenant ? (own?.amount ?? '0.00') : row.amount,
        serviceCenters,
      };
    });
  }
}

/** A settlement's service center in its detail: `{ id, name, actCount, amount, acts }`. */
const SERVICE_CENTER_JSON: ServiceCenterJson = {
  open: (r) =>
    `{"id":${JSON.stringify(r.service_center_id)},"name":${JSON.stringify(r.service_center_name)},"actCount":${r.sc_act_count},"amount":${JSON.stringify(r.sc_amount)},"acts":[`,
  close: () => ']}',
};

/**
 * SettlementDetailView written as its rows come (totals first): a manager sees the count and
 * amount stored when the settlement was made, an SC its own share.
 */
async function* detailJson(row: SettlementRow, tenant: string | null, rows: AsyncIterable<CompensationLine>): AsyncGenerator<string> {
  yield JSON.stringify(settlementFields(row)).slice(0, -1);
  yield* serviceCentersJson(
    rows,
    SERVICE_CENTER_JSON,
    (first) =>
      `,"actCount":${tenant ? (first?.act_count ?? 0) : row.act_count},"lineCount":${first?.line_count ?? 0},` +
      `"amount":${JSON.stringify(tenant ? (first?.total_amount ?? '0.00') : row.amount)},"serviceCenters":[`,
  );
  yield ']}';
}

function settlementFields(row: SettlementRow) {
  return { id: row.id, closedTo: row.closed_to, serviceCenterId: row.service_center_id, createdAt: row.created_at, createdBy: row.created_by };
}
