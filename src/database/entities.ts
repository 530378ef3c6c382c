import { Act } from '../acts/act.entity';
import { ActHistoryEntry } from '../acts/act-history.entity';
import { ActPart } from '../acts/act-part.entity';
import { ApiKey } from '../api-keys/api-key.entity';
import { CalendarDayOverride } from '../calendar/calendar-day.entity';
import { ActComment } from '../acts/act-comment.entity';
import { Notification } from '../notifications/notification.entity';
import { ActPhoto } from '../photos/act-photo.entity';
import { Manager } from '../managers/manager.entity';
import { ProductCategory } from '../product-categories/product-category.entity';
import { ServiceCenter } from '../service-centers/service-center.entity';
import { Shipment, ShipmentAct } from '../shipments/shipment.entity';
import { IdempotencyRecord } from '../common/idempotency/idempotency-record.entity';

/** Every entity, listed once for the app and the TypeORM CLI alike. */
export const ENTITIES = [
  Manager,
  ServiceCenter,
  ApiKey,
  ProductCategory,
  IdempotencyRecord,
  Act,
  ActPart,
  ActHistoryEntry,
  ActComment,
  ActPhoto,
  Notification,
  Shipment,
  ShipmentAct,
  CalendarDayOverride,
];
