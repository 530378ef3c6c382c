import { languageOf } from '../messages/language';
import { statusLabel } from '../messages/messages';
import {
  ACT_FACT_NAMES,
  ACT_RULES,
  ActAction,
  ActFacts,
  ActionNotAllowed,
  ActorRole,
  ActStatus,
  chosenTarget,
  findTransition,
  Resolution,
  transitionFor,
} from './act-status';

describe('the act status machine', () => {
  it.each([
    [ActStatus.Draft, ActAction.Submit, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.Draft, ActAction.Withdraw, ActorRole.ServiceCenter, ActStatus.Closed, Resolution.Withdrawn],
    [ActStatus.Submitted, ActAction.RequestInfo, ActorRole.Manager, ActStatus.InfoRequested, undefined],
    [ActStatus.Submitted, ActAction.RequestInfo, ActorRole.System, ActStatus.InfoRequested, undefined],
    [ActStatus.InfoRequested, ActAction.Comment, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.InfoRequested, ActAction.AddPhoto, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.InfoRequested, ActAction.Comment, ActorRole.Manager, ActStatus.InfoRequested, undefined],
    [ActStatus.Submitted, ActAction.Comment, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.InfoRequested, ActAction.ExpireReply, ActorRole.System, ActStatus.Closed, Resolution.WarrantyRefused],
    [ActStatus.Submitted, ActAction.Approve, ActorRole.Manager, ActStatus.Approved, undefined],
    [ActStatus.Submitted, ActAction.RefuseWarranty, ActorRole.Manager, ActStatus.Closed, Resolution.NotWarranty],
    [ActStatus.Approved, ActAction.Ship, ActorRole.Manager, ActStatus.PartsShipped, undefined],
    [ActStatus.PartMismatch, ActAction.Ship, ActorRole.Manager, ActStatus.PartsShipped, undefined],
    [ActStatus.PartsShipped, ActAction.Deliver, ActorRole.Manager, ActStatus.PartsDelivered, undefined],
    [ActStatus.PartsDelivered, ActAction.ReportMismatch, ActorRole.ServiceCenter, ActStatus.PartMismatch, undefined],
    [ActStatus.PartsDelivered, ActAction.MarkRepaired, ActorRole.ServiceCenter, ActStatus.Closed, Resolution.Repaired],
    [ActStatus.PartsShipped, ActAction.MarkRepaired, ActorRole.ServiceCenter, ActStatus.Closed, Resolution.Repaired],
    [ActStatus.PartsDelivered, ActAction.ExpireMismatch, ActorRole.System, ActStatus.Closed, Resolution.Repaired],
    [ActStatus.Closed, ActAction.Reopen, ActorRole.Manager, ActStatus.Submitted, undefined],
    [ActStatus.InfoRequested, ActAction.Edit, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.Draft, ActAction.Edit, ActorRole.ServiceCenter, ActStatus.Draft, undefined],
    [ActStatus.Approved, ActAction.AddPhoto, ActorRole.ServiceCenter, ActStatus.Approved, undefined],
    [ActStatus.PartsDelivered, ActAction.AddPhoto, ActorRole.ServiceCenter, ActStatus.PartsDelivered, undefined],
    [ActStatus.Submitted, ActAction.Refund, ActorRole.Manager, ActStatus.Closed, Resolution.RefundOrExchange],
    [ActStatus.PartsShipped, ActAction.Deliver, ActorRole.ServiceCenter, ActStatus.PartsDelivered, undefined],
  ])('%s --%s by %s--> %s (%s)', (from, action, role, to, resolution) => {
    const transition = findTransition({ status: from }, action, role);
    expect(transition && { from: transition.from, to: transition.to, resolution: transition.resolution }).toEqual({ from, to, resolution });
  });

  it('reopens to submitted by default, or to approved or part_mismatch when the manager chooses', () => {
    const transition = findTransition({ status: ActStatus.Closed, resolution: Resolution.Repaired }, ActAction.Reopen, ActorRole.Manager);
    expect(transition?.to).toBe(ActStatus.Submitted);
    expect(transition?.choices).toEqual([ActStatus.Submitted, ActStatus.Approved, ActStatus.PartMismatch]);
    expect(chosenTarget(transition!, ActStatus.PartMismatch)).toBe(ActStatus.PartMismatch);
    expect(() => chosenTarget(transition!, ActStatus.PartsShipped)).toThrow();
  });

  it('lets the SC close an approved act itself only when nothing is to be shipped', () => {
    const approved = { status: ActStatus.Approved };
    expect(findTransition(approved, ActAction.MarkRepaired, ActorRole.ServiceCenter)).toBeUndefined();
    expect(findTransition({ ...approved, nothingToShip: false }, ActAction.MarkRepaired, ActorRole.ServiceCenter)).toBeUndefined();
    expect(findTransition({ ...approved, nothingToShip: true }, ActAction.MarkRepaired, ActorRole.ServiceCenter)).toMatchObject({
      to: ActStatus.Closed,
      resolution: Resolution.Repaired,
    });
  });

  it('ships the parts left after a partial parcel, also to a delivered act, and only then', () => {
    for (const status of [ActStatus.PartsShipped, ActStatus.PartsDelivered]) {
      expect(findTransition({ status }, ActAction.Ship, ActorRole.Manager)).toBeUndefined();
      expect(findTransition({ status, partsPending: true }, ActAction.Ship, ActorRole.Manager)).toMatchObject({ to: ActStatus.PartsShipped });
      expect(findTransition({ status, partsPending: true }, ActAction.Ship, ActorRole.ServiceCenter)).toBeUndefined();
    }
    expect(findTransition({ status: ActStatus.Approved, partsPending: true }, ActAction.Ship, ActorRole.Manager)?.to).toBe(ActStatus.PartsShipped);
    expect(findTransition({ status: ActStatus.Closed, partsPending: true }, ActAction.Ship, ActorRole.Manager)).toBeUndefined();
  });

  it('keeps an act shipped while another parcel or pending parts are to come, delivered when the last arrives', () => {
    for (const role of [ActorRole.Manager, ActorRole.ServiceCenter]) {
      expect(findTransition({ status: ActStatus.PartsShipped, moreToCome: true }, ActAction.Deliver, role)).toMatchObject({
        from: ActStatus.PartsShipped,
        to: ActStatus.PartsShipped,
      });
      expect(findTransition({ status: ActStatus.PartsShipped }, ActAction.Deliver, role)?.to).toBe(ActStatus.PartsDelivered);
    }
  });

  it('takes the SC’s consent to partial parcels from submission to delivery, and invoices and payments on approved acts', () => {
    const consent = (status: ActStatus, role = ActorRole.ServiceCenter) => findTransition({ status }, ActAction.ConsentPartial, role)?.to;
    for (const status of [ActStatus.Submitted, ActStatus.Approved, ActStatus.PartsShipped, ActStatus.PartMismatch])
      expect(consent(status)).toBe(status);
    for (const status of [ActStatus.Draft, ActStatus.Closed]) expect(consent(status)).toBeUndefined();
    expect(consent(ActStatus.Approved, ActorRole.Manager)).toBeUndefined();
    for (const action of [ActAction.IssueInvoice, ActAction.RecordPayment]) {
      expect(findTransition({ status: ActStatus.Approved }, action, ActorRole.Manager)?.to).toBe(ActStatus.Approved);
      expect(findTransition({ status: ActStatus.PartsShipped }, action, ActorRole.Manager)).toBeUndefined();
      expect(findTransition({ status: ActStatus.Approved }, action, ActorRole.ServiceCenter)).toBeUndefined();
    }
  });

  it('lists every fact a rule depends on among the facts the spec tries', () => {
    expect(ACT_RULES.filter((r) => r.when && !ACT_FACT_NAMES.includes(r.when))).toEqual([]);
  });

  it('records the delivery first when the SC reports a problem with a parcel in transit', () => {
    expect(findTransition({ status: ActStatus.PartsShipped }, ActAction.ReportMismatch, ActorRole.ServiceCenter)).toMatchObject({
      to: ActStatus.PartMismatch,
      before: ActAction.Deliver,
    });
    expect(findTransition({ status: ActStatus.PartsDelivered }, ActAction.ReportMismatch, ActorRole.ServiceCenter)?.before).toBeUndefined();
  });

  it('holds a delivered act for a manager when the SC comments on it', () => {
    expect(findTransition({ status: ActStatus.PartsDelivered }, ActAction.Comment, ActorRole.ServiceCenter)).toMatchObject({
      to: ActStatus.PartsDelivered,
      holds: true,
    });
    expect(findTransition({ status: ActStatus.PartsDelivered }, ActAction.Comment, ActorRole.Manager)?.holds).toBeUndefined();
  });

  it.each([
    [ActStatus.Submitted, null, ActAction.Submit],
    [ActStatus.Closed, Resolution.Repaired, ActAction.Submit],
    [ActStatus.Closed, Resolution.Withdrawn, ActAction.Withdraw],
  ])('answers a repeated %s (%s) --%s as done, changing nothing', (status, resolution, action) => {
    expect(findTransition({ status, resolution }, action, ActorRole.ServiceCenter)).toEqual({
      from: status,
      to: status,
      resolution: undefined,
      noop: true,
    });
  });

  it('does not let an act closed otherwise be withdrawn', () => {
    expect(
      findTransition({ status: ActStatus.Closed, resolution: Resolution.WarrantyRefused }, ActAction.Withdraw, ActorRole.ServiceCenter),
    ).toBeUndefined();
  });

  it('reopens any closed act but a withdrawn draft, which it refuses with its own reason', () => {
    const reopen = (resolution: Resolution) => () => transitionFor({ status: ActStatus.Closed, resolution }, ActAction.Reopen, ActorRole.Manager);
    expect(reopen(Resolution.NotWarranty)()).toMatchObject({ from: ActStatus.Closed, to: ActStatus.Submitted });
    expect(reopen(Resolution.Withdrawn)).toThrow(expect.objectContaining({ slug: 'withdrawn-act' }));
  });

  it.each([
    [ActStatus.Submitted, ActAction.Edit, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.Edit, ActorRole.Manager],
    [ActStatus.Closed, ActAction.Comment, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.Reopen, ActorRole.ServiceCenter],
    [ActStatus.Approved, ActAction.DeletePhoto, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.AddPhoto, ActorRole.ServiceCenter],
    [ActStatus.Approved, ActAction.Refund, ActorRole.Manager],
    [ActStatus.PartMismatch, ActAction.ReportMismatch, ActorRole.ServiceCenter],
    [ActStatus.InfoRequested, ActAction.ExpireReply, ActorRole.Manager],
    [ActStatus.Submitted, ActAction.ExpireReply, ActorRole.System],
    [ActStatus.Draft, ActAction.Close, ActorRole.Manager],
    [ActStatus.Closed, ActAction.Close, ActorRole.Manager],
  ])('forbids %s --%s by %s', (from, action, role) => {
    expect(findTransition({ status: from }, action, role)).toBeUndefined();
  });

  it('names the status and the action in its 409', () => {
    expect.assertions(4);
    try {
      transitionFor({ status: ActStatus.Submitted }, ActAction.Edit, ActorRole.ServiceCenter);
    } catch (error) {
      expect(error).toBeInstanceOf(ActionNotAllowed);
      const refusal = error as ActionNotAllowed;
      expect(refusal.detail).toEqual({ key: 'actionNotAllowed', args: { action: 'edit', status: 'submitted', role: 'service_center' } });
      expect(refusal.slug).toBe('action-not-allowed');
      expect(refusal.extensions).toMatchObject({ currentStatus: 'submitted', action: 'edit', allowedFrom: ['info_requested', 'draft'] });
    }
  });

  it('has no rule that an earlier rule hides completely (each decides some case)', () => {
    const resolutions = [null, ...Object.values(Resolution)];
    const factSets: ActFacts[] = [{}, { nothingToShip: true }, { partsPending: true }, { moreToCome: true }];
    const deciding = new Set<number>();
    for (const status of Object.values(ActStatus)) {
      for (const resolution of status === ActStatus.Closed ? resolutions : [null]) {
        for (const action of Object.values(ActAction)) {
          for (const role of Object.values(ActorRole)) {
            for (const facts of factSets) {
              const index = ACT_RULES.findIndex(
                (r) =>
                  r.action === action &&
                  r.roles.includes(role) &&
                  r.from.includes(status) &&
                  (!r.resolutions || (resolution !== null && r.resolutions.includes(resolution))) &&
                  (!r.when || facts[r.when] === true),
              );
              if (index >= 0) deciding.add(index);
            }
          }
        }
      }
    }
    expect(ACT_RULES.filter((_, index) => !deciding.has(index))).toEqual([]);
  });

  it('lets only a manager leave closed, and only the machine close by itself with a fixed resolution', () => {
    const fromClosed = ACT_RULES.filter((r) => r.from.includes(ActStatus.Closed) && r.to && r.to !== ActStatus.Closed);
    expect(fromClosed.every((r) => r.roles.length === 1 && r.roles[0] === ActorRole.Manager)).toBe(true);
    const systemClosings = ACT_RULES.filter((r) => r.roles.includes(ActorRole.System) && r.to === ActStatus.Closed);
    expect(systemClosings.every((r) => r.resolution !== undefined)).toBe(true);
  });

  it('labels statuses in Russian by default and in English on request', () => {
    expect(statusLabel(ActStatus.InfoRequested)).toBe('Запрошена информация');
    expect(statusLabel(ActStatus.InfoRequested, languageOf('en-US,en;q=0.9'))).toBe('Information requested');
    expect(languageOf('de-DE')).toBe('ru');
    expect(languageOf('ru;q=0.5, en;q=0.8')).toBe('en');
    expect(languageOf('en;q=0')).toBe('ru');
  });
});
