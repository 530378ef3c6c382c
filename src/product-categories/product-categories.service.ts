import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { Problems } from '../common/problem';
import { ProductCategory } from './product-category.entity';

@Injectable()
export class ProductCategoriesService {
  constructor(@InjectRepository(ProductCategory) private readonly repo: Repository<ProductCategory>) {}

  list(): Promise<ProductCategory[]> {
    return this.repo.createQueryBuilder('c').orderBy('lower(c.name)').addOrderBy('c.id').getMany();
  }

  async create(name: string): Promise<ProductCategory> {
    try {
      const row = this.repo.create({ name });
      await this.repo.insert(row);
      return { id: row.id, name: row.name } as ProductCategory;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw Problems.conflict('duplicate-category', `A category named "${name}" already exists.`);
      }
      throw error;
    }
  }
}
