/** Every BullMQ queue and job of the service, with the payload each job takes. */
export enum QueueName {
  Maintenance = 'maintenance',
}

export enum JobName {
  PurgeIdempotencyKeys = 'purge-idempotency-keys',
}

export interface JobPayloads {
  [JobName.PurgeIdempotencyKeys]: Record<string, never>;
}
