import { Foundation1763780000000 } from './1763780000000-Foundation';
import { Acts1763790000000 } from './1763790000000-Acts';
import { NotificationDispatch1763800000000 } from './1763800000000-NotificationDispatch';
import { Shipments1763820000000 } from './1763820000000-Shipments';
import { ReportIndexes1763830000000 } from './1763830000000-ReportIndexes';
import { PhotoStorageKeys1763840000000 } from './1763840000000-PhotoStorageKeys';
import { ManagerContactsAndResponsibility1763851000000 } from './1763851000000-ManagerContactsAndResponsibility';
import { CalendarDays1763856000000 } from './1763856000000-CalendarDays';
import { ActExceptions1764400000000 } from './1764400000000-ActExceptions';
import { CompensationSettlements1764410000000 } from './1764410000000-CompensationSettlements';
import { MailToManagers1764420000000 } from './1764420000000-MailToManagers';
import { Webhooks1764500000000 } from './1764500000000-Webhooks';
import { DispatchAndInvoices1764510000000 } from './1764510000000-DispatchAndInvoices';
import { IntegrityFlags1764520000000 } from './1764520000000-IntegrityFlags';
import { SearchGrams1764600000000 } from './1764600000000-SearchGrams';

/** Every migration, in order. Add new ones at the end. */
export const MIGRATIONS = [
  Foundation1763780000000,
  Acts1763790000000,
  NotificationDispatch1763800000000,
  Shipments1763820000000,
  ReportIndexes1763830000000,
  PhotoStorageKeys1763840000000,
  ManagerContactsAndResponsibility1763851000000,
  CalendarDays1763856000000,
  ActExceptions1764400000000,
  CompensationSettlements1764410000000,
  MailToManagers1764420000000,
  Webhooks1764500000000,
  DispatchAndInvoices1764510000000,
  IntegrityFlags1764520000000,
  SearchGrams1764600000000,
];
