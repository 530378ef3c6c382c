import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A parcel of spare parts to one service center, for one or more of its acts. */
@Entity('shipments')
export class Shipment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'service_center_id', type: 'uuid' })
  serviceCenterId: string;

  @Column({ type: 'text' })
  carrier: string;

  @Column({ name: 'tracking_number', type: 'text' })
  trackingNumber: string;

  /** Shipped out of the weekly schedule. */
  @Column({ type: 'boolean', default: false })
  urgent: boolean;

  @Column({ name: 'shipped_at', type: 'timestamptz' })
  shippedAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  /** The manager who shipped it. */
  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  /** The manager who recorded the delivery. */
  @Column({ name: 'delivered_by', type: 'uuid', nullable: true })
  deliveredBy: string | null;

  /** Who confirmed the delivery: a manager, or the SC the parcel is for. */
  @Column({ name: 'delivered_by_role', type: 'text', nullable: true })
  deliveredByRole: 'manager' | 'service_center' | null;

  /** When the SC was asked to confirm receipt of the parcel (DELIVERY_FOLLOW_UP after shipping). */
  @Column({ name: 'followed_up_at', type: 'timestamptz', nullable: true })
  followedUpAt: Date | null;
}

/** An act carried by a shipment. An act may ride in several over time (a reship after a wrong part). */
@Entity('shipment_acts')
export class ShipmentAct {
  @PrimaryColumn({ name: 'shipment_id', type: 'uuid' })
  shipmentId: string;

  @PrimaryColumn({ name: 'act_id', type: 'uuid' })
  actId: string;

  /** The act's shipping round this parcel belongs to (the shipment that opened it). */
  @Column({ name: 'round_id', type: 'uuid', nullable: true })
  roundId: string | null;
}
