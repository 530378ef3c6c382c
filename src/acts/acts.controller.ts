import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { Language } from './act-status';
import { ActLookupView, ActPageView, ActView, HistoryEntryView } from './act.view';
import { ActsService } from './acts.service';
import { CreateActDto } from './dto/create-act.dto';
import { DiagnosisDto } from './dto/diagnosis.dto';
import { ExtraDto } from './dto/extra.dto';
import { ListActsQuery, LookupActsQuery } from './dto/list-acts.query';
import { PartDto, PartsDto } from './dto/part.dto';
import { ProductDto } from './dto/product.dto';
import { ActEtagInterceptor } from './etag.interceptor';
import { Lang } from './language.decorator';

const IF_MATCH = { name: 'If-Match', required: false, description: 'The act\'s ETag; a stale one is 412.' };

@ApiTags('acts')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@UseInterceptors(ActEtagInterceptor)
@Controller('acts')
export class ActsController {
  constructor(private readonly acts: ActsService) {}

  /** Starts a draft act. Any subset of the four sections; the whole act in one request works too. */
  @Post()
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateActDto, @Lang() lang: Language): Promise<ActView> {
    return this.acts.create(principal, dto, lang);
  }

  /** Acts, newest first (SC: its own; managers: all), keyset-paginated. */
  @Get()
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListActsQuery, @Lang() lang: Language): Promise<ActPageView> {
    return this.acts.list(principal, query, lang);
  }

  /** Finds acts by a short number ("0717"), a full number or the SC's internal number. */
  @Get('lookup')
  @ApiProblems(400, 401)
  lookup(@CurrentPrincipal() principal: Principal, @Query() query: LookupActsQuery, @Lang() lang: Language): Promise<ActLookupView> {
    return this.acts.lookup(principal, query.number, lang);
  }

  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal, @Lang() lang: Language): Promise<ActView> {
    return this.acts.get(id, principal, lang);
  }

  /** Replaces step 1. SC: while draft or info_requested; managers: until closed. */
  @Put(':id/product')
  @ApiHeader(IF_MATCH)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putProduct(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ProductDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Lang() lang: Language,
  ): Promise<ActView> {
    return this.acts.updateSection(id, principal, 'product', dto, ifMatch, lang);
  }

  /** Replaces step 2. */
  @Put(':id/diagnosis')
  @ApiHeader(IF_MATCH)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putDiagnosis(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: DiagnosisDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Lang() lang: Language,
  ): Promise<ActView> {
    return this.acts.updateSection(id, principal, 'diagnosis', dto, ifMatch, lang);
  }

  /** Replaces step 3, the whole parts list: a JSON array of parts, or `{ "parts": [...] }`. */
  @Put(':id/parts')
  @ApiHeader(IF_MATCH)
  @ApiBody({ type: [PartDto] })
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putParts(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PartsDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Lang() lang: Language,
  ): Promise<ActView> {
    return this.acts.replaceParts(id, principal, dto.parts, ifMatch, lang);
  }

  /** Replaces step 4. */
  @Put(':id/extra')
  @ApiHeader(IF_MATCH)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putExtra(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ExtraDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Lang() lang: Language,
  ): Promise<ActView> {
    return this.acts.updateSection(id, principal, 'extra', dto, ifMatch, lang);
  }

  /**
   * "Create": checks the whole act (422 lists every failing field) and sends it to the managers,
   * or straight to info_requested when required photos are missing. Past draft: unchanged, 200.
   */
  @Post(':id/submit')
  @HttpCode(200)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  submit(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal, @Lang() lang: Language): Promise<ActView> {
    return this.acts.submit(id, principal, lang);
  }

  /** Withdraws a draft: it is closed as withdrawn. */
  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409)
  withdraw(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    return this.acts.withdraw(id, principal);
  }

  /** Every status change: from, to, who, why, when. */
  @Get(':id/history')
  @ApiProblems(400, 401, 404)
  history(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<HistoryEntryView[]> {
    return this.acts.history(id, principal);
  }
}
