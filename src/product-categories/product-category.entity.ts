import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ApiInteger } from '../common/openapi';

/** An entry of the distributor's list of product kinds ("Наименование"). */
@Entity('product_categories')
export class ProductCategory {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** The warranty term from the sale date, in months (12 unless a manager changed it). */
  @ApiInteger()
  @Column({ name: 'warranty_months', type: 'int', default: 12 })
  warrantyMonths: number;

  /** Never selected, so never sent. */
  @ApiHideProperty()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', select: false })
  createdAt: Date;
}
