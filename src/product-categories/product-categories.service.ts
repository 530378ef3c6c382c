import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { detailMessage, Problems } from '../common/problem';
import { ProductCategoriesRepository } from './product-categories.repository';
import { ProductCategory } from './product-category.entity';
import { UpdateProductCategoryDto } from './dto/update-product-category.dto';

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
      throw duplicateName(error, name);
    }
  }

  /** Renames a category or changes its warranty term; 404 for an unknown id, 409 for a name taken. */
  async update(id: string, dto: UpdateProductCategoryDto): Promise<ProductCategory> {
    const fields = {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.warrantyMonths !== undefined ? { warrantyMonths: dto.warrantyMonths } : {}),
    };
    let category: ProductCategory | undefined;
    try {
      category = await this.categories.update(id, fields);
    } catch (error) {
      throw duplicateName(error, dto.name ?? '');
    }
    if (!category) throw Problems.notFound('category');
    return category;
  }
}

/** A unique violation of the name as 409 `duplicate-category`; anything else as it was. */
function duplicateName(error: unknown, name: string): unknown {
  if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
    return Problems.conflict('duplicate-category', detailMessage('duplicateCategory', { name }));
  }
  return error;
}
