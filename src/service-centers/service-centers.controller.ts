import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateServiceCenterDto } from './dto/create-service-center.dto';
import { ServiceCenter } from './service-center.entity';
import { ServiceCentersService } from './service-centers.service';

@ApiTags('service centers')
@ApiBearerAuth()
@Roles(Role.Manager)
@Controller('service-centers')
export class ServiceCentersController {
  constructor(private readonly serviceCenters: ServiceCentersService) {}

  /** Registers a partner service center. Issue it a key next. */
  @Post()
  @ApiProblems(401, 403, 422)
  create(@Body() dto: CreateServiceCenterDto): Promise<ServiceCenter> {
    return this.serviceCenters.create(dto);
  }

  /** All service centers, by name. */
  @Get()
  @ApiProblems(401, 403)
  list(): Promise<ServiceCenter[]> {
    return this.serviceCenters.list();
  }

  /** One service center. */
  @Get(':id')
  @ApiProblems(400, 401, 403, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ServiceCenter> {
    return this.serviceCenters.get(id);
  }
}
