/** Every BullMQ queue and job of the service, with the payload each job takes. */
export enum QueueName {
  Maintenance = 'maintenance',
  Notifications = 'notifications',
  /** Deadline sweeps over acts (sweeps.processor.ts). */
  Sweeps = 'sweeps',
  /** Partner webhooks (webhooks.processor.ts). */
  Webhooks = 'webhooks',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
  /** Stored photo files without a row, and uploads a crash interrupted (see OrphanPhotos). */
  PurgeOrphanPhotos = 'purge-orphan-photos.service',
  /** Finds outbox rows without a send job and queues one per row. */
  DispatchNotifications = 'dispatch-notifications',
  /** Sends one outbox row; the job id is the notification id. */
  SendNotification = 'send-notification',

  // Sweeps: one job scheduler each, id = job name.
  /** info_requested past the reply deadline → closed: warranty_refused. */
  CloseSilentActs = 'close-silent-acts',
  /** parts_delivered past the mismatch deadline → closed: repaired. */
  CloseDeliveredActs = 'close-delivered-acts',
  /** A reminder to the SC ahead of each deadline. */
  SendReminders = 'send-reminders',
  /** Each manager's morning list of acts past the review SLA, at DIGEST_AT Moscow time. */
  SendReviewDigest = 'send-review-digest',
  /** Parcels undelivered DELIVERY_FOLLOW_UP after shipping: the SC is asked once to confirm receipt. */
  FollowUpParcels = 'follow-up-parcels',

  /** Claims due webhook deliveries (first in their act's line) and queues one send job each. */
  DispatchWebhooks = 'dispatch-webhooks',
  /** Sends one webhook delivery's attempt; the job id is `<delivery id>-<attempts made>`. */
  SendWebhook = 'send-webhook',
  /** Deliveries older than 30 days, and events no delivery refers to any more. */
  PurgeWebhookDeliveries = 'purge-webhook-deliveries',
}

export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: Record<string, never>;
  [JobName.PurgeOrphanPhotos]: Record<string, never>;
  [JobName.DispatchNotifications]: Record<string, never>;
  [JobName.SendNotification]: { notificationId: string };

  [JobName.CloseSilentActs]: Record<string, never>;
  [JobName.CloseDeliveredActs]: Record<string, never>;
  [JobName.SendReminders]: Record<string, never>;
  [JobName.SendReviewDigest]: Record<string, never>;
  [JobName.FollowUpParcels]: Record<string, never>;

  [JobName.DispatchWebhooks]: Record<string, never>;
  [JobName.SendWebhook]: { deliveryId: string; attempt: number };
  [JobName.PurgeWebhookDeliveries]: Record<string, never>;
}
