import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { QueuesStatusView } from './queue-status.view';
import { QueuesStatusService } from './queues-status.service';

@ApiTags('operations')
@ApiBearerAuth()
@Roles(Role.Manager)
@Controller('admin/queues')
export class QueuesController {
  constructor(private readonly queuesStatus: QueuesStatusService) {}

  /** Jobs of every worker queue by state, and the e-mail outbox by state with the age of its oldest pending message. */
  @Get()
  @ApiProblems(401, 403, 503)
  status(): Promise<QueuesStatusView> {
    return this.queuesStatus.status();
  }
}
