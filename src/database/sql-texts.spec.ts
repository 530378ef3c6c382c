import { ACT_FLAGS_SQL } from '../acts/act-flags.repository';
import {
  ACT_BY_ID_SQL,
  ACT_BY_ID_WITH_FLAGS_SQL,
  ACT_WRITES_SQL,
  closeExpiredSql,
  NEXT_NUMBER_SQL,
  PAY_INVOICE_SQL,
  remindSql,
  UPSERT_INVOICE_SQL,
} from '../acts/acts.repository';
import { ActStatus, Resolution } from '../acts/act-status';
import { API_KEYS_SQL } from '../api-keys/api-keys.repository';
import { IDEMPOTENCY_SQL } from '../common/idempotency/idempotency.repository';
import { OUTBOX_SQL } from '../notifications/notifications.repository';
import { PHOTOS_SQL } from '../photos/photos.repository';
import { REPORTS_SQL } from '../reports/reports.repository';
import { SETTLEMENTS_SQL } from '../settlements/settlements.repository';
import { SHIPMENTS_SQL } from '../shipments/shipments.repository';
import { WEBHOOKS_SQL } from '../webhooks/webhooks.repository';

// Every fixed SQL text of the repositories, as a snapshot: a change of any of them shows up in
// review as a diff of __snapshots__/sql-texts.spec.ts.snap (update it with `jest -u`).
// Query-builder SQL (lists with optional filters) is covered by the tests that run it.
const silent = { from: ActStatus.InfoRequested, to: ActStatus.Closed, resolution: Resolution.WarrantyRefused, column: 'reply_deadline' } as const;
const delivered = { from: ActStatus.PartsDelivered, to: ActStatus.Closed, resolution: Resolution.Repaired, column: 'mismatch_deadline' } as const;

const TEXTS: Record<string, Record<string, string>> = {
  acts: {
    ACT_BY_ID_SQL,
    ACT_BY_ID_WITH_FLAGS_SQL,
    NEXT_NUMBER_SQL,
    closeSilentActs: closeExpiredSql(silent),
    closeDeliveredActs: closeExpiredSql(delivered),
    remindOfReply: remindSql(silent),
    remindOfMismatch: remindSql(delivered),
    UPSERT_INVOICE_SQL,
    PAY_INVOICE_SQL,
    ...ACT_WRITES_SQL,
  },
  actFlags: ACT_FLAGS_SQL,
  apiKeys: API_KEYS_SQL,
  idempotency: IDEMPOTENCY_SQL,
  outbox: OUTBOX_SQL,
  photos: PHOTOS_SQL,
  reports: REPORTS_SQL,
  settlements: SETTLEMENTS_SQL,
  shipments: SHIPMENTS_SQL,
  webhooks: WEBHOOKS_SQL,
};

describe('fixed SQL texts', () => {
  it.each(Object.keys(TEXTS))('%s', (aggregate) => {
    expect(TEXTS[aggregate]).toMatchSnapshot();
  });
});
