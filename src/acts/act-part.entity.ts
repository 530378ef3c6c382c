import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ type: 'int' })
  quantity: number;

  @Column({ name: 'own_part', type: 'boolean', default: false })
  ownPart: boolean;

  @Column({ name: 'unit_price', type: 'numeric', precision: 12, scale: 2, nullable: true })
  unitPrice: string | null;
}
