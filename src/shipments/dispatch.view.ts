import { ApiProperty } from '@nestjs/swagger';
import { ActStatus } from '../acts/act-status';
import { PART_UNITS, PartUnit } from '../acts/act-vocabulary';
import { ApiDate, ApiInteger } from '../common/openapi';

export class DispatchPartView {
  id: string;
  name: string;
  diagramNumber: string | null;
  quantity: number;
  @ApiProperty({ enum: PART_UNITS })
  unit: PartUnit;
}

export class DispatchActView {
  id: string;
  number: string;
  /** Pre-sale product: ships on the next business day. */
  preSale: boolean;
  /** The decision asked for urgent shipping. */
  urgent: boolean;
  @ApiProperty({ type: 'string', format: 'date', nullable: true, example: '2026-12-03' })
  expectedDispatchDate: string | null;
  /** approved or part_mismatch; parts_shipped or parts_delivered for parts left after a partial parcel. */
  @ApiProperty({ enum: [ActStatus.Approved, ActStatus.PartMismatch, ActStatus.PartsShipped, ActStatus.PartsDelivered] })
  status: ActStatus;
  /** A paid order whose invoice is not paid yet: it cannot ship (409 payment-required). */
  awaitingPayment: boolean;
  /** The parts still to ship (not own, not carried by a parcel yet). */
  parts: DispatchPartView[];
}

export class DispatchServiceCenterRefView {
  id: string;
  name: string;
}

export class DispatchServiceCenterView {
  serviceCenter: DispatchServiceCenterRefView;
  /** Pre-sale and urgent first, then by expected dispatch date and number. */
  acts: DispatchActView[];
}

export class PickListLineView {
  name: string;
  diagramNumber: string | null;
  @ApiProperty({ enum: PART_UNITS })
  unit: PartUnit;
  /** The sum over the acts. */
  quantity: number;
  /** How many acts need this part. */
  @ApiInteger()
  actCount: number;
}

/** GET /dispatch: what to pack. */
export class DispatchBoardView {
  /** The next dispatch day (DISPATCH_DAYS, DISPATCH_CUTOFF) that is a business day, from now. */
  @ApiDate()
  dispatchDate: string;
  /** Service centers with acts waiting for parts; those with pre-sale or urgent acts first, then by name. */
  serviceCenters: DispatchServiceCenterView[];
  /** The parts to pack, the same part (name, diagram number, unit) summed across acts; by name. */
  pickList: PickListLineView[];
}
