import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateProductCategoryDto } from './dto/create-product-category.dto';
import { UpdateProductCategoryDto } from './dto/update-product-category.dto';
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

  /**
   * Renames a category or sets its warranty term (`warrantyMonths`, 1 to 120; 12 by default), which
   * the `out_of_warranty` flag compares an act's sale and accepted dates with.
   */
  @Patch(':id')
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateProductCategoryDto): Promise<ProductCategory> {
    return this.categories.update(id, dto);
  }
}
