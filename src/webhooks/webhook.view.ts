import { ApiProperty } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES, WebhookDeliveryStatus, WebhookEventType } from './webhook.entity';

/** A webhook endpoint (its secret is shown only on creation and rotation). */
export class WebhookView {
  id: string;
  /** Where events are POSTed. */
  url: string;
  /** The event types sent; null: every type, including types added later. */
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType', isArray: true, nullable: true, type: String })
  events: WebhookEventType[] | null;
  description: string | null;
  /** False once disabled (by its owner, or after failing for WEBHOOK_DISABLE_AFTER): nothing is sent until enabled again. */
  enabled: boolean;
  /** When it was disabled; null while enabled. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  disabledAt: Date | null;
  /** The first failed delivery since the last successful one; null while deliveries succeed. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  failingSince: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A new endpoint: with its signing secret, shown only here. */
export class WebhookCreatedView extends WebhookView {
  /** The signing secret (`whsec_…`, Standard Webhooks): shown only in this response and on rotation. */
  secret: string;
}

export class WebhookSecretView {
  /** The new signing secret (`whsec_…`). The previous one also signs for 24 h, so receivers can switch without losing events. */
  secret: string;
}

export class WebhookPageView {
  items: WebhookView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}

/** One event's delivery to one endpoint. */
export class WebhookDeliveryView {
  id: string;
  /** The event's type. */
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, enumName: 'WebhookEventType' })
  event: WebhookEventType;
  /** The event's id: the `webhook-id` header, the same on every attempt and manual retry. */
  eventId: string;
  /** The act the event is about. */
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actId: string | null;
  @ApiProperty({ enum: Object.values(WebhookDeliveryStatus), enumName: 'WebhookDeliveryStatus' })
  status: WebhookDeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** When a pending delivery is tried next (it may wait longer behind an older event of the same act); null once settled. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  nextAttemptAt: Date | null;
  /** The HTTP status of the last attempt; null when no answer came (timeout, network error, refused address). */
  @ApiProperty({ type: Number, nullable: true })
  lastStatusCode: number | null;
  /** Why the last attempt failed; null after a success. */
  @ApiProperty({ type: String, nullable: true })
  lastError: string | null;
  /** The first 1 KB of the last answer's body. */
  @ApiProperty({ type: String, nullable: true })
  lastResponseBody: string | null;
  createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: Date | null;
}

export class WebhookDeliveryPageView {
  items: WebhookDeliveryView[];
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
