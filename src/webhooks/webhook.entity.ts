/**
 * The webhook vocabulary: event types, delivery states and the rows of the three tables
 * (webhook_endpoints, webhook_events, webhook_deliveries; raw SQL in webhooks.repository.ts).
 */

/** Every event a webhook endpoint can subscribe to (API.md "Webhooks"). */
export enum WebhookEventType {
  /** The service center sent the act for review (act.info_requested may follow at once when photos are missing). */
  ActSubmitted = 'act.submitted',
  /** Every other change of status or resolution (approval, closing, reopening, shipping, delivery, mismatch...). */
  ActStatusChanged = 'act.status_changed',
  /** A manager (or the system, for missing photos) asked the service center a question. */
  ActInfoRequested = 'act.info_requested',
  /** A comment was added to the act: by a person, or by the system with a change. */
  ActCommentAdded = 'act.comment_added',
  /** The act's sections were changed after the draft (`changes` lists the fields). */
  ActEdited = 'act.edited',
  ShipmentCreated = 'shipment.created',
  ShipmentDelivered = 'shipment.delivered',
  /** A paid act's invoice was issued (or replaced). */
  InvoiceIssued = 'invoice.issued',
}

export const WEBHOOK_EVENT_TYPES = Object.values(WebhookEventType);

export enum WebhookDeliveryStatus {
  Pending = 'pending',
  Delivered = 'delivered',
  Failed = 'failed',
}

/** Who owns an endpoint: a service center (events of its own acts) or a manager (all acts). */
export interface WebhookOwner {
  serviceCenterId: string | null;
  managerId: string | null;
}

/** A webhook_endpoints row. */
export interface WebhookEndpoint extends WebhookOwner {
  id: string;
  url: string;
  /** null: every event type, including ones added later. */
  events: WebhookEventType[] | null;
  description: string | null;
  enabled: boolean;
  secret: string;
  /** The secret before the last rotation, still used to sign (besides the new one) until previousSecretUntil. */
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  /** The first failure after the last success; null while deliveries succeed. */
  failingSince: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** One event to record: `data` goes into the body as it is (`{ type, timestamp, data }`). */
export interface NewWebhookEvent {
  type: WebhookEventType;
  /** The act the event is about: events of one act reach an endpoint in the order they were recorded. */
  actId: string | null;
  /** The act's service center: its own endpoints hear the event (managers' endpoints hear every event). */
  serviceCenterId: string | null;
  data: Record<string, unknown>;
}

/** A webhook_deliveries row as the log shows it. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  event: WebhookEventType;
  actId: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastResponseBody: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** A delivery locked for sending, with what is sent and where. */
export interface LockedDelivery {
  id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  attemptsLimit: number | null;
  nextAttemptAt: Date;
  endpointId: string;
  actId: string | null;
  seq: string;
  eventId: string;
  payload: string;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretUntil: Date | null;
  enabled: boolean;
  failingSince: Date | null;
  serviceCenterId: string | null;
  managerId: string | null;
  /** An older delivery of the same act to the same endpoint is still pending: it goes first. */
  waitsForOlder: boolean;
}

export interface WebhookCounts {
  pending: number;
  delivered: number;
  failed: number;
  oldestPendingAt: Date | null;
  disabledEndpoints: number;
}
