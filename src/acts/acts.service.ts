import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Role } from '../common/auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { IfMatch } from '../common/if-match';
import { detailMessage, FieldError, fieldMessage, Problems } from '../common/problem';
import { RequestContext } from '../common/request-context';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { Language } from '../messages/language';
import { moscowYear } from '../messages/format';
import { ProductCategoriesRepository } from '../product-categories/product-categories.repository';
import { texts } from '../messages/messages';
import { Act } from './act.entity';
import { ActFlags } from './act-flags.service';
import { ActLifecycle, ApplyOptions, Step } from './act-lifecycle.service';
import { FieldChange } from './act-history.entity';
import {
  ActContent,
  claimedKind,
  consistencyErrors,
  missingPhotos,
  missingPhotosComment,
  partsChanges,
  sectionChanges,
  submitErrors,
} from './act-rules';
import { normaliseParts, normaliseProduct, ProductSection } from './act-sections';
import { ActAction, ActStatus } from './act-status';
import { ActLookupView, ActPageView, ActView, HistoryEntryView } from './act.view';
import { toActView } from './act-view.mapper';
import { ActRecord, ActsRepository } from './acts.repository';
import { ActSettled, ownPartLinesChanged } from './settled-lines';
import { actorOf, SYSTEM_ACTOR } from './actor';
import { CreateActDto } from './dto/create-act.dto';
import { DiagnosisDto } from './dto/diagnosis.dto';
import { ExtraDto } from './dto/extra.dto';
import { ListActsQuery } from './dto/list-acts.query';
import { PartDto } from './dto/part.dto';
import { ProductDto } from './dto/product.dto';
import { PhotoKind } from './photo-kind';

export type Section = 'product' | 'diagnosis' | 'extra';

/**
 * The act's own steps: a draft made, its sections saved, submitted ("Create") or withdrawn; and
 * the act as the API shows it. Each change is one transaction through ActLifecycle.
 */
@Injectable()
export class ActsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly acts: ActsRepository,
    private readonly categories: ProductCategoriesRepository,
    private readonly lifecycle: ActLifecycle,
    private readonly flags: ActFlags,
    private readonly clock: Clock,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new draft, numbered ACT-<year>-<6 digits>. */
  async create(ctx: RequestContext, dto: CreateActDto): Promise<ActView> {
    const content: ActContent = {
      product: normaliseProduct(dto.product),
      diagnosis: { ...dto.diagnosis },
      extra: { ...dto.extra },
      parts: normaliseParts(dto.parts ?? []),
    };
    const now = this.clock.now();
    await this.assertValid(this.db.manager, content, now);
    const year = moscowYear(now);
    // Taken in its own short statement, not in the act's transaction: concurrent creates do not
    // wait for each other's commits, and a failed create leaves a gap, which numbers tolerate.
    const seq = await this.acts.nextNumber(year);
    // The act, its parts and its history's first row in one statement (atomic without a transaction),
    // which returns the act as read back.
    const record = await this.acts.create(
      {
        number: `ACT-${year}-${String(seq).padStart(6, '0')}`,
        year,
        seq,
        serviceCenterId: ctx.principal.ownerId,
        status: ActStatus.Draft,
        resolution: null,
        kind: claimedKind(content.product, content.diagnosis),
        product: content.product,
        diagnosis: content.diagnosis,
        extra: content.extra,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
      content.parts,
      actorOf(ctx.principal),
    );
    return this.view(record, ctx.language);
  }

  async get(id: string, ctx: RequestContext): Promise<ActView> {
    const record = await this.acts.findRecord(id, ctx.principal);
    if (!record) throw Problems.notFound('act');
    return this.view(record, ctx.language);
  }

  /** Replaces one section. SC: while draft or info_requested; managers: until closed. */
  async updateSection(
    id: string,
    ctx: RequestContext,
    section: Section,
    dto: ProductDto | DiagnosisDto | ExtraDto,
    ifMatch: IfMatch | undefined,
  ): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const act = await this.lockForEdit(tx, id, ctx, ifMatch);
      const actor = actorOf(ctx.principal);
      const before = act[section];
      const value = section === 'product' ? normaliseProduct(dto as ProductSection) : { ...dto };
      const content = { ...(await this.content(tx, act)), [section]: value };
      await this.assertValid(tx, content, this.clock.now(), section);
      await this.lifecycle.touch(
        tx,
        act,
        { [section]: value, ...(act.decidedAt ? {} : { kind: claimedKind(content.product, content.diagnosis) }) },
        actor,
      );
      await this.recordEdit(tx, act, ctx, sectionChanges(section, before, value));
      // The product section holds every input of the flags but photos (serial number, model, category, dates, condition).
      if (section === 'product' && act.submittedAt) await this.flags.recompute(tx, act.id);
    });
    return this.get(id, ctx);
  }

  /** Replaces the whole parts list. */
  async replaceParts(id: string, ctx: RequestContext, dtos: PartDto[], ifMatch: IfMatch | undefined): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const act = await this.lockForEdit(tx, id, ctx, ifMatch);
      const parts = normaliseParts(dtos);
      const content = await this.content(tx, act);
      if (act.settlementId && ownPartLinesChanged(content.parts, parts)) throw new ActSettled(act.settlementId);
      await this.assertValid(tx, { ...content, parts }, this.clock.now(), 'parts');
      await this.acts.replaceParts(tx, act.id, parts);
      await this.lifecycle.touch(tx, act, {}, actorOf(ctx.principal));
      await this.recordEdit(tx, act, ctx, partsChanges(content.parts, parts));
    });
    return this.get(id, ctx);
  }

  /**
   * "Create": checks the whole act and sends it to the managers. When required photos are
   * missing, the system asks for them at once (info_requested with a reply deadline).
   * Submitting an act already past draft returns it unchanged (the machine's no-op).
   */
  async submit(id: string, ctx: RequestContext): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const locked = await this.acts.lockWithContent(tx, id, ctx.principal);
      if (!locked) throw Problems.notFound('act');
      const { act, parts, photoKinds } = locked;
      const actor = actorOf(ctx.principal);
      if (this.lifecycle.check(act, ActAction.Submit, actor).noop) return;
      const content: ActContent = { product: act.product, diagnosis: act.diagnosis, extra: act.extra, parts };
      const now = this.clock.now();
      const errors = [...submitErrors(content, now), ...(await this.categoryErrors(tx, content.product))];
      if (errors.length) throw Problems.validation(dedupe(errors), detailMessage('actIncomplete'));
      // The submit and the request for the photos it lacks are written as one version of the act row.
      await this.lifecycle.applyInTurn(tx, act, [
        {
          action: ActAction.Submit,
          actor,
          options: { changes: (at) => ({ submittedAt: at, kind: claimedKind(content.product, content.diagnosis) }) },
        },
        ...this.missingPhotosRequest(act, photoKinds),
      ]);
      await this.flags.recompute(tx, act.id);
    });
    return this.get(id, ctx);
  }

  /** Withdraws a draft (closed as withdrawn). Withdrawing again is the machine's no-op. */
  async withdraw(id: string, ctx: RequestContext): Promise<void> {
    await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, id, ctx.principal);
      await this.lifecycle.apply(tx, act, ActAction.Withdraw, actorOf(ctx.principal), { reason: texts.reason.withdrawn });
    });
  }

  async history(id: string, ctx: RequestContext): Promise<HistoryEntryView[]> {
    await this.assertVisible(id, ctx);
    const rows = await this.acts.history(id);
    return rows.map((row) => ({
      type: row.type,
      from: row.fromStatus,
      to: row.toStatus,
      ...(row.resolution ? { resolution: row.resolution } : {}),
      actor: { role: row.actorRole, name: row.actorName },
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.changes ? { changes: row.changes } : {}),
      at: row.at,
    }));
  }

  /** 404 unless the act exists and the caller may see it. */
  async assertVisible(id: string, ctx: Pick<RequestContext, 'principal'>): Promise<void> {
    if (!(await this.acts.findState(id, ctx.principal))) throw Problems.notFound('act');
  }

  /** Newest first (or the review queue), keyset-paginated: no OFFSET, so deep pages stay fast. */
  async list(ctx: RequestContext, query: ListActsQuery): Promise<ActPageView> {
    const limit = query.limit ?? 20;
    const review = query.sort === 'review';
    if (review && ctx.principal.role !== Role.Manager) {
      throw Problems.badRequest(detailMessage('sortForManagers'), [{ field: 'sort', message: fieldMessage('forManagersOnly') }]);
    }
    const managersOnly = (['assignedTo', 'needsAttention', 'flagged', 'flag'] as const).find((name) => query[name] !== undefined);
    if (managersOnly && ctx.principal.role !== Role.Manager) {
      const field = managersOnly;
      throw Problems.badRequest(detailMessage('invalidParameters'), [{ field, message: fieldMessage('forManagersOnly') }]);
    }
    const records = await this.acts.list(ctx.principal, {
      assignedTo: query.assignedTo === 'me' ? ctx.principal.ownerId : query.assignedTo,
      needsAttention: query.needsAttention === undefined ? undefined : query.needsAttention === 'true',
      flagged: query.flagged === undefined ? undefined : query.flagged === 'true',
      flagTypes: query.flag,
      statuses: query.status,
      serviceCenterId: query.serviceCenterId,
      text: query.q?.trim().toLowerCase() || undefined,
      createdFrom: query.createdFrom,
      createdBefore: query.createdTo,
      review,
      cursor: query.cursor ? decodeTimeCursor(query.cursor, review) : undefined,
      limit,
    });
    const page = await Promise.all(records.slice(0, limit).map((record) => this.view(record, ctx.language)));
    const last = page[page.length - 1];
    const nextCursor =
      records.length > limit && last
        ? review
          ? encodeTimeCursor(last.submittedAt as Date, last.id, last.preSale)
          : encodeTimeCursor(last.createdAt, last.id)
        : null;
    return { items: page, nextCursor };
  }

  /** By short sequence number (ignoring leading zeros), full number, or the SC's internal number. */
  async lookup(ctx: RequestContext, number: string): Promise<ActLookupView> {
    const records = await this.acts.lookup(ctx.principal, number.trim());
    return { items: await Promise.all(records.map((record) => this.view(record, ctx.language))) };
  }

  /**
   * After a section is saved: past the draft, each changed field goes into the history (and a
   * manager's correction to the SC); an SC's correction of an info_requested act answers it.
   */
  private async recordEdit(tx: EntityManager, act: Act, ctx: RequestContext, changes: FieldChange[]): Promise<void> {
    const actor = actorOf(ctx.principal);
    await this.lifecycle.edited(tx, act, actor, changes);
    await this.lifecycle.follow(tx, act, ActAction.Edit, actor, texts.reason.answeredByEdit);
  }

  /** The system's request for the photos a submitted act lacks, with its comment, if it lacks any (a step of applyInTurn). */
  private missingPhotosRequest(act: Act, photoKinds: PhotoKind[]): Step[] {
    const missing = missingPhotos(act.product, photoKinds);
    if (missing.length === 0) return [];
    const options: ApplyOptions = {
      reason: texts.reason.missingPhotos,
      comment: missingPhotosComment(missing),
      changes: async (now) => ({ replyDeadline: await this.calendar.deadline(now, this.config.infoReplyWindow) }),
    };
    return [{ action: ActAction.RequestInfo, actor: SYSTEM_ACTOR, options }];
  }

  /** The act as the API shows it; a submitted act's review is due REVIEW_SLA (business days, Moscow) after submission. */
  private async view(record: ActRecord, language: Language): Promise<ActView> {
    const { act } = record;
    const reviewDueAt =
      act.status === ActStatus.Submitted && act.submittedAt ? await this.calendar.deadline(act.submittedAt, this.config.reviewSla) : null;
    return toActView(act, record.parts, record.photos, {
      language,
      now: this.clock.now(),
      reviewDueAt,
      assignedManager: record.assignedManager,
      invoice: record.invoice,
      flags: record.flags,
    });
  }

  private async lockForEdit(tx: EntityManager, id: string, ctx: RequestContext, ifMatch: IfMatch | undefined): Promise<Act> {
    const act = await this.lifecycle.lock(tx, id, ctx.principal);
    if (ifMatch && !ifMatch.matches(act.version)) {
      throw Problems.preconditionFailed(detailMessage('versionChanged', { version: act.version }));
    }
    this.lifecycle.check(act, ActAction.Edit, actorOf(ctx.principal));
    return act;
  }

  private async content(tx: EntityManager, act: Act): Promise<ActContent> {
    return { product: act.product, diagnosis: act.diagnosis, extra: act.extra, parts: await this.acts.parts(tx, act.id) };
  }

  /** Rules that hold for drafts too; with `only`, errors of other sections are not reported. */
  private async assertValid(tx: EntityManager, content: ActContent, now: Date, only?: Section | 'parts'): Promise<void> {
    let errors = [...consistencyErrors(content, now), ...(await this.categoryErrors(tx, content.product))];
    if (only) {
      // Saving one section must not fail on another section's problem, except the ones this
      // section takes part in (own-part prices depend on the diagnosis' warranty flag).
      const related: Record<string, string[]> = {
        product: ['product'],
        diagnosis: ['diagnosis', 'parts'],
        parts: ['parts'],
        extra: ['extra'],
      };
      errors = errors.filter((e) => related[only].some((s) => e.field.startsWith(s)));
    }
    if (errors.length) throw Problems.validation(dedupe(errors));
  }

  private async categoryErrors(tx: EntityManager, product: ProductSection): Promise<FieldError[]> {
    if (!product.categoryId) return [];
    return (await this.categories.exists(tx, product.categoryId)) ? [] : [{ field: 'product.categoryId', message: fieldMessage('unknownCategory') }];
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\n${JSON.stringify(e.message)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
