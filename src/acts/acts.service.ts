import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { Principal, Role, tenantOf } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { FieldError, Problems } from '../common/problem';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { ActPhoto } from '../photos/act-photo.entity';
import { ProductCategory } from '../product-categories/product-category.entity';
import { Act } from './act.entity';
import { ActHistoryEntry } from './act-history.entity';
import { ActLifecycle } from './act-lifecycle.service';
import { ActPart } from './act-part.entity';
import { claimedKind, consistencyErrors, missingPhotos, missingPhotosComment, submitErrors } from './act-rules';
import { DiagnosisSection, ExtraSection, NO_SERIAL_NUMBER_TEXT, PartRow, ProductSection } from './act-sections';
import { ActAction, ActStatus, Language, Resolution, transitionFor } from './act-status';
import { ActLookupView, ActPageView, ActView, HistoryEntryView } from './act.view';
import { toActView } from './act-view.mapper';
import { actorOf, SYSTEM_ACTOR } from './actor';
import { CreateActDto } from './dto/create-act.dto';
import { DiagnosisDto } from './dto/diagnosis.dto';
import { ExtraDto } from './dto/extra.dto';
import { ListActsQuery } from './dto/list-acts.query';
import { PartDto } from './dto/part.dto';
import { ProductDto } from './dto/product.dto';

export type Section = 'product' | 'diagnosis' | 'extra';

const NO_SERIAL = new RegExp(`^\\s*${NO_SERIAL_NUMBER_TEXT.replace('/', '\\s*/\\s*')}\\s*$`, 'i');

/** Stored form of the product section: defaults filled, "Б/Н" read as no serial number. */
function normaliseProduct(dto: ProductDto): ProductSection {
  const product: ProductSection = { refusedWithin14Days: false, paidOrder: false, noSerialNumber: false, ...dto };
  if (typeof product.serialNumber === 'string' && NO_SERIAL.test(product.serialNumber)) {
    product.serialNumber = null;
    product.noSerialNumber = true;
  }
  if (product.noSerialNumber && product.serialNumber === undefined) product.serialNumber = null;
  return product;
}

function normaliseParts(parts: PartDto[]): PartRow[] {
  return parts.map((part) => ({
    name: part.name,
    diagramNumber: part.diagramNumber ?? null,
    quantity: part.quantity,
    ownPart: part.ownPart ?? false,
    unitPrice: part.unitPrice ?? null,
  }));
}

/** An act's parts and photos as JSON, from correlated subqueries (money as text, never a float). */
const PARTS_JSON = `(SELECT coalesce(json_agg(json_build_object('id', p.id, 'actId', p.act_id, 'position', p.position,
    'name', p.name, 'diagramNumber', p.diagram_number, 'quantity', p.quantity, 'ownPart', p.own_part,
    'unitPrice', p.unit_price::text) ORDER BY p.position), '[]') FROM act_parts p WHERE p.act_id = a.id)`;
const PHOTOS_JSON = `(SELECT coalesce(json_agg(json_build_object('id', f.id, 'actId', f.act_id, 'kind', f.kind,
    'fileName', f.file_name, 'contentType', f.content_type, 'size', f.size, 'sha256', f.sha256,
    'createdAt', f.created_at) ORDER BY f.created_at, f.id), '[]') FROM act_photos f WHERE f.act_id = a.id)`;

const ACT_COLUMNS = `a.id, a.number, a.year, a.seq, a.service_center_id, a.status, a.resolution, a.kind, a.product,
  a.diagnosis, a.extra, a.reply_deadline, a.mismatch_deadline, a.reminded_deadline, a.version, a.created_at,
  a.updated_at, a.submitted_at, a.decided_at, a.closed_at`;

const ACT_BY_ID_SQL = `SELECT ${ACT_COLUMNS}, ${PARTS_JSON} AS parts_json, ${PHOTOS_JSON} AS photos_json
  FROM acts a WHERE a.id = $1 AND ($2::uuid IS NULL OR a.service_center_id = $2)`;

interface RenderedExtras {
  parts_json: ActPart[];
  photos_json: (ActPhoto & { createdAt: string })[];
}

/** An acts row (snake_case columns, as ACT_COLUMNS selects them) as the entity. */
function actFromRow(row: Record<string, never>): Act {
  return Object.assign(new Act(), {
    id: row.id,
    number: row.number,
    year: row.year,
    seq: row.seq,
    serviceCenterId: row.service_center_id,
    status: row.status,
    resolution: row.resolution,
    kind: row.kind,
    product: row.product,
    diagnosis: row.diagnosis,
    extra: row.extra,
    replyDeadline: row.reply_deadline,
    mismatchDeadline: row.mismatch_deadline,
    remindedDeadline: row.reminded_deadline,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    closedAt: row.closed_at,
  });
}

@Injectable()
export class ActsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly lifecycle: ActLifecycle,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new draft, numbered ACT-<year>-<6 digits>. */
  async create(principal: Principal, dto: CreateActDto, language: Language): Promise<ActView> {
    const product = normaliseProduct(dto.product);
    const diagnosis: DiagnosisSection = { ...dto.diagnosis };
    const extra: ExtraSection = { ...dto.extra };
    const parts = normaliseParts(dto.parts ?? []);
    const now = this.clock.now();
    await this.assertValid(this.db.manager, { product, diagnosis, parts, extra }, now);
    const year = Number(now.toLocaleString('en-US', { timeZone: 'Europe/Moscow', year: 'numeric' }));
    // Taken in its own short statement, not in the act's transaction: concurrent creates do not
    // wait for each other's commits, and a failed create leaves a gap, which numbers tolerate.
    const seq = await this.nextNumber(this.db.manager, year);
    const id = await this.db.transaction(async (tx) => {
      const act = tx.create(Act, {
        number: `ACT-${year}-${String(seq).padStart(6, '0')}`,
        year,
        seq,
        serviceCenterId: principal.ownerId,
        status: ActStatus.Draft,
        resolution: null,
        kind: claimedKind(product, diagnosis),
        product,
        diagnosis,
        extra,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(Act, act);
      await this.insertParts(tx, act.id, parts);
      await this.lifecycle.created(tx, act, actorOf(principal));
      return act.id;
    });
    return this.get(id, principal, language);
  }

  async get(id: string, principal: Principal, language: Language): Promise<ActView> {
    const view = await this.renderOne(id, principal, language);
    if (!view) throw Problems.notFound('Act');
    return view;
  }

  /** Replaces one section. SC: while draft or info_requested; managers: until closed. */
  async updateSection(
    id: string,
    principal: Principal,
    section: Section,
    dto: ProductDto | DiagnosisDto | ExtraDto,
    ifMatch: string | undefined,
    language: Language,
  ): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const act = await this.lockForEdit(tx, id, principal, ifMatch);
      const value = section === 'product' ? normaliseProduct(dto as ProductDto) : { ...dto };
      const content = { ...(await this.content(tx, act)), [section]: value };
      await this.assertValid(tx, content, this.clock.now(), section);
      await this.lifecycle.touch(tx, act, {
        [section]: value,
        ...(act.decidedAt ? {} : { kind: claimedKind(content.product, content.diagnosis) }),
      });
    });
    return this.get(id, principal, language);
  }

  /** Replaces the whole parts list. */
  async replaceParts(
    id: string,
    principal: Principal,
    dtos: PartDto[],
    ifMatch: string | undefined,
    language: Language,
  ): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const act = await this.lockForEdit(tx, id, principal, ifMatch);
      const parts = normaliseParts(dtos);
      await this.assertValid(tx, { ...(await this.content(tx, act)), parts }, this.clock.now(), 'parts');
      await tx.delete(ActPart, { actId: act.id });
      await this.insertParts(tx, act.id, parts);
      await this.lifecycle.touch(tx, act);
    });
    return this.get(id, principal, language);
  }

  /**
   * "Create": checks the whole act and sends it to the managers. When required photos are
   * missing, the system asks for them at once (info_requested with a reply deadline).
   * Submitting an act already past draft returns it unchanged.
   */
  async submit(id: string, principal: Principal, language: Language): Promise<ActView> {
    await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, id, principal);
      if (act.status !== ActStatus.Draft) return;
      const content = await this.content(tx, act);
      const now = this.clock.now();
      const errors = [...submitErrors(content, now), ...(await this.categoryErrors(tx, content.product))];
      if (errors.length) throw Problems.validation(dedupe(errors), 'The act is not complete; see errors.');
      await this.lifecycle.apply(tx, act, ActAction.Submit, actorOf(principal), {
        changes: (at) => ({ submittedAt: at, kind: claimedKind(content.product, content.diagnosis) }),
      });
      await this.requestMissingPhotos(tx, act);
    });
    return this.get(id, principal, language);
  }

  /** Puts a submitted act on hold when required photos are missing, with a system comment. */
  async requestMissingPhotos(tx: EntityManager, act: Act): Promise<void> {
    const photos = await tx.find(ActPhoto, { where: { actId: act.id }, select: { kind: true } });
    const missing = missingPhotos(act.product, photos.map((p) => p.kind));
    if (missing.length === 0) return;
    await this.lifecycle.apply(tx, act, ActAction.RequestInfo, SYSTEM_ACTOR, {
      reason: 'Не хватает обязательных фото',
      comment: missingPhotosComment(missing),
      changes: (now) => ({ replyDeadline: new Date(now.getTime() + this.config.infoReplyWindowMs) }),
    });
  }

  /** Withdraws a draft (closed as withdrawn). Withdrawing again is harmless. */
  async withdraw(id: string, principal: Principal): Promise<void> {
    await this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, id, principal);
      if (act.status === ActStatus.Closed && act.resolution === Resolution.Withdrawn) return;
      await this.lifecycle.apply(tx, act, ActAction.Withdraw, actorOf(principal), { reason: 'Отозван сервисным центром' });
    });
  }

  async history(id: string, principal: Principal): Promise<HistoryEntryView[]> {
    await this.assertVisible(id, principal);
    const rows = await this.db.getRepository(ActHistoryEntry).find({ where: { actId: id }, order: { id: 'ASC' } });
    return rows.map((row) => ({
      from: row.fromStatus,
      to: row.toStatus,
      ...(row.resolution ? { resolution: row.resolution } : {}),
      actor: { role: row.actorRole, name: row.actorName },
      ...(row.reason ? { reason: row.reason } : {}),
      at: row.at,
    }));
  }

  /** 404 unless the act exists and the caller may see it. */
  async assertVisible(id: string, principal: Principal): Promise<void> {
    const found = await this.scoped(this.db.manager, principal).andWhere('a.id = :id', { id }).select('a.id').getRawOne();
    if (!found) throw Problems.notFound('Act');
  }

  /** Newest first (or the review queue), keyset-paginated: no OFFSET, so deep pages stay fast. */
  async list(principal: Principal, query: ListActsQuery, language: Language): Promise<ActPageView> {
    const limit = query.limit ?? 20;
    const review = query.sort === 'review';
    if (review && principal.role !== Role.Manager) {
      throw Problems.badRequest('sort=review is for managers.', [{ field: 'sort', message: 'is for managers only' }]);
    }
    const qb = this.scoped(this.db.manager, principal);
    if (query.status?.length) qb.andWhere('a.status IN (:...statuses)', { statuses: query.status });
    if (query.serviceCenterId) qb.andWhere('a.service_center_id = :sc', { sc: query.serviceCenterId });
    if (query.q?.trim()) {
      const like = `%${query.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere('a.search_text LIKE :like', { like });
    }
    if (query.createdFrom) qb.andWhere('a.created_at >= :from', { from: boundary(query.createdFrom, 'start') });
    if (query.createdTo) qb.andWhere('a.created_at < :to', { to: boundary(query.createdTo, 'end') });

    const cursor = query.cursor ? decodeTimeCursor(query.cursor, review) : undefined;
    if (review) {
      qb.andWhere('a.submitted_at IS NOT NULL');
      if (cursor) {
        qb.andWhere(
          '(a.pre_sale < :p OR (a.pre_sale = :p AND (a.submitted_at, a.id) > (:t, :i)))',
          { p: cursor.p, t: cursor.t, i: cursor.i },
        );
      }
      qb.orderBy('a.pre_sale', 'DESC').addOrderBy('a.submitted_at', 'ASC').addOrderBy('a.id', 'ASC');
    } else {
      if (cursor) qb.andWhere('(a.created_at, a.id) < (:t, :i)', { t: cursor.t, i: cursor.i });
      qb.orderBy('a.created_at', 'DESC').addOrderBy('a.id', 'DESC');
    }
    const views = await this.render(qb.limit(limit + 1), language);
    const page = views.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      views.length > limit && last
        ? review
          ? encodeTimeCursor(last.submittedAt as Date, last.id, last.preSale)
          : encodeTimeCursor(last.createdAt, last.id)
        : null;
    return { items: page, nextCursor };
  }

  /** By short sequence number (ignoring leading zeros), full number, or the SC's internal number. */
  async lookup(principal: Principal, number: string, language: Language): Promise<ActLookupView> {
    const value = number.trim();
    const qb = this.scoped(this.db.manager, principal);
    const conditions = ['a.internal_number = :internal', 'a.number = :full'];
    const params: Record<string, unknown> = { internal: value.toLowerCase(), full: value.toUpperCase() };
    if (/^\d{1,9}$/.test(value)) {
      conditions.push('a.seq = :seq');
      params.seq = Number(value);
    }
    qb.andWhere(`(${conditions.join(' OR ')})`, params).orderBy('a.created_at', 'DESC').limit(50);
    return { items: await this.render(qb, language) };
  }

  /** Acts the caller may see: an SC only its own, in the query itself. */
  scoped(manager: EntityManager, principal: Principal): SelectQueryBuilder<Act> {
    const qb = manager.createQueryBuilder(Act, 'a').where('TRUE');
    const tenant = tenantOf(principal);
    if (tenant) qb.andWhere('a.service_center_id = :tenant', { tenant });
    return qb;
  }

  /**
   * Views of the acts a query selects, with their parts and photos, in ONE round trip: the
   * parts and photos come as JSON from correlated subqueries (money as text, never a float).
   */
  async render(qb: SelectQueryBuilder<Act>, language: Language): Promise<ActView[]> {
    const { entities, raw } = await qb
      .addSelect(PARTS_JSON, 'parts_json')
      .addSelect(PHOTOS_JSON, 'photos_json')
      .getRawAndEntities();
    const ctx = this.viewContext(language);
    const extras = new Map<string, RenderedExtras>(raw.map((row) => [row.a_id, row]));
    return entities.map((act) => this.toView(act, extras.get(act.id), ctx));
  }

  /**
   * One act by id, scoped to the caller: the hottest read, so a fixed SQL text (no query
   * building) and one round trip.
   */
  private async renderOne(id: string, principal: Principal, language: Language): Promise<ActView | undefined> {
    const [row] = await this.db.query(ACT_BY_ID_SQL, [id, tenantOf(principal) ?? null]);
    return row ? this.toView(actFromRow(row), row, this.viewContext(language)) : undefined;
  }

  private viewContext(language: Language) {
    return { language, now: this.clock.now(), reviewSlaMs: this.config.reviewSlaMs };
  }

  private toView(act: Act, extras: RenderedExtras | undefined, ctx: ReturnType<ActsService['viewContext']>): ActView {
    const photos = (extras?.photos_json ?? []).map((photo) => ({ ...photo, createdAt: new Date(photo.createdAt) }));
    return toActView(act, extras?.parts_json ?? [], photos, ctx);
  }

  private async lockForEdit(tx: EntityManager, id: string, principal: Principal, ifMatch: string | undefined): Promise<Act> {
    const act = await this.lifecycle.lock(tx, id, principal);
    assertIfMatch(ifMatch, act.version);
    transitionFor(act.status, ActAction.Edit, actorOf(principal).role);
    return act;
  }

  private async content(tx: EntityManager, act: Act) {
    const parts = await tx.find(ActPart, { where: { actId: act.id }, order: { position: 'ASC' } });
    return {
      product: act.product,
      diagnosis: act.diagnosis,
      extra: act.extra,
      parts: parts.map((p) => ({ ...p, unitPrice: p.unitPrice })),
    };
  }

  /** Rules that hold for drafts too; with `only`, errors of other sections are not reported. */
  private async assertValid(
    tx: EntityManager,
    content: { product: ProductSection; diagnosis: DiagnosisSection; parts: PartRow[]; extra: ExtraSection },
    now: Date,
    only?: Section | 'parts',
  ): Promise<void> {
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
    const exists = await tx.exists(ProductCategory, { where: { id: product.categoryId } });
    return exists ? [] : [{ field: 'product.categoryId', message: 'is not a known product category' }];
  }

  private async insertParts(tx: EntityManager, actId: string, parts: PartRow[]): Promise<void> {
    if (parts.length === 0) return;
    await tx.insert(
      ActPart,
      parts.map((part, position) => ({ ...part, actId, position })),
    );
  }

  /** Numbers restart every year; unique, increasing, with a gap where a create failed. */
  private async nextNumber(tx: EntityManager, year: number): Promise<number> {
    const [row] = await tx.query(
      `INSERT INTO act_number_counters (year, last_value) VALUES ($1, 1)
       ON CONFLICT (year) DO UPDATE SET last_value = act_number_counters.last_value + 1
       RETURNING last_value`,
      [year],
    );
    return row.last_value;
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\n${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** If-Match: "3", W/"3" or * ; a stale version is 412. */
export function assertIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1'));
  if (tags.includes('*') || tags.includes(String(version))) return;
  throw Problems.preconditionFailed(`The act has changed (its version is ${version}); reload it and apply your change again.`);
}

function boundary(value: string, side: 'start' | 'end'): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00Z`);
    return side === 'start' ? start : new Date(start.getTime() + 86_400_000);
  }
  const at = new Date(value);
  return side === 'start' ? at : new Date(at.getTime() + 1);
}
