import fc from 'fast-check';
import { Principal, Role } from '../../src/common/auth/principal';
import { ProblemException } from '../../src/common/problem';
import { ReportsModule } from '../../src/reports/reports.module';
import { ReportsService } from '../../src/reports/reports.service';
import { SettlementsModule } from '../../src/settlements/settlements.module';
import { SettlementsService } from '../../src/settlements/settlements.service';
import { clearSettlements, closeAct, reopenAct, seedAct, seedManager, SeededPart, seedServiceCenter, setActParts } from '../support/seed';
import { createServiceTest, ServiceTest } from '../support/service-test';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Day 0 of the generated history: 2026-01-01 00:00 in Moscow (UTC+3). */
const START = Date.UTC(2026, 0, 1) - 3 * 60 * MINUTE;
const DAYS = 90;
const dayOf = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * DAY).toISOString().slice(0, 10);

type Line = { own: boolean; quantity: number; kopecks: number };
type Op =
  | { type: 'close'; sc: number; day: number; minute: number; lines: Line[] }
  | { type: 'reopen'; pick: number; newLines: Line[] | null }
  | { type: 'reclose'; pick: number; day: number; minute: number }
  | { type: 'settle'; day: number; sc: number | null };

/** The model of an act: what the property predicts from. */
interface ModelAct {
  id: string;
  sc: number;
  closedDay: number | null;
  lines: Line[];
  settledBy: string | null;
}

const line = fc.record({ own: fc.boolean(), quantity: fc.integer({ min: 1, max: 5 }), kopecks: fc.integer({ min: 0, max: 250_000 }) });
const lines = fc.array(line, { minLength: 1, maxLength: 3 });
const day = fc.integer({ min: 0, max: DAYS - 1 });
const minute = fc.integer({ min: 0, max: 24 * 60 - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: fc.constant('close' as const), sc: fc.integer({ min: 0, max: 1 }), day, minute, lines }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('reopen' as const), pick: fc.nat(), newLines: fc.option(lines, { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('reclose' as const), pick: fc.nat(), day, minute }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('settle' as const), day, sc: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }) }) },
);

const money = (k: bigint) => `${k / 100n}.${(k % 100n).toString().padStart(2, '0')}`;
const toParts = (ls: Line[]): SeededPart[] =>
  ls.map((l, i) => ({ name: `Деталь ${i}`, quantity: l.quantity, ownPart: l.own, unitPrice: money(BigInt(l.kopecks)) }));
const ownTotal = (ls: Line[]) => ls.filter((l) => l.own).reduce((k, l) => k + BigInt(l.kopecks) * BigInt(l.quantity), 0n);
const hasOwn = (ls: Line[]) => ls.some((l) => l.own);

// Settlements as a manager makes them, after random histories of closings, reopenings, new
// closings and settlements (acts put in their states by SQL; the real lifecycle is tested by the
// e2e suites): each act is settled at most once, by the settlement the rules say, and the sum of
// the settlements is what the compensation report shows as settled.
describe('SettlementsService (property)', () => {
  let t: ServiceTest;
  let settlements: SettlementsService;
  let reports: ReportsService;
  let manager: Principal;
  let centers: string[];

  beforeAll(async () => {
    t = await createServiceTest({ imports: [SettlementsModule, ReportsModule] });
    settlements = t.get(SettlementsService);
    reports = t.get(ReportsService);
    const m = await seedManager(t.db);
    manager = { role: Role.Manager, ownerId: m.id, name: m.name, keyId: m.id };
    centers = [(await seedServiceCenter(t.db)).id, (await seedServiceCenter(t.db)).id];
  });
  afterAll(() => t?.close());

  async function run(ops: Op[]): Promise<void> {
    await clearSettlements(t.db);
    const acts: ModelAct[] = [];
    const made: { id: string; amount: string; actCount: number }[] = [];
    const at = (d: number, m: number) => new Date(START + d * DAY + m * MINUTE);

    for (const o of ops) {
      if (o.type === 'close') {
        const seeded = await seedAct(t.db, centers[o.sc], { status: 'submitted' });
        await setActParts(t.db, seeded.id, toParts(o.lines));
        await closeAct(t.db, seeded.id, at(o.day, o.minute));
        acts.push({ id: seeded.id, sc: o.sc, closedDay: o.day, lines: o.lines, settledBy: null });
      } else if (o.type === 'reopen') {
        const closed = acts.filter((a) => a.closedDay !== null);
        if (!closed.length) continue;
        const act = closed[o.pick % closed.length];
        await reopenAct(t.db, act.id);
        act.closedDay = null;
        // An act not settled yet may be corrected while open; a settled one keeps its own parts.
        if (o.newLines && !act.settledBy) {
          await setActParts(t.db, act.id, toParts(o.newLines));
          act.lines = o.newLines;
        }
      } else if (o.type === 'reclose') {
        const open = acts.filter((a) => a.closedDay === null);
        if (!open.length) continue;
        const act = open[o.pick % open.length];
        await closeAct(t.db, act.id, at(o.day, o.minute));
        act.closedDay = o.day;
      } else {
        const expected = acts.filter(
          (a) => a.closedDay !== null && a.closedDay <= o.day && !a.settledBy && hasOwn(a.lines) && (o.sc === null || a.sc === o.sc),
        );
        const dto = { closedTo: dayOf(o.day), serviceCenterId: o.sc === null ? undefined : centers[o.sc] };
        if (!expected.length) {
          await expect(settlements.create(manager, dto)).rejects.toThrow(ProblemException);
          continue;
        }
        const view = await settlements.create(manager, dto);
        expect(view.actCount).toBe(expected.length);
        expect(view.amount).toBe(money(expected.reduce((k, a) => k + ownTotal(a.lines), 0n)));
        for (const a of expected) a.settledBy = view.id;
        made.push(view);
      }
    }

    // New closings of every act left open, so that the whole history is in the report's period.
    for (const act of acts.filter((a) => a.closedDay === null)) {
      await closeAct(t.db, act.id, at(DAYS, 0));
      act.closedDay = DAYS;
    }

    // No act in two settlements, each with the acts and amount it was made with.
    const seen = new Map<string, string>();
    for (const s of made) {
      const detail = await settlements.detail(s.id, manager);
      expect([detail.actCount, detail.amount]).toEqual([s.actCount, s.amount]);
      for (const act of detail.serviceCenters.flatMap((c) => c.acts)) {
        expect(seen.get(act.actId)).toBeUndefined();
        seen.set(act.actId, s.id);
        expect(acts.find((a) => a.id === act.actId)?.settledBy).toBe(s.id);
      }
    }
    expect(seen.size).toBe(acts.filter((a) => a.settledBy).length);

    // The sum of all settlements is the report of the settled acts over the whole period.
    const settledReport = await reports.compensation({ from: '2026-01-01', to: '2026-12-31', settled: 'true' });
    const sum = made.reduce((k, s) => k + BigInt(s.amount.replace('.', '')), 0n);
    expect(settledReport.total).toBe(money(sum));
    expect(settledReport.actCount).toBe(seen.size);
    const unsettledReport = await reports.compensation({ from: '2026-01-01', to: '2026-12-31', settled: 'false' });
    const unsettled = acts.filter((a) => !a.settledBy && hasOwn(a.lines));
    expect(unsettledReport.total).toBe(money(unsettled.reduce((k, a) => k + ownTotal(a.lines), 0n)));
  }

  it('settles each act once, and the settlements add up to the settled report', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => run(ops)),
      { numRuns: 50 },
    );
  }, 120_000);
});
