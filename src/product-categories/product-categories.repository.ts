import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProductCategory } from './product-category.entity';
import { preparedQuery } from '../common/pool-query';

/** The distributor's product categories (`product_categories`). */
@Injectable()
export class ProductCategoriesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** All of them, by name regardless of case. */
  list(): Promise<ProductCategory[]> {
    return this.db.createQueryBuilder(ProductCategory, 'c').orderBy('lower(c.name)').addOrderBy('c.id').getMany();
  }

  /** Writes a category; a name taken already fails with the unique violation (23505). */
  async insert(name: string): Promise<ProductCategory> {
    const row = this.db.manager.create(ProductCategory, { name });
    await this.db.manager.insert(ProductCategory, row);
    return { id: row.id, name: row.name, warrantyMonths: row.warrantyMonths ?? 12 } as ProductCategory;
  }

  /** Changes the given fields; undefined when there is no such category. A name taken already fails with 23505. */
  async update(id: string, fields: Partial<Pick<ProductCategory, 'name' | 'warrantyMonths'>>): Promise<ProductCategory | undefined> {
    if (Object.keys(fields).length) await this.db.manager.update(ProductCategory, { id }, fields);
    return (await this.db.manager.findOne(ProductCategory, { where: { id } })) ?? undefined;
  }

  /** Whether a category exists, in the caller's transaction. */
  async exists(tx: EntityManager, id: string): Promise<boolean> {
    const [row] = await preparedQuery<{ found: boolean }>(tx, `SELECT EXISTS (SELECT 1 FROM product_categories WHERE id = $1) AS found`, [id]);
    return row.found;
  }
}
