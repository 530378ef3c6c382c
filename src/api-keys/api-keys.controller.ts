import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { ServiceCentersService } from '../service-centers/service-centers.service';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyCreatedView, ApiKeyView } from './api-key.view';
import { CreateApiKeyDto } from './dto/create-api-key.dto';

@ApiTags('service centers')
@ApiBearerAuth()
@Roles(Role.Manager)
@Controller()
export class ApiKeysController {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly serviceCenters: ServiceCentersService,
  ) {}

  /** Issues a key for a service center. The key is in this response only. */
  @Post('service-centers/:id/api-keys')
  @ApiProblems(401, 403, 404, 422)
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreateApiKeyDto): Promise<ApiKeyCreatedView> {
    await this.serviceCenters.get(id);
    return this.apiKeys.issue({ serviceCenterId: id }, dto.label ?? null);
  }

  /** Lists a service center's keys (never the keys themselves). */
  @Get('service-centers/:id/api-keys')
  @ApiProblems(401, 403, 404)
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyView[]> {
    await this.serviceCenters.get(id);
    return this.apiKeys.listForServiceCenter(id);
  }

  @ApiOperation({
    summary: 'Revokes a key; it stops working at once, on every API instance',
    description:
      "A manager may revoke any service center's key and its own keys; another manager's key is 403 (an operator " +
      'can revoke any key with `cli revoke-key --id`). Revoking a revoked key again answers 204.',
  })
  @Delete('api-keys/:id')
  @HttpCode(204)
  @ApiProblems(400, 401, 403, 404)
  revoke(@CurrentPrincipal() caller: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revokeAsManager(caller.ownerId, id);
  }
}
