import fc from 'fast-check';
import { ActSweeps } from '../src/acts/act-sweeps.service';
import { appWith, bearer, TestApp } from './app';
import { attachPhotoRows, makeAct, makeServiceCenter, REQUIRED_PHOTOS, TestServiceCenter } from './factories';
import { createSuiteDatabase } from './setup/test-env';

/**
 * Model-based test of the act lifecycle (issue 18): random sequences of every action by the
 * act's SC, another SC, a manager and the deadline sweeps (the clock moved past the deadlines),
 * each checked against a small reference model of domain.md's "Lifecycle" and API.md's Acts
 * endpoints written here by hand. The model is deliberately independent of the status machine
 * in src/acts/act-status.ts: it predicts the outcome class of every request (2xx, 403, 404, 409,
 * 422) and the act's status and resolution afterwards, and the test compares both with the
 * API's answer and with GET /acts/:id.
 *
 * MODEL_RUNS sets the number of runs (200 by default; `npm run test:model` runs 5000). Each run
 * has one fresh act: complete, with its required photo rows, one part to ship (so `repaired`
 * from approved is refused) and not a 14-day refusal (so the refund decision is refused).
 */

const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const DAY = 86_400_000;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

type Status = 'draft' | 'submitted' | 'info_requested' | 'approved' | 'parts_shipped' | 'parts_delivered' | 'part_mismatch' | 'closed';
type Resolution = 'repaired' | 'warranty_refused' | 'not_warranty' | 'withdrawn' | 'not_repaired' | 'refund_or_exchange';
type Who = 'sc' | 'other' | 'manager';
/** An answer's class: any 2xx, or the exact error status. */
type Outcome = '2xx' | 403 | 404 | 409 | 422;

/** The reference model: what domain.md says the act is. */
interface Model {
  status: Status;
  resolution: Resolution | null;
  /** parts_delivered with a running mismatch deadline (cleared by an SC comment). */
  mismatchDeadline: boolean;
  /** A shipment was made for the act (so "delivered" has a parcel to name). */
  shipped: boolean;
  /** Approved as a paid order: its parts ship only after the invoice is paid (no invoice in these runs: 409). */
  paidOrder: boolean;
}

interface Real {
  t: TestApp;
  sc: TestServiceCenter;
  other: TestServiceCenter;
  actId: string;
  shipmentId: string | null;
}

const OPEN: Status[] = ['submitted', 'info_requested', 'approved', 'parts_shipped', 'parts_delivered', 'part_mismatch'];
const BEFORE_CLOSING: Status[] = ['draft', ...OPEN];

/** What the model expects of one request: its outcome and, when it succeeds, the act's change. */
interface Prediction {
  outcome: Outcome;
  next?: Partial<Model>;
}

const ok = (next: Partial<Model> = {}): Prediction => ({ outcome: '2xx', next });
const refused = (outcome: Exclude<Outcome, '2xx'>): Prediction => ({ outcome });
const closed = (resolution: Resolution): Partial<Model> => ({ status: 'closed', resolution, mismatchDeadline: false });

/**
 * Who may call it: an SC-only endpoint answers a manager 403 and another SC 404 (it never learns
 * that the act exists); a manager-only endpoint answers any SC 403.
 */
function access(who: Who, roles: Who[]): Prediction | undefined {
  if (roles.includes(who)) return undefined;
  if (who === 'other' && roles.includes('sc')) return refused(404);
  return refused(403);
}

/** The SC answers a manager's question by anything it does on the act. */
const answers = (m: Model): Partial<Model> => (m.status === 'info_requested' ? { status: 'submitted' } : {});

type Request = (r: Real, who: Who) => Promise<{ status: number; body: unknown }>;

class Step implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly name: string,
    readonly who: Who,
    readonly predict: (m: Model) => Prediction,
    readonly send: Request,
    readonly possible: (m: Model) => boolean = () => true,
  ) {}

  check(m: Readonly<Model>): boolean {
    return this.possible(m);
  }

  async run(m: Model, r: Real): Promise<void> {
    const prediction = this.predict(m);
    const res = await this.send(r, this.who);
    const got: '2xx' | number = res.status >= 200 && res.status < 300 ? '2xx' : res.status;
    const before = { status: m.status, resolution: m.resolution };
    if (got !== prediction.outcome) {
      throw new Error(
        `${this.toString()} on ${JSON.stringify(before)}: expected ${prediction.outcome}, got ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    if (prediction.outcome === '2xx') Object.assign(m, prediction.next ?? {});
    const act = await r.t.http.get(`/api/v1/acts/${r.actId}`).set(bearer(r.sc.key));
    if (act.status !== 200) throw new Error(`GET /acts/:id answered ${act.status} after ${this.toString()}`);
    const seen = { status: act.body.status, resolution: act.body.resolution ?? null };
    const want = { status: m.status, resolution: m.resolution };
    if (seen.status !== want.status || seen.resolution !== want.resolution) {
      throw new Error(
        `${this.toString()} on ${JSON.stringify(before)}: the model expects ${JSON.stringify(want)}, the act is ${JSON.stringify(seen)}`,
      );
    }
  }

  toString(): string {
    return this.name.startsWith('sweeps') ? this.name : `${this.name} by ${this.who}`;
  }
}

const keyOf = (r: Real, who: Who) => bearer(who === 'manager' ? r.t.managerKey : who === 'sc' ? r.sc.key : r.other.key);
const post =
  (path: string, body: () => object = () => ({})): Request =>
  (r, who) =>
    r.t.http.post(`/api/v1/acts/${r.actId}${path}`).set(keyOf(r, who)).send(body());

/**
 * Any caller, the one the action is for more often than the others: uniform callers leave most
 * runs in draft (only the SC's submit leaves it).
 */
const caller = (usual: Who) =>
  fc.oneof(
    { arbitrary: fc.constant(usual), weight: 4 },
    ...(['sc', 'other', 'manager'] as const).filter((w) => w !== usual).map((w) => fc.constant(w)),
  );
const bySc = caller('sc');
const byManager = caller('manager');

/** Every action of the lifecycle, as arbitraries of commands. */
const actions = [
  bySc.map((who) => new Step('submit', who, (m) => access(who, ['sc']) ?? ok(m.status === 'draft' ? { status: 'submitted' } : {}), post('/submit'))),
  fc.tuple(bySc, fc.integer({ min: 1, max: 3 })).map(
    ([who, complexity]) =>
      new Step(
        `PUT extra (complexity ${complexity})`,
        who,
        (m) => {
          const denied = access(who, ['sc', 'manager']);
          if (denied) return denied;
          if (who === 'manager') return BEFORE_CLOSING.includes(m.status) ? ok() : refused(409);
          return m.status === 'draft' || m.status === 'info_requested' ? ok(answers(m)) : refused(409);
        },
        (r, who) =>
          r.t.http.put(`/api/v1/acts/${r.actId}/extra`).set(keyOf(r, who)).send({
            customerName: 'Петров Пётр Петрович',
            customerPhone: '+7 916 123-45-67',
            sellerOrganization: 'ООО «Садовод»',
            complexity,
            productState: 'left_at_service_center',
            repairEndDate: null,
          }),
      ),
  ),
  bySc.map(
    (who) =>
      new Step(
        'comment',
        who,
        (m) => {
          const denied = access(who, ['sc', 'manager']);
          if (denied) return denied;
          if (who === 'manager') return ok();
          if (m.status === 'closed') return refused(409);
          // An SC comment on a delivered act holds it for a manager: no automatic closing.
          if (m.status === 'parts_delivered') return ok({ mismatchDeadline: false });
          return ok(answers(m));
        },
        post('/comments', () => ({ text: 'Вопрос по акту' })),
      ),
  ),
  bySc.map(
    (who) =>
      new Step(
        'photo',
        who,
        (m) => {
          const denied = access(who, ['sc', 'manager']);
          if (denied) return denied;
          if (who === 'manager') return ok();
          return m.status === 'closed' ? refused(409) : ok(answers(m));
        },
        (r, w) => r.t.http.post(`/api/v1/acts/${r.actId}/photos`).set(keyOf(r, w)).field('kind', 'other').attach('file', PNG, 'photo.png'),
      ),
  ),
  byManager.map(
    (who) =>
      new Step(
        'request-info',
        who,
        (m) =>
          access(who, ['manager']) ?? (m.status === 'submitted' || m.status === 'info_requested' ? ok({ status: 'info_requested' }) : refused(409)),
        post('/request-info', () => ({ text: 'Пришлите фото шильдика' })),
      ),
  ),
  fc.tuple(byManager, fc.constantFrom('warranty', 'paid', 'not_warranty', 'refund')).map(
    ([who, decision]) =>
      new Step(
        `decision ${decision}`,
        who,
        (m) => {
          const denied = access(who, ['manager']);
          if (denied) return denied;
          // The status is checked first (409, API.md's meaning of 409); on a submitted act the
          // refund decision is refused as a body (422): this act is no 14-day refusal.
          if (m.status !== 'submitted') return refused(409);
          if (decision === 'refund') return refused(422);
          return ok(decision === 'not_warranty' ? closed('not_warranty') : { status: 'approved', paidOrder: decision === 'paid' });
        },
        post('/decision', () => (decision === 'not_warranty' ? { decision, reasonCode: 'improper_use' } : { decision })),
      ),
  ),
  fc.tuple(byManager, fc.constantFrom<Resolution>('repaired', 'warranty_refused', 'not_warranty', 'not_repaired', 'refund_or_exchange')).map(
    ([who, resolution]) =>
      new Step(
        `close as ${resolution}`,
        who,
        (m) => access(who, ['manager']) ?? (OPEN.includes(m.status) ? ok(closed(resolution)) : refused(409)),
        post('/close', () => ({ resolution, reason: 'Закрыт менеджером' })),
      ),
  ),
  fc.tuple(byManager, fc.constantFrom<Status>('submitted', 'approved', 'part_mismatch')).map(
    ([who, to]) =>
      new Step(
        `reopen to ${to}`,
        who,
        (m) =>
          access(who, ['manager']) ??
          // A withdrawn draft stays withdrawn: only acts closed by a resolution reopen.
          (m.status === 'closed' && m.resolution !== 'withdrawn' ? ok({ status: to, resolution: null }) : refused(409)),
        post('/reopen', () => ({ reason: 'Закрыт по ошибке', to })),
      ),
  ),
  byManager.map(
    (who) =>
      new Step(
        'ship',
        who,
        (m) =>
          access(who, ['manager']) ??
          (m.status === 'approved' || m.status === 'part_mismatch'
            ? m.paidOrder
              ? refused(409) // payment-required: an unpaid paid order does not ship
              : ok({ status: 'parts_shipped', shipped: true })
            : refused(409)),
        async (r, w) => {
          const res = await r.t.http
            .post('/api/v1/shipments')
            .set(keyOf(r, w))
            .send({ carrier: 'СДЭК', trackingNumber: `10${Date.now()}`, actIds: [r.actId] });
          if (res.status === 201) r.shipmentId = res.body.id as string;
          return res;
        },
      ),
  ),
  bySc.map(
    (who) =>
      new Step(
        'delivered',
        who,
        (m) =>
          access(who, ['sc', 'manager']) ?? (m.status === 'parts_shipped' ? ok({ status: 'parts_delivered', mismatchDeadline: true }) : refused(409)),
        (r, w) => r.t.http.post(`/api/v1/shipments/${r.shipmentId}/delivered`).set(keyOf(r, w)).send({}),
        (m) => m.shipped,
      ),
  ),
  fc.tuple(bySc, fc.constantFrom('wrong_part', 'incomplete', 'damaged', 'other_unit_failed', 'other')).map(
    ([who, reason]) =>
      new Step(
        `mismatch (${reason})`,
        who,
        (m) =>
          access(who, ['sc']) ??
          (m.status === 'parts_shipped' || m.status === 'parts_delivered' ? ok({ status: 'part_mismatch', mismatchDeadline: false }) : refused(409)),
        post('/mismatch', () => ({ text: 'Прислали не тот коленвал', reason })),
      ),
  ),
  bySc.map(
    (who) =>
      new Step(
        'repaired',
        who,
        // From approved only when nothing is to be shipped: this act has a part to ship.
        (m) => access(who, ['sc']) ?? (m.status === 'parts_shipped' || m.status === 'parts_delivered' ? ok(closed('repaired')) : refused(409)),
        post('/repaired'),
      ),
  ),
  bySc.map(
    (who) =>
      new Step(
        'withdraw',
        who,
        (m) => {
          const denied = access(who, ['sc']);
          if (denied) return denied;
          if (m.status === 'draft') return ok(closed('withdrawn'));
          return m.status === 'closed' && m.resolution === 'withdrawn' ? ok() : refused(409);
        },
        (r, w) => r.t.http.delete(`/api/v1/acts/${r.actId}`).set(keyOf(r, w)),
      ),
  ),
  fc.constant(
    new Step(
      'sweeps 6 days later',
      'manager',
      (m) => {
        if (m.status === 'info_requested') return ok(closed('warranty_refused'));
        if (m.status === 'parts_delivered' && m.mismatchDeadline) return ok(closed('repaired'));
        return ok();
      },
      async (r) => {
        r.t.clock.advance(6 * DAY);
        const sweeps = r.t.app.get(ActSweeps, { strict: false });
        await sweeps.closeSilentActs();
        await sweeps.closeDeliveredActs();
        return { status: 200, body: null };
      },
    ),
  ),
];

/**
 * fc.commands picks among the arbitraries evenly: the sweeps and the comment (which decide the
 * automatic closings) are listed twice so that runs reach "delivered, held, swept" more often.
 */
const commands = [...actions, actions[2], actions[actions.length - 1]];

/** The usual path (submit, approve, ship, deliver): runs start somewhere on it. */
const HAPPY_PATH = ['submit', 'decision warranty', 'ship', 'delivered'].map((name) => {
  const step = commands
    .map((arbitrary) => fc.sample(arbitrary, { numRuns: 200, seed: 1 }))
    .flat()
    .find((c) => c.name === name && c.who === (name === 'decision warranty' || name === 'ship' ? 'manager' : 'sc'));
  if (!step) throw new Error(`no ${name} step`);
  return step;
});

describe('the act lifecycle against a reference model (fast-check)', () => {
  let t: TestApp;
  let sc: TestServiceCenter;
  let other: TestServiceCenter;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // The sweeps close every overdue act of their database and the clock moves by days: this
    // suite has a database and a Redis prefix of its own.
    const suite = await createSuiteDatabase();
    dropDatabase = suite.drop;
    t = await appWith({
      DATABASE_URL: suite.databaseUrl,
      REDIS_PREFIX: `${process.env.REDIS_PREFIX ?? 'wa-test'}:model`,
      INFO_REPLY_WINDOW: '5d',
      MISMATCH_WINDOW: '3d',
      RATE_LIMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_ANON_PER_MINUTE: '1000000',
    });
    sc = await makeServiceCenter(t);
    other = await makeServiceCenter(t);
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase?.();
  });

  it(`follows domain.md's lifecycle in ${RUNS} random runs`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: HAPPY_PATH.length }), fc.commands(commands, { maxCommands: 12 }), async (walked, cmds) => {
        const act = await makeAct(t, sc);
        await attachPhotoRows(t, act.id, REQUIRED_PHOTOS);
        const model: Model = { status: 'draft', resolution: null, mismatchDeadline: false, shipped: false, paidOrder: false };
        const real: Real = { t, sc, other, actId: act.id, shipmentId: null };
        // A run starts from a random point of the usual path, then takes random steps.
        await fc.asyncModelRun(() => ({ model, real }), [...HAPPY_PATH.slice(0, walked), ...cmds]);
      }),
      { numRuns: RUNS },
    );
  }, 3_600_000);
});
