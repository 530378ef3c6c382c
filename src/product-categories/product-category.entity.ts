import { ApiHideProperty } from '@nestjs/swagger';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An entry of the distributor's list of product kinds ("Наименование"). */
@Entity('product_categories')
export class ProductCategory {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Never selected, so never sent. */
  @ApiHideProperty()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', select: false })
  createdAt: Date;
}
