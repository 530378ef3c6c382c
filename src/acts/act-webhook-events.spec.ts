import { statusEventType } from './act-lifecycle.service';
import { ActAction, ActStatus } from './act-status';

describe('the webhook event of a status change', () => {
  it('is the specific type where one exists, else act.status_changed: exactly one per change', () => {
    expect(statusEventType(ActAction.Submit, ActStatus.Submitted)).toBe('act.submitted');
    expect(statusEventType(ActAction.RequestInfo, ActStatus.InfoRequested)).toBe('act.info_requested');
    expect(statusEventType(ActAction.Reopen, ActStatus.Submitted)).toBe('act.status_changed');
    expect(statusEventType(ActAction.Ship, ActStatus.PartsShipped)).toBe('act.status_changed');
    expect(statusEventType(ActAction.ExpireReply, ActStatus.Closed)).toBe('act.status_changed');
  });
});
