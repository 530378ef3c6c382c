import { Inject, Injectable } from '@nestjs/common';
import { ActKind } from '../acts/act.entity';
import { PartUnit } from '../acts/act-vocabulary';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { toCsv } from '../reports/reports.service';
import { DispatchBoardView, DispatchServiceCenterView } from './dispatch.view';
import { ShipmentsRepository } from './shipments.repository';

/** The pick list's CSV columns. */
export const PICK_LIST_CSV_HEADER = ['name', 'diagram_number', 'unit', 'quantity', 'act_count'] as const;

/** The dispatch board (API.md, "Dispatch and partial shipments"): what to pack for the next parcels. */
@Injectable()
export class DispatchService {
  constructor(
    private readonly shipments: ShipmentsRepository,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'dispatchDays' | 'dispatchCutoff'>,
  ) {}

  /** Acts with parts still to ship, by service center, and the pick list that sums each part across them. */
  async board(): Promise<DispatchBoardView> {
    const [{ acts, pickList }, dispatchDate] = await Promise.all([
      this.shipments.dispatchBoard(),
      this.calendar.dispatchDate(this.clock.now(), { days: this.config.dispatchDays, cutoff: this.config.dispatchCutoff }, false),
    ]);
    const serviceCenters: DispatchServiceCenterView[] = [];
    for (const row of acts) {
      let group = serviceCenters.at(-1);
      if (group?.serviceCenter.id !== row.serviceCenterId) {
        group = { serviceCenter: { id: row.serviceCenterId, name: row.serviceCenterName }, acts: [] };
        serviceCenters.push(group);
      }
      group.acts.push({
        id: row.actId,
        number: row.number,
        preSale: row.preSale,
        urgent: row.urgent,
        expectedDispatchDate: row.expectedDispatchDate,
        status: row.status,
        awaitingPayment: row.kind === ActKind.Paid && !row.paid,
        parts: row.parts.map((p) => ({ ...p, quantity: Number(p.quantity), unit: p.unit as PartUnit })),
      });
    }
    return {
      dispatchDate,
      serviceCenters,
      pickList: pickList.map((line) => ({ ...line, unit: line.unit as PartUnit, quantity: Number(line.quantity) })),
    };
  }

  /** The pick list as CSV (the reports' format: BOM, `;`, CRLF, formula-looking cells quoted with '). */
  csv(board: DispatchBoardView): string {
    return toCsv(
      PICK_LIST_CSV_HEADER,
      board.pickList.map((l) => [l.name, l.diagramNumber, l.unit, String(l.quantity), l.actCount]),
    );
  }
}
