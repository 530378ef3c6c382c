import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { IF_MATCH_HEADER_DOC, IfMatch, IfMatchHeader } from '../common/if-match';
import { ApiProblems } from '../common/openapi';
import { Ctx, RequestContext } from '../common/request-context';
import { ActLookupView, ActPageView, ActView, HistoryEntryView } from './act.view';
import { ActsService } from './acts.service';
import { CreateActDto } from './dto/create-act.dto';
import { DiagnosisDto } from './dto/diagnosis.dto';
import { ExtraDto } from './dto/extra.dto';
import { ListActsQuery, LookupActsQuery } from './dto/list-acts.query';
import { PartDto, PartsDto } from './dto/part.dto';
import { ProductDto } from './dto/product.dto';
import { ActEtagInterceptor } from './etag.interceptor';

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
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateActDto): Promise<ActView> {
    return this.acts.create(ctx, dto);
  }

  /** Acts, newest first (SC: its own; managers: all), keyset-paginated. */
  @Get()
  @ApiProblems(400, 401)
  list(@Ctx() ctx: RequestContext, @Query() query: ListActsQuery): Promise<ActPageView> {
    return this.acts.list(ctx, query);
  }

  /** Finds acts by a short number ("0717"), a full number or the SC's internal number. */
  @Get('lookup')
  @ApiProblems(400, 401)
  lookup(@Ctx() ctx: RequestContext, @Query() query: LookupActsQuery): Promise<ActLookupView> {
    return this.acts.lookup(ctx, query.number);
  }

  /** One act with its sections and photo metadata; the ETag is its version. */
  @Get(':id')
  @ApiProblems(400, 401, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext): Promise<ActView> {
    return this.acts.get(id, ctx);
  }

  /** Replaces step 1. SC: while draft or info_requested; managers: until closed. */
  @Put(':id/product')
  @ApiHeader(IF_MATCH_HEADER_DOC)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putProduct(
    @Param('id', ParseUUIDPipe) id: string,
    @Ctx() ctx: RequestContext,
    @Body() dto: ProductDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<ActView> {
    return this.acts.updateSection(id, ctx, 'product', dto, ifMatch);
  }

  /** Replaces step 2. */
  @Put(':id/diagnosis')
  @ApiHeader(IF_MATCH_HEADER_DOC)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putDiagnosis(
    @Param('id', ParseUUIDPipe) id: string,
    @Ctx() ctx: RequestContext,
    @Body() dto: DiagnosisDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<ActView> {
    return this.acts.updateSection(id, ctx, 'diagnosis', dto, ifMatch);
  }

  /** Replaces step 3, the whole parts list: a JSON array of parts, or `{ "parts": [...] }`. */
  @Put(':id/parts')
  @ApiHeader(IF_MATCH_HEADER_DOC)
  @ApiBody({ type: [PartDto] })
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putParts(
    @Param('id', ParseUUIDPipe) id: string,
    @Ctx() ctx: RequestContext,
    @Body() dto: PartsDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<ActView> {
    return this.acts.replaceParts(id, ctx, dto.parts, ifMatch);
  }

  /** Replaces step 4. */
  @Put(':id/extra')
  @ApiHeader(IF_MATCH_HEADER_DOC)
  @ApiProblems(400, 401, 404, 409, 412, 422)
  putExtra(
    @Param('id', ParseUUIDPipe) id: string,
    @Ctx() ctx: RequestContext,
    @Body() dto: ExtraDto,
    @IfMatchHeader() ifMatch: IfMatch | undefined,
  ): Promise<ActView> {
    return this.acts.updateSection(id, ctx, 'extra', dto, ifMatch);
  }

  /**
   * "Create": checks the whole act (422 lists every failing field) and sends it to the managers,
   * or straight to info_requested when required photos are missing. Past draft: unchanged, 200.
   */
  @Post(':id/submit')
  @HttpCode(200)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  submit(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext): Promise<ActView> {
    return this.acts.submit(id, ctx);
  }

  /** Withdraws a draft: it is closed as withdrawn. */
  @Delete(':id')
  @HttpCode(204)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409)
  withdraw(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext): Promise<void> {
    return this.acts.withdraw(id, ctx);
  }

  /** Every status change: from, to, who, why, when. */
  @Get(':id/history')
  @ApiProblems(400, 401, 404)
  history(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext): Promise<HistoryEntryView[]> {
    return this.acts.history(id, ctx);
  }
}
