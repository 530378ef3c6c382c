export class ShipmentView {
  id: string;
  serviceCenterId: string;
  carrier: string;
  trackingNumber: string;
  urgent: boolean;
  /** The acts whose parts it carries, ordered by act number. */
  actIds: string[];
  shippedAt: Date;
  /** Null while in transit. */
  deliveredAt: Date | null;
}

export class ShipmentPageView {
  items: ShipmentView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
