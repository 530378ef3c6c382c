import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CSV_CONTENT_TYPE } from '../reports/reports.service';
import { DispatchService } from './dispatch.service';
import { DispatchBoardView } from './dispatch.view';

@ApiTags('shipments')
@ApiBearerAuth()
@ApiExtraModels(DispatchBoardView)
@Roles(Role.Manager)
@Controller('dispatch')
export class DispatchController {
  constructor(private readonly dispatch: DispatchService) {}

  /**
   * The dispatch board: acts approved or part_mismatch with parts still to ship (not own, not
   * carried by a parcel yet), and acts with parts left after a partial parcel, grouped by service
   * center, pre-sale and urgent first; and the pick list, the same part (name, diagram number, unit)
   * summed across acts. `dispatchDate`: the next dispatch day that is a business day.
   * With `Accept: text/csv` the pick list as CSV: `name;diagram_number;unit;quantity;act_count`
   * (UTF-8 with a BOM, `;`, CRLF, cells beginning with = + - @ tab or CR prefixed with ').
   */
  @Get()
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({
    description: 'JSON by default; the pick list as CSV (sent as an attachment) with `Accept: text/csv`.',
    headers: {
      'Content-Disposition': { description: 'CSV only: `attachment; filename="pick-list-<dispatchDate>.csv"`', schema: { type: 'string' } },
      Vary: { description: 'Accept: the body depends on it', schema: { type: 'string' } },
    },
    content: {
      'application/json': { schema: { $ref: getSchemaPath(DispatchBoardView) } },
      'text/csv': { schema: { type: 'string' }, example: '\uFEFFname;diagram_number;unit;quantity;act_count\r\nКоленвал;14;pcs;3;2\r\n' },
    },
  })
  @ApiProblems(401, 403)
  async board(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<DispatchBoardView | string> {
    const board = await this.dispatch.board();
    res.vary('Accept');
    if (req.accepts(['application/json', 'text/csv']) !== 'text/csv') return board;
    res.setHeader('Content-Type', CSV_CONTENT_TYPE);
    res.setHeader('Content-Disposition', `attachment; filename="pick-list-${board.dispatchDate}.csv"`);
    return this.dispatch.csv(board);
  }
}
