import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { Ctx, RequestContext } from '../common/request-context';
import { ActActionsService } from './act-actions.service';
import { ActView, InvoiceView } from './act.view';
import { IssueInvoiceDto, PartialConsentDto, RecordPaymentDto } from './dto/paid-order.dto';
import { PaidOrdersService } from './paid-orders.service';
import { CloseActDto, DecisionDto, ReopenActDto, ReportMismatchDto, RequestInfoDto } from './dto/act-actions.dto';
import { ActEtagInterceptor } from './etag.interceptor';

/** Review and repair steps after submission. Each answers the act (200) or 409 when its status does not allow the step. */
@ApiTags('acts')
@ApiBearerAuth()
@UseInterceptors(ActEtagInterceptor)
@Controller('acts/:id')
export class ActActionsController {
  constructor(
    private readonly actions: ActActionsService,
    private readonly paidOrders: PaidOrdersService,
  ) {}

  /** Asks the SC a question (a manager comment): info_requested with a reply deadline (replyWithin, else INFO_REPLY_WINDOW). */
  @Post('request-info')
  @HttpCode(200)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  requestInfo(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: RequestInfoDto): Promise<ActView> {
    return this.actions.requestInfo(id, ctx, dto);
  }

  /** Decides a submitted act: warranty or paid → approved; not_warranty → closed. */
  @Post('decision')
  @HttpCode(200)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  decide(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: DecisionDto): Promise<ActView> {
    return this.actions.decide(id, ctx, dto);
  }

  /** Closes an open act with a resolution (repaired, warranty_refused or not_warranty) and a reason. */
  @Post('close')
  @HttpCode(200)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  close(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: CloseActDto): Promise<ActView> {
    return this.actions.close(id, ctx, dto);
  }

  /** Revives a closed act (not a withdrawn draft): back to submitted for a new decision. */
  @Post('reopen')
  @HttpCode(200)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reopen(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: ReopenActDto): Promise<ActView> {
    return this.actions.reopen(id, ctx, dto);
  }

  /** The SC has repaired the product: closed as repaired (from parts_shipped or parts_delivered). */
  @Post('repaired')
  @HttpCode(200)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409)
  markRepaired(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext): Promise<ActView> {
    return this.actions.markRepaired(id, ctx);
  }

  /**
   * The SC's consent (or not) to partial parcels: with `true`, the parts in stock may ship first
   * and the rest follow in a later parcel free of charge. Answers the act (`partialConsent`).
   */
  @Post('partial-consent')
  @HttpCode(200)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  partialConsent(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: PartialConsentDto): Promise<ActView> {
    return this.actions.partialConsent(id, ctx, dto);
  }

  /**
   * Issues the invoice of an approved paid order: one line (part id and unit price) for every
   * part that will ship; the payment reference is the act number, and the SC is e-mailed the amount
   * and the reference. Issuing again replaces an unpaid invoice; a paid one: 409 invoice-paid.
   * Not a paid order: 409 not-a-paid-order.
   */
  @Post('invoice')
  @HttpCode(201)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  issueInvoice(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: IssueInvoiceDto): Promise<InvoiceView> {
    return this.paidOrders.issue(id, ctx, dto);
  }

  /**
   * Records the payment of the invoice (`amount` must equal it: 422; no invoice: 409
   * invoice-required; paid already: 409 invoice-paid). The responsible manager (or every manager)
   * but the one recording it is e-mailed; the parts may then ship.
   */
  @Post('payment')
  @HttpCode(200)
  @Roles(Role.Manager)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  recordPayment(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: RecordPaymentDto): Promise<ActView> {
    return this.paidOrders.pay(id, ctx, dto);
  }

  /** The SC reports a wrong or missing part: only from parts_delivered, before mismatchDeadline. */
  @Post('mismatch')
  @HttpCode(200)
  @Roles(Role.ServiceCenter)
  @ApiProblems(400, 401, 403, 404, 409, 422)
  reportMismatch(@Param('id', ParseUUIDPipe) id: string, @Ctx() ctx: RequestContext, @Body() dto: ReportMismatchDto): Promise<ActView> {
    return this.actions.reportMismatch(id, ctx, dto);
  }
}
