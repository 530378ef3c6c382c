import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateProductCategoryDto } from './dto/create-product-category.dto';
import { ProductCategoriesService } from './product-categories.service';
import { ProductCategory } from './product-category.entity';

@ApiTags('catalogue')
@ApiBearerAuth()
@Controller('product-categories')
export class ProductCategoriesController {
  constructor(private readonly categories: ProductCategoriesService) {}

  /** The distributor's product categories, by name. */
  @Get()
  @Roles(Role.Manager, Role.ServiceCenter)
  @ApiProblems(401)
  list(): Promise<ProductCategory[]> {
    return this.categories.list();
  }

  /** Adds a category; its name must be new, ignoring case. */
  @Post()
  @Roles(Role.Manager)
  @ApiProblems(401, 403, 409, 422)
  create(@Body() dto: CreateProductCategoryDto): Promise<ProductCategory> {
    return this.categories.create(dto.name);
  }
}
