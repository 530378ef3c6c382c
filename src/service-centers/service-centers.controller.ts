import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateServiceCenterDto } from './dto/create-service-center.dto';
import { UpdateServiceCenterDto } from './dto/update-service-center.dto';
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

  @Patch(':id')
  @ApiOperation({
    summary: 'Changes a service center',
    description:
      'Only the fields sent change; `null` clears city, phone or managerId. `managerId` is the responsible manager, ' +
      "e-mailed about this service center's acts and named in its e-mails (`assignedManager` of its acts); null: every " +
      'manager is. An unknown managerId is 422 naming the field.',
  })
  @ApiProblems(400, 401, 403, 404, 422)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateServiceCenterDto): Promise<ServiceCenter> {
    return this.serviceCenters.update(id, dto);
  }
}
