import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PartUnit } from './act-sections';

/** A row of the parts request. Money is numeric(12,2), read and written as a decimal string. */
@Entity('act_parts')
export class ActPart {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'act_id', type: 'uuid' })
  actId: string;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'diagram_number', type: 'text', nullable: true })
  diagramNumber: string | null;

  /** A whole number of pieces, or up to 3 decimals of metres, litres or kilograms. */
  @Column({ type: 'numeric', precision: 12, scale: 3, transformer: { to: (v: number) => v, from: (v: string) => Number(v) } })
  quantity: number;

  @Column({ type: 'text', default: 'pcs' })
  unit: PartUnit;

  @Column({ name: 'own_part', type: 'boolean', default: false })
  ownPart: boolean;

  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2, nullable: true })
  unitPrice: string | null;

  /** The parcel that carried the part; null while it is still to ship (own parts never ship). */
  @Column({ name: 'shipment_id', type: 'uuid', nullable: true })
  shipmentId: string | null;
}
