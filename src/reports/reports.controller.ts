import { Controller, Get, Logger, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { moscowDate } from '../messages/format';
import { Language } from '../messages/language';
import { Lang } from '../common/request-context';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CSV_CONTENT_TYPE } from './csv';
import { CompensationQueryDto } from './dto/compensation-query.dto';
import { QualityQueryDto } from './dto/quality-query.dto';
import { SummaryQueryDto } from './dto/summary-query.dto';
import { sendReport } from '../common/row-stream';
import { summaryCsv } from './reports.csv';
import { ReportsService } from './reports.service';
import { CompensationReportView, QualityReportView, SummaryReportView } from './reports.view';

const CSV_NOTE =
  'With `Accept: text/csv`: UTF-8 with a BOM, `;` between fields, a header row, CRLF line ends, fields with `;`, `"` or ' +
  'line breaks quoted (RFC 4180 with `;`); numbers and money with a decimal point ("1234.50"), never a comma; a cell that begins with ' +
  "`=`, `+`, `-`, `@`, tab or CR gets a leading `'` (no formula runs); sent as an attachment. Streamed: written while it is read from the database.";

function ApiReportOk(view: new () => unknown, csvExample: string, fileName: string) {
  return ApiOkResponse({
    description: `JSON by default. ${CSV_NOTE}`,
    headers: {
      'Content-Disposition': { description: `CSV only: \`attachment; filename="${fileName}"\``, schema: { type: 'string' } },
      Vary: { description: 'Accept: the body depends on it', schema: { type: 'string' } },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(view) } },
      'text/csv': { schema: { type: 'string' }, example: csvExample },
    },
  });
}

@ApiTags('reports')
@ApiBearerAuth()
@ApiExtraModels(CompensationReportView, SummaryReportView, QualityReportView)
@Roles(Role.Manager)
@Controller('reports')
export class ReportsController {
  private readonly logger = new Logger(ReportsController.name);

  constructor(private readonly reports: ReportsService) {}

  /** A report failed after its first bytes were sent: the status is out, so the connection was cut; logged here. */
  private streamFailed(req: Request, error: Error): void {
    this.logger.error({ err: error, url: req.originalUrl }, 'A streamed report failed mid-way');
  }

  /**
   * Own parts to compensate to service centers: warranty acts (kind `warranty`) closed as
   * `repaired` whose closing falls on a day from `from` to `to` inclusive, days counted in
   * Moscow time (Europe/Moscow). Lists each act's own-part lines (quantity × unit price) with
   * totals per act, per service center and overall, computed exactly (each line rounded to kopecks,
   * totals summed from the lines). `settled=true` keeps only acts a compensation settlement has
   * taken, `settled=false` only those still to settle. The period is at most 366 days.
   * CSV columns: `row_type;service_center_id;service_center;act_number;closed_on;part_name;diagram_number;quantity;unit_price;amount`,
   * where `row_type` is `line`, `act` (act total), `service_center` (its total) or `total` (last row).
   */
  @Get('compensation')
  @ApiProduces('application/json', 'text/csv')
  @ApiReportOk(
    CompensationReportView,
    '\uFEFFrow_type;service_center_id;service_center;act_number;closed_on;part_name;diagram_number;quantity;unit_price;amount\r\n' +
      'line;7c0e…;СЦ Восток;ACT-2026-000717;2026-03-14;Шнур стартера;;2;150.50;301.00\r\n' +
      'act;7c0e…;СЦ Восток;ACT-2026-000717;2026-03-14;;;;;301.00\r\nservice_center;7c0e…;СЦ Восток;;;;;;;301.00\r\ntotal;;;;;;;;;301.00\r\n',
    'compensation-<from>-<to>.csv',
  )
  @ApiProblems(400, 401, 403)
  async compensation(@Query() query: CompensationQueryDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.vary('Accept');
    await sendReport(res, await this.reports.compensationStream(query, formatOf(req)), (error) => this.streamFailed(req, error));
  }

  /**
   * Claim quality: acts closed (on a day from `from` to `to`, Moscow time; withdrawn drafts aside)
   * grouped by `groupBy`, most acts first. Per group: `acts`; `approved` (a manager approved them:
   * decision warranty or paid); how many closed `not_warranty`, `warranty_refused`, `not_repaired`
   * and `refund_or_exchange`; `partsShipped` (part lines to ship, not own, of acts a shipment
   * carried); `ownPartCompensation` (own-part amounts of the acts closed `repaired`, kind warranty,
   * as the compensation report counts them). With `groupBy=part` a row is a part name: acts that
   * have it, and only that part's lines in the two sums. `reason` groups by the not-warranty reason
   * code; acts without one are the row `none`. Labels follow Accept-Language where they are the
   * service's own (reasons, `none`). The period is at most 366 days. Streamed as it is read.
   * CSV columns: `key;label;acts;approved;not_warranty;warranty_refused;not_repaired;refund;parts_shipped;own_part_compensation`.
   */
  @Get('quality')
  @ApiProduces('application/json', 'text/csv')
  @ApiReportOk(
    QualityReportView,
    '\uFEFFkey;label;acts;approved;not_warranty;warranty_refused;not_repaired;refund;parts_shipped;own_part_compensation\r\n' +
      '7c0e…;Бензопила;12;9;2;1;0;0;14;1535.80\r\n',
    'quality-<groupBy>-<from>-<to>.csv',
  )
  @ApiProblems(400, 401, 403)
  async quality(@Query() query: QualityQueryDto, @Lang() lang: Language, @Req() req: Request, @Res() res: Response): Promise<void> {
    res.vary('Accept');
    await sendReport(res, await this.reports.qualityStream(query, formatOf(req), lang), (error) => this.streamFailed(req, error));
  }

  /**
   * The managers' dashboard as of now: acts by status (every status, zeros included); submitted
   * acts waiting longer than the review SLA (`REVIEW_SLA`), with the oldest ten; median and 90th
   * percentile hours from submission to decision over acts decided in the last 30 days (null
   * when none); acts the system closed as `warranty_refused` in the last 30 days, per service center.
   * CSV: rows `section;key;label;value` (`status;submitted;На рассмотрении;5`,
   * `overdue_review;count;;3`, `overdue_review_oldest;<act number>;<service center>;<age hours>`,
   * `decision_time;median_hours;;25.5`, `auto_refused_by_service_center;<id>;<name>;2`...).
   */
  @Get('summary')
  @ApiProduces('application/json', 'text/csv')
  @ApiReportOk(
    SummaryReportView,
    '\uFEFFsection;key;label;value\r\nstatus;draft;Черновик;12\r\n…\r\noverdue_review;count;;3\r\ndecision_time;median_hours;;25.5\r\n',
    'summary-<date>.csv',
  )
  @ApiProblems(400, 401, 403)
  async summary(
    @Query() query: SummaryQueryDto,
    @Lang() lang: Language,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SummaryReportView | string> {
    const report = await this.reports.summary(query);
    return negotiate(req, res, report, () => [summaryCsv(report, lang), `summary-${moscowDate(report.generatedAt)}.csv`]);
  }
}

/** JSON unless the client prefers CSV. */
function formatOf(req: Request): 'json' | 'csv' {
  return req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json';
}

/**
 * JSON unless the client prefers CSV. Headers are set only once the report is built, so an
 * error before that is still a plain problem+json answer.
 */
function negotiate<T>(req: Request, res: Response, report: T, csv: () => [body: string, fileName: string]): T | string {
  res.vary('Accept');
  if (req.accepts(['application/json', 'text/csv']) !== 'text/csv') return report;
  const [body, fileName] = csv();
  res.setHeader('Content-Type', CSV_CONTENT_TYPE);
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  return body;
}
