import {
  ACT_RULES,
  ActAction,
  ActorRole,
  ActStatus,
  findTransition,
  languageOf,
  Resolution,
  statusLabel,
  transitionFor,
} from './act-status';

describe('the act status machine', () => {
  it.each([
    [ActStatus.Draft, ActAction.Submit, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
    [ActStatus.Draft, ActAction.Withdraw, ActorRole.ServiceCenter, ActStatus.Closed, Resolution.Withdrawn],
    [ActStatus.Submitted, ActAction.RequestInfo, ActorRole.Manager, ActStatus.InfoRequested, undefined],
    [ActStatus.Submitted, ActAction.RequestInfo, ActorRole.System, ActStatus.InfoRequested, undefined],
    [ActStatus.InfoRequested, ActAction.Answer, ActorRole.ServiceCenter, ActStatus.Submitted, undefined],
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
    [ActStatus.InfoRequested, ActAction.Edit, ActorRole.ServiceCenter, ActStatus.InfoRequested, undefined],
  ])('%s --%s by %s--> %s (%s)', (from, action, role, to, resolution) => {
    expect(findTransition(from, action, role)).toEqual({ from, to, resolution });
  });

  it.each([
    [ActStatus.Submitted, ActAction.Edit, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.Edit, ActorRole.Manager],
    [ActStatus.Submitted, ActAction.Submit, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.Comment, ActorRole.ServiceCenter],
    [ActStatus.Closed, ActAction.Reopen, ActorRole.ServiceCenter],
    [ActStatus.Approved, ActAction.DeletePhoto, ActorRole.ServiceCenter],
    [ActStatus.Approved, ActAction.AddPhoto, ActorRole.ServiceCenter],
    [ActStatus.PartMismatch, ActAction.ReportMismatch, ActorRole.ServiceCenter],
    [ActStatus.InfoRequested, ActAction.ExpireReply, ActorRole.Manager],
    [ActStatus.Submitted, ActAction.ExpireReply, ActorRole.System],
    [ActStatus.Draft, ActAction.Close, ActorRole.Manager],
    [ActStatus.Closed, ActAction.Close, ActorRole.Manager],
  ])('forbids %s --%s by %s', (from, action, role) => {
    expect(findTransition(from, action, role)).toBeUndefined();
  });

  it('names the status and the action in its 409', () => {
    expect.assertions(3);
    try {
      transitionFor(ActStatus.Submitted, ActAction.Edit, ActorRole.ServiceCenter);
    } catch (error) {
      const problem = (error as { toProblem(): Record<string, unknown> }).toProblem();
      expect(problem.status).toBe(409);
      expect(problem.detail).toContain('edit');
      expect(problem.detail).toContain('submitted');
    }
  });

  it('never has two rules that disagree for one (status, action, role)', () => {
    const seen = new Map<string, string | undefined>();
    for (const rule of ACT_RULES) {
      for (const from of rule.from) {
        for (const role of rule.roles) {
          const key = `${from}/${rule.action}/${role}`;
          expect(seen.has(key) ? seen.get(key) : rule.to).toBe(rule.to);
          seen.set(key, rule.to);
        }
      }
    }
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
