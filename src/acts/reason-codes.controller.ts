import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { Lang } from '../common/request-context';
import { Language } from '../messages/language';
import { reasonCodeLabel } from '../messages/messages';
import { REASON_CODES } from './act-sections';
import { ReasonCodeView } from './act.view';

@ApiTags('acts')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('reason-codes')
export class ReasonCodesController {
  /** Why a case is not warranty: the codes a not_warranty decision carries, with their labels (Russian unless Accept-Language prefers English). */
  @Get()
  @ApiProblems(401)
  list(@Lang() language: Language): ReasonCodeView[] {
    return REASON_CODES.map((code) => ({ code, label: reasonCodeLabel(code, language) }));
  }
}
