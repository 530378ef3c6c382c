/** Every BullMQ queue and job of the service, with the payload each job takes. */
export enum QueueName {
  Maintenance = 'maintenance',
  Notifications = 'notifications',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
  /** Finds outbox rows without a send job and queues one per row. */
  DispatchNotifications = 'dispatch-notifications',
  /** Sends one outbox row; the job id is the notification id. */
  SendNotification = 'send-notification',
}

export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: Record<string, never>;
  [JobName.DispatchNotifications]: Record<string, never>;
  [JobName.SendNotification]: { notificationId: string };
}
