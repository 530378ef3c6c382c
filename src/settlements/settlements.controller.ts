import { Body, Controller, Get, Logger, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { sendReport } from '../common/row-stream';
import { CreateSettlementDto } from './dto/create-settlement.dto';
import { ListSettlementsDto } from './dto/list-settlements.dto';
import { SettlementDetailView, SettlementPageView, SettlementView } from './settlement.view';
import { SettlementsService } from './settlements.service';

const CSV_EXAMPLE =
  '\uFEFFrow_type;service_center_id;service_center;act_number;closed_on;part_name;diagram_number;quantity;unit_price;amount\r\n' +
  'line;7c0e…;СЦ Восток;ACT-2026-000717;2026-03-14;Шнур стартера;;2;150.50;301.00\r\n' +
  'act;7c0e…;СЦ Восток;ACT-2026-000717;2026-03-14;;;;;301.00\r\nservice_center;7c0e…;СЦ Восток;;;;;;;301.00\r\ntotal;;;;;;;;;301.00\r\n';

@ApiTags('compensation-settlements')
@ApiBearerAuth()
@ApiExtraModels(SettlementDetailView)
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('compensation-settlements')
export class SettlementsController {
  private readonly logger = new Logger(SettlementsController.name);

  constructor(private readonly settlements: SettlementsService) {}

  /**
   * Settles own-part compensation: takes every act closed `repaired`, of kind `warranty`, with
   * own parts, closed on or before `closedTo` (a Moscow day, not after today) and not settled
   * yet, optionally of one service center. Each act is settled at most once, also when two
   * settlements are requested at the same moment and after a reopen and a new closing; its own
   * parts are frozen from then on. Nothing to settle: 422 naming `closedTo`.
   */
  @Post()
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateSettlementDto): Promise<SettlementView> {
    return this.settlements.create(principal, dto);
  }

  /** Settlements, newest first (managers: all; a service center: those holding its acts, with only its own share). */
  @Get()
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListSettlementsDto): Promise<SettlementPageView> {
    return this.settlements.list(principal, query);
  }

  /**
   * A settlement with its acts and their own-part lines (a service center: its own only; a
   * settlement without its acts is 404). With `Accept: text/csv` the compensation report's CSV:
   * `row_type;service_center_id;service_center;act_number;closed_on;part_name;diagram_number;quantity;unit_price;amount`,
   * one `line` row per own part, then `act`, `service_center` and `total` rows.
   */
  @Get(':id')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'JSON by default; CSV (UTF-8 with a BOM, `;`, CRLF, sent as an attachment) with `Accept: text/csv`.',
    headers: {
      'Content-Disposition': { description: 'CSV only: `attachment; filename="settlement-<closedTo>-<id>.csv"`', schema: { type: 'string' } },
      Vary: { description: 'Accept: the body depends on it', schema: { type: 'string' } },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SettlementDetailView) } },
      'text/csv': { schema: { type: 'string' }, example: CSV_EXAMPLE },
    },
  })
  @ApiProblems(400, 401, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    res.vary('Accept');
    const format = req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json';
    const report = await this.settlements.detailStream(id, principal, format);
    await sendReport(res, report, (error) => this.logger.error({ err: error, url: req.originalUrl }, 'A streamed settlement failed mid-way'));
  }
}
