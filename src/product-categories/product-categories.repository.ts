import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ProductCategory } from './product-category.entity';
import { preparedQuery } from '../common/pool-query';

/** How long a category found by `exists` is taken as existing without asking again. */
const FOUND_FOR_MS = 60_000;

/** The distributor's product categories (`product_categories`). */
@Injectable()
export class ProductCategoriesRepository {
  /** Categories found by `exists`, until when (Date.now() ms). */
  private readonly found = new Map<string, number>();

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

  /**
   * Whether a category exists, in the caller's transaction. Every filing asks twice (create,
   * submit), and the API never removes a category: a category found is remembered for a minute
   * (FOUND_FOR_MS; a category removed by hand in SQL is refused within that), one not found is
   * asked again every time.
   */
  async exists(tx: EntityManager, id: string): Promise<boolean> {
    const now = Date.now();
    if ((this.found.get(id) ?? 0) > now) return true;
    const [row] = await preparedQuery<{ found: boolean }>(tx, `SELECT EXISTS (SELECT 1 FROM product_categories WHERE id = $1) AS found`, [id]);
    if (row.found) {
      if (this.found.size >= 10_000) this.found.clear();
      this.found.set(id, now + FOUND_FOR_MS);
    }
    return row.found;
  }
}
