import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { detailMessage, FieldError, fieldMessage, Problems } from '../common/problem';
import { RequestContext } from '../common/request-context';
import { texts } from '../messages/messages';
import { WebhookEventType } from '../webhooks/webhook.entity';
import { WebhookEvents } from '../webhooks/webhook-events.service';
import { Act, ActKind } from './act.entity';
import { ActLifecycle, eventData, SERVICE_CENTER_MARK } from './act-lifecycle.service';
import { ActAction } from './act-status';
import { ActView, InvoiceView } from './act.view';
import { toInvoiceView } from './act-view.mapper';
import { ActsRepository, InvoiceLine, InvoiceRow } from './acts.repository';
import { ActsService } from './acts.service';
import { Actor, actorOf, SYSTEM_ACTOR } from './actor';
import { IssueInvoiceDto, RecordPaymentDto } from './dto/paid-order.dto';
import { lineAmount, sameAmount, sumAmounts } from '../common/money';

/** A new invoice, priced line by line. */
export interface NewInvoice {
  amount: string;
  paymentReference: string;
  lines: InvoiceLine[];
}

/**
 * Paid orders (domain.md, "Special cases"): the manager prices the parts that will ship, the SC
 * gets an invoice whose payment reference is the act number, and the parts ship once the
 * payment is recorded (ShipmentsService refuses a paid act without it: 409 payment-required).
 */
@Injectable()
export class PaidOrdersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lifecycle: ActLifecycle,
    private readonly repository: ActsRepository,
    private readonly acts: ActsService,
    private readonly clock: Clock,
    private readonly webhooks: WebhookEvents,
  ) {}

  /** Issues the act's invoice, or replaces an unpaid one (a paid one: 409). */
  async issue(id: string, ctx: RequestContext, dto: IssueInvoiceDto): Promise<InvoiceView> {
    const actor = actorOf(ctx.principal);
    await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, id, ctx.principal);
      this.lifecycle.check(act, ActAction.IssueInvoice, actor);
      if (act.kind !== ActKind.Paid) throw Problems.conflict('not-a-paid-order', detailMessage('notPaidOrder'), { kind: act.kind });
      const current = await this.repository.invoice(tx, act.id);
      if (current?.paidAt) throw Problems.conflict('invoice-paid', detailMessage('invoicePaid'), { paidAt: current.paidAt });
      await this.writeInvoice(tx, act, await this.price(tx, act, dto), actor);
    });
    const invoice = await this.repository.invoice(this.db.manager, id);
    return toInvoiceView(invoice as InvoiceRow);
  }

  /**
   * The ONE place an invoice is written: the row, the system comment the SC sees, and its e-mail
   * (amount and payment reference) through ActLifecycle, in the caller's transaction.
   */
  async writeInvoice(tx: EntityManager, act: Act, invoice: NewInvoice, actor: Actor): Promise<void> {
    const issuedAt = this.clock.now();
    const written = await this.repository.upsertInvoice(tx, { actId: act.id, ...invoice, issuedAt, issuedBy: actor.id as string });
    if (!written) throw Problems.conflict('invoice-paid', detailMessage('invoicePaid'));
    await this.webhooks.record(tx, [
      {
        type: WebhookEventType.InvoiceIssued,
        actId: act.id,
        serviceCenterId: act.serviceCenterId,
        data: {
          ...eventData(act),
          invoice: {
            amount: invoice.amount,
            currency: 'RUB',
            paymentReference: invoice.paymentReference,
            issuedAt,
            replaced: written.replaced,
            lines: invoice.lines,
          },
        },
      },
    ]);
    await this.lifecycle.touch(tx, act, {}, actor);
    await this.lifecycle.comment(
      tx,
      act,
      SYSTEM_ACTOR,
      texts.comment.invoiceIssued(invoice.amount, invoice.paymentReference, written.replaced),
      actor,
    );
  }

  /** Records the SC's payment of the invoice: the amount must equal it (422); no invoice or a paid one: 409. */
  async pay(id: string, ctx: RequestContext, dto: RecordPaymentDto): Promise<ActView> {
    const actor = actorOf(ctx.principal);
    await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, id, ctx.principal);
      this.lifecycle.check(act, ActAction.RecordPayment, actor);
      const invoice = await this.repository.invoice(tx, act.id);
      if (!invoice) throw Problems.conflict('invoice-required', detailMessage('invoiceRequired'));
      if (invoice.paidAt) throw Problems.conflict('invoice-paid', detailMessage('invoicePaid'), { paidAt: invoice.paidAt });
      if (!sameAmount(dto.amount, invoice.amount)) {
        throw Problems.validation([{ field: 'amount', message: fieldMessage('amountMustEqual', { amount: invoice.amount }) }]);
      }
      const now = this.clock.now();
      const paidAt = dto.paidAt ?? now;
      if (paidAt.getTime() > now.getTime()) throw Problems.validation([{ field: 'paidAt', message: fieldMessage('notInFuture') }]);
      await this.repository.payInvoice(tx, act.id, invoice.amount, paidAt, actor.id as string);
      await this.lifecycle.touch(tx, act, {}, actor);
      await this.lifecycle.comment(tx, act, SYSTEM_ACTOR, texts.comment.paymentRecorded(invoice.amount, paidAt), actor);
      await this.lifecycle.tellManagers(
        tx,
        act,
        texts.mail.invoicePaid(act.number, SERVICE_CENTER_MARK, invoice.amount, paidAt),
        actor.id ?? undefined,
      );
    });
    return this.acts.get(id, ctx);
  }

  /** The lines priced: every part that will ship (not own, not shipped yet) exactly once, nothing else (422 naming the line). */
  private async price(tx: EntityManager, act: Act, dto: IssueInvoiceDto): Promise<NewInvoice> {
    const parts = await this.repository.parts(tx, act.id);
    const toShip = parts.filter((p) => !p.ownPart && !p.shipmentId);
    const errors: FieldError[] = [];
    const seen = new Set<string>();
    const lines: InvoiceLine[] = [];
    dto.lines.forEach((line, i) => {
      const part = parts.find((p) => p.id === line.partId);
      const field = `lines[${i}].partId`;
      if (!part) errors.push({ field, message: fieldMessage('unknownPart', { id: line.partId }) });
      else if (part.ownPart) errors.push({ field, message: fieldMessage('ownPartNotShipped') });
      else if (part.shipmentId) errors.push({ field, message: fieldMessage('unknownPart', { id: line.partId }) });
      else if (seen.has(part.id)) errors.push({ field, message: fieldMessage('partTwice') });
      else {
        seen.add(part.id);
        lines.push({
          partId: part.id,
          name: part.name,
          diagramNumber: part.diagramNumber,
          quantity: Number(part.quantity),
          unit: part.unit,
          unitPrice: line.unitPrice,
          amount: lineAmount(line.unitPrice, part.quantity),
        });
      }
    });
    const missing = toShip.filter((p) => !dto.lines.some((l) => l.partId === p.id));
    if (missing.length)
      errors.push({ field: 'lines', message: fieldMessage('invoiceMissingParts', { parts: missing.map((p) => `${p.name} (${p.id})`) }) });
    if (errors.length) throw Problems.validation(errors);
    const byPosition = new Map(parts.map((p) => [p.id, p.position]));
    lines.sort((a, b) => (byPosition.get(a.partId) ?? 0) - (byPosition.get(b.partId) ?? 0));
    return { amount: sumAmounts(lines.map((l) => l.amount)), paymentReference: act.number, lines };
  }
}
