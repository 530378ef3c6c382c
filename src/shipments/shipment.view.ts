export class ShipmentItemView {
  actId: string;
  /** The act's parts this parcel carries (none: a reship of an act whose parts had shipped). */
  partIds: string[];
}

export class ShipmentView {
  id: string;
  serviceCenterId: string;
  carrier: string;
  trackingNumber: string;
  urgent: boolean;
  /** The acts whose parts it carries, ordered by act number. */
  actIds: string[];
  /** Per act (ordered by act number), the parts the parcel carries. */
  items: ShipmentItemView[];
  shippedAt: Date;
  /** Null while in transit. */
  deliveredAt: Date | null;
}

export class ShipmentPageView {
  items: ShipmentView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
