import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyCreatedView } from '../api-keys/api-key.view';
import { CreateApiKeyDto } from '../api-keys/dto/create-api-key.dto';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CreateManagerDto } from './dto/create-manager.dto';
import { UpdateManagerDto } from './dto/update-manager.dto';
import { ManagerView } from './manager.view';
import { ManagersService } from './managers.service';

@ApiTags('managers')
@ApiBearerAuth()
@Roles(Role.Manager)
@Controller('managers')
export class ManagersController {
  constructor(private readonly managers: ManagersService) {}

  /** All managers, by name. */
  @Get()
  @ApiProblems(401, 403)
  list(): Promise<ManagerView[]> {
    return this.managers.list();
  }

  @Post()
  @ApiOperation({
    summary: 'Registers a manager',
    description:
      'The new manager has no key yet: an operator runs `cli create-manager --email <this e-mail>`, which issues one for ' +
      'the existing manager. The e-mail is unique among managers, ignoring case (409 when taken).',
  })
  @ApiProblems(401, 403, 409, 422)
  create(@Body() dto: CreateManagerDto): Promise<ManagerView> {
    return this.managers.register(dto);
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Changes a manager's contact data",
    description:
      "Any manager may change any manager's name, e-mail, phone and office: the distributor's staff is small and keeps " +
      'its contact list together. Only the fields sent change; `null` clears phone or office. 409 when the e-mail is ' +
      "another manager's.",
  })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateManagerDto): Promise<ManagerView> {
    return this.managers.update(id, dto);
  }

  @Post(':id/api-keys')
  @ApiOperation({
    summary: 'Issues a key for the calling manager',
    description:
      'Only for oneself: `id` must be the calling manager (403 otherwise). The key is in this response only. ' +
      'A manager may revoke its own keys with DELETE /api-keys/{id}.',
  })
  @ApiProblems(400, 401, 403, 422)
  createKey(@CurrentPrincipal() caller: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<ApiKeyCreatedView> {
    return this.managers.issueKey(caller.ownerId, id, dto.label ?? null);
  }
}
