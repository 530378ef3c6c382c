import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { detailMessage, Problems } from '../common/problem';
import { ProductCategoriesRepository } from './product-categories.repository';
import { ProductCategory } from './product-category.entity';

@Injectable()
export class ProductCategoriesService {
  constructor(private readonly categories: ProductCategoriesRepository) {}

  list(): Promise<ProductCategory[]> {
    return this.categories.list();
  }

  async create(name: string): Promise<ProductCategory> {
    try {
      return await this.categories.insert(name);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw Problems.conflict('duplicate-category', detailMessage('duplicateCategory', { name }));
      }
      throw error;
    }
  }
}
