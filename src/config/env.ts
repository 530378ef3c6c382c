import { URL } from 'node:url';
import { approximateMs, Duration, MAX_BUSINESS_DAYS, parseDeadlineDuration, parseDuration } from './duration';

export { parseDuration };

/**
 * The service's configuration, read once from the environment at start.
 * Every variable is listed here with its default; a bad value stops start-up with a
 * message that names the variable.
 */
export interface AppConfig {
  port: number;
  /** Address the API listens on: loopback unless told otherwise (containers set 0.0.0.0). */
  host: string;
  databaseUrl: string;
  migrationsRun: boolean;
  redisUrl: string;
  redisPrefix: string;
  uploadDir: string;
  /** How long an SC has to answer a manager's question: business days (`5bd`) or clock time. */
  infoReplyWindow: Duration;
  /**
   * INFO_REPLY_WINDOW in milliseconds, a business day counted as 24 h (see approximateMs).
   * For code that has not moved to CalendarService.deadline(now, infoReplyWindow) yet.
   */
  infoReplyWindowMs: number;
  mismatchWindowMs: number;
  /** The managers' review target from submission: business days (`3bd`) or clock time. */
  reviewSla: Duration;
  /** REVIEW_SLA in milliseconds, a business day counted as 24 h; see infoReplyWindowMs. */
  reviewSlaMs: number;
  reminderBeforeMs: number;
  sweepEveryMs: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** MAIL_SIGNATURE: a fixed text closing every e-mail to a service center; empty: none. */
  mailSignature: string;
  /** DIGEST_AT: when (Moscow time) managers get the list of acts past the review SLA, `HH:MM`. */
  digestAt: { hour: number; minute: number };
  /** How often the worker looks for outbox rows that have no send job yet. */
  notifyPollEveryMs: number;
  /** Tries per e-mail before its row is marked failed. */
  notifyAttempts: number;
  /** First retry delay of an e-mail; it doubles on every further try. */
  notifyBackoffMs: number;
  logLevel: string;
  jsonBodyLimit: string;
  rateLimitPerMinute: number;
  rateLimitWindowMs: number;
  /** How long a multipart upload may take from its first byte to its last. */
  uploadTimeoutMs: number;
  /** Requests per minute per client address without a valid key (missing or unknown). */
  rateLimitAnonPerMinute: number;
  /** How long an authenticated key is remembered in memory; 0: looked up on every request. */
  apiKeyCacheTtlMs: number;
  /** METRICS_TOKEN: when set, GET /metrics needs `Authorization: Bearer <it>`; unset: open. */
  metricsToken: string | undefined;
  /** Where photo bytes live: the local disk (UPLOAD_DIR) or an S3-compatible store. */
  storage: StorageConfig;
  /** DISPATCH_DAYS: the weekdays parcels leave on (0 Sunday … 6 Saturday), ascending. */
  dispatchDays: number[];
  /** DISPATCH_CUTOFF: approved before this Moscow time, an act makes the same day's dispatch. */
  dispatchCutoff: { hour: number; minute: number };
  /** DELIVERY_FOLLOW_UP: a parcel undelivered this long after shipping is followed up. */
  deliveryFollowUpMs: number;
  /** WEBHOOK_ATTEMPTS: tries per webhook delivery before it is marked failed. */
  webhookAttempts: number;
  /** WEBHOOK_BACKOFF: the first retry delay of a webhook delivery; it doubles on every further try. */
  webhookBackoffMs: number;
  /** WEBHOOK_DISABLE_AFTER: an endpoint failing this long without a success is disabled. */
  webhookDisableAfterMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: webhook URLs may point at loopback, private and link-local addresses. */
  webhookAllowPrivate: boolean;
  /** WEBHOOK_TIMEOUT: how long a receiver has to answer a delivery (connect to last header). */
  webhookTimeoutMs: number;
  /** JOB_LOCK: how long a running job's lock lasts; a job of a worker that died runs again once it expired. */
  jobLockMs: number;
  /** INTEGRITY_FLAGS: `true` (default) computes the integrity flags; `false` only for a benchmark's same-run baseline. */
  integrityFlags: boolean;
}

/** STORAGE and, for `s3`, the bucket and how to reach it. */
export type StorageConfig = { driver: 'local' } | ({ driver: 's3' } & S3Config);

export interface S3Config {
  /** S3_ENDPOINT: e.g. http://minio:9000; unset: AWS's endpoint for the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** S3_FORCE_PATH_STYLE: `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO needs it). */
  forcePathStyle: boolean;
}

/** Weekday names DISPATCH_DAYS accepts, by JavaScript's getUTCDay() number. */
export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export const ENV_DEFAULTS = {
  PORT: '3000',
  HOST: '127.0.0.1',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/warranty_acts',
  MIGRATIONS_RUN: 'true',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_PREFIX: 'wa',
  UPLOAD_DIR: './uploads',
  INFO_REPLY_WINDOW: '5bd',
  MISMATCH_WINDOW: '3d',
  REVIEW_SLA: '3bd',
  REMINDER_BEFORE: '1d',
  SWEEP_EVERY: '1m',
  MAIL_FROM: 'warranty-acts <no-reply@localhost>',
  MAIL_SIGNATURE: '',
  DIGEST_AT: '09:00',
  NOTIFY_POLL_EVERY: '5s',
  NOTIFY_ATTEMPTS: '8',
  NOTIFY_BACKOFF: '30s',
  LOG_LEVEL: 'info',
  JSON_BODY_LIMIT: '1mb',
  RATE_LIMIT_PER_MINUTE: '6000',
  RATE_LIMIT_WINDOW: '1m',
  RATE_LIMIT_ANON_PER_MINUTE: '600',
  UPLOAD_TIMEOUT: '60s',
  API_KEY_CACHE_TTL: '30s',
  STORAGE: 'local',
  S3_REGION: 'us-east-1',
  S3_FORCE_PATH_STYLE: 'true',
  DISPATCH_DAYS: 'thu',
  DISPATCH_CUTOFF: '12:00',
  DELIVERY_FOLLOW_UP: '10d',
  WEBHOOK_ATTEMPTS: '12',
  WEBHOOK_BACKOFF: '30s',
  WEBHOOK_DISABLE_AFTER: '5d',
  WEBHOOK_ALLOW_PRIVATE: 'false',
  WEBHOOK_TIMEOUT: '10s',
  INTEGRITY_FLAGS: 'true',
  JOB_LOCK: '30s',
} as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const raw = (name: keyof typeof ENV_DEFAULTS): string => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? ENV_DEFAULTS[name] : value.trim();
  };

  const int = (name: keyof typeof ENV_DEFAULTS, min: number, max: number): number => {
    const value = raw(name);
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      problems.push(`${name}="${value}" must be a whole number from ${min} to ${max}`);
    }
    return n;
  };

  const duration = (name: keyof typeof ENV_DEFAULTS): number => {
    const value = raw(name);
    const parsed = parseDuration(value);
    if (parsed === undefined) {
      problems.push(`${name}="${value}" must be a positive duration such as 500ms, 30s, 15m, 5d`);
      return 0;
    }
    return parsed;
  };

  /** A deadline's length: business days (`5bd`) or a clock duration. */
  const deadlineDuration = (name: keyof typeof ENV_DEFAULTS): Duration => {
    const value = raw(name);
    const parsed = parseDeadlineDuration(value);
    if (parsed === undefined) {
      problems.push(`${name}="${value}" must be business days such as 5bd (1 to ${MAX_BUSINESS_DAYS}) or a positive duration such as 36h or 3d`);
      return { kind: 'clock', ms: 0 };
    }
    return parsed;
  };

  const url = (name: keyof typeof ENV_DEFAULTS, protocols: string[]): string => {
    const value = raw(name);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      problems.push(`${name}="${redact(value)}" must be a URL starting with ${protocols.join(' or ')}//`);
    }
    return value;
  };

  const bool = (name: keyof typeof ENV_DEFAULTS): boolean => {
    const value = raw(name).toLowerCase();
    if (!['true', 'false', '1', '0', 'yes', 'no'].includes(value)) {
      problems.push(`${name}="${value}" must be true or false`);
    }
    return ['true', '1', 'yes'].includes(value);
  };

  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl) {
    try {
      const parsed = new URL(smtpUrl);
      if (!['smtp:', 'smtps:'].includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      problems.push(`SMTP_URL="${redact(smtpUrl)}" must be a URL starting with smtp:// or smtps://`);
    }
  }

  const logLevel = raw('LOG_LEVEL');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL="${logLevel}" must be one of fatal, error, warn, info, debug, trace, silent`);
  }

  const jsonBodyLimit = raw('JSON_BODY_LIMIT');
  if (!/^\d+(kb|mb)$/i.test(jsonBodyLimit)) {
    problems.push(`JSON_BODY_LIMIT="${jsonBodyLimit}" must be a size such as 100kb or 1mb`);
  }

  const redisPrefix = raw('REDIS_PREFIX');
  if (!/^[\w.:-]{1,64}$/.test(redisPrefix)) {
    problems.push(`REDIS_PREFIX="${redisPrefix}" may hold only letters, digits and . : _ -`);
  }

  const infoReplyWindow = deadlineDuration('INFO_REPLY_WINDOW');
  const reviewSla = deadlineDuration('REVIEW_SLA');
  const digestAtRaw = raw('DIGEST_AT');
  const digestMatch = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(digestAtRaw);
  if (!digestMatch) problems.push(`DIGEST_AT="${digestAtRaw}" must be a Moscow time of day as HH:MM, e.g. 09:00`);
  const dispatchDaysRaw = raw('DISPATCH_DAYS');
  const dispatchDayNames = dispatchDaysRaw
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  const dispatchDays = [...new Set(dispatchDayNames.map((d) => WEEKDAY_NAMES.indexOf(d as (typeof WEEKDAY_NAMES)[number])))].sort((a, b) => a - b);
  if (dispatchDays.includes(-1)) {
    problems.push(`DISPATCH_DAYS="${dispatchDaysRaw}" must be weekday names separated by commas, e.g. thu or tue,thu (${WEEKDAY_NAMES.join(', ')})`);
  }
  const cutoffRaw = raw('DISPATCH_CUTOFF');
  const cutoffMatch = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(cutoffRaw);
  if (!cutoffMatch) problems.push(`DISPATCH_CUTOFF="${cutoffRaw}" must be a Moscow time of day as HH:MM, e.g. 12:00`);
  const host = raw('HOST');
  if (!/^[\w.:-]{1,253}$/.test(host)) problems.push(`HOST="${host}" must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0`);

  const storage = storageConfig(env, raw('STORAGE'), bool('S3_FORCE_PATH_STYLE'), raw('S3_REGION'), problems);
  const metricsToken = env.METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,256}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 256 printable characters without spaces');
  }

  const config: AppConfig = {
    port: int('PORT', 0, 65535),
    host,
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:']),
    migrationsRun: bool('MIGRATIONS_RUN'),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix,
    uploadDir: raw('UPLOAD_DIR'),
    infoReplyWindow,
    infoReplyWindowMs: approximateMs(infoReplyWindow),
    mismatchWindowMs: duration('MISMATCH_WINDOW'),
    reviewSla,
    reviewSlaMs: approximateMs(reviewSla),
    reminderBeforeMs: duration('REMINDER_BEFORE'),
    sweepEveryMs: duration('SWEEP_EVERY'),
    smtpUrl,
    mailFrom: raw('MAIL_FROM'),
    mailSignature: raw('MAIL_SIGNATURE').replace(/\\n/g, '\n').trim(),
    digestAt: { hour: Number(digestMatch?.[1] ?? 9), minute: Number(digestMatch?.[2] ?? 0) },
    notifyPollEveryMs: duration('NOTIFY_POLL_EVERY'),
    notifyAttempts: int('NOTIFY_ATTEMPTS', 1, 50),
    notifyBackoffMs: duration('NOTIFY_BACKOFF'),
    logLevel,
    jsonBodyLimit,
    rateLimitPerMinute: int('RATE_LIMIT_PER_MINUTE', 1, 1_000_000),
    rateLimitWindowMs: duration('RATE_LIMIT_WINDOW'),
    rateLimitAnonPerMinute: int('RATE_LIMIT_ANON_PER_MINUTE', 1, 1_000_000),
    uploadTimeoutMs: duration('UPLOAD_TIMEOUT'),
    apiKeyCacheTtlMs: raw('API_KEY_CACHE_TTL') === '0' ? 0 : duration('API_KEY_CACHE_TTL'),
    metricsToken,
    storage,
    dispatchDays,
    dispatchCutoff: { hour: Number(cutoffMatch?.[1] ?? 12), minute: Number(cutoffMatch?.[2] ?? 0) },
    deliveryFollowUpMs: duration('DELIVERY_FOLLOW_UP'),
    webhookAttempts: int('WEBHOOK_ATTEMPTS', 1, 50),
    webhookBackoffMs: duration('WEBHOOK_BACKOFF'),
    webhookDisableAfterMs: duration('WEBHOOK_DISABLE_AFTER'),
    webhookAllowPrivate: bool('WEBHOOK_ALLOW_PRIVATE'),
    webhookTimeoutMs: duration('WEBHOOK_TIMEOUT'),
    integrityFlags: bool('INTEGRITY_FLAGS'),
    jobLockMs: duration('JOB_LOCK'),
  };
  // Retry-After and RateLimit-Reset are whole seconds; an hour bounds what a client may be told to wait.
  if (config.rateLimitWindowMs > 0 && (config.rateLimitWindowMs < 1000 || config.rateLimitWindowMs > 3_600_000)) {
    problems.push(`RATE_LIMIT_WINDOW="${raw('RATE_LIMIT_WINDOW')}" must be from 1s to 1h`);
  }
  if (config.uploadTimeoutMs > 0 && (config.uploadTimeoutMs < 1000 || config.uploadTimeoutMs > 600_000)) {
    problems.push(`UPLOAD_TIMEOUT="${raw('UPLOAD_TIMEOUT')}" must be from 1s to 10m`);
  }
  if (config.jobLockMs > 0 && (config.jobLockMs < 5000 || config.jobLockMs > 600_000)) {
    problems.push(`JOB_LOCK="${raw('JOB_LOCK')}" must be from 5s to 10m`);
  }
  if (config.webhookTimeoutMs > 0 && (config.webhookTimeoutMs < 100 || config.webhookTimeoutMs > 60_000)) {
    problems.push(`WEBHOOK_TIMEOUT="${raw('WEBHOOK_TIMEOUT')}" must be from 100ms to 60s`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** STORAGE=local needs nothing more; STORAGE=s3 needs a bucket and credentials, each named when missing or bad. */
function storageConfig(env: Env, driver: string, forcePathStyle: boolean, region: string, problems: string[]): StorageConfig {
  if (driver === 'local') return { driver };
  if (driver !== 's3') {
    problems.push(`STORAGE="${driver}" must be local or s3`);
    return { driver: 'local' };
  }
  const required = (name: string): string => {
    const value = env[name]?.trim() ?? '';
    if (!value) problems.push(`${name} must be set when STORAGE=s3`);
    return value;
  };
  const endpoint = env.S3_ENDPOINT?.trim() || undefined;
  if (endpoint) {
    try {
      const parsed = new URL(endpoint);
      if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('protocol');
    } catch {
      problems.push(`S3_ENDPOINT="${redact(endpoint)}" must be a URL starting with http:// or https://`);
    }
  }
  if (!/^[a-z0-9-]{1,64}$/.test(region)) problems.push(`S3_REGION="${region}" must be a region name such as us-east-1`);
  const bucket = required('S3_BUCKET');
  // The rules S3 sets for bucket names (MinIO follows them): 3-63 lower-case letters, digits, dots, hyphens.
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`S3_BUCKET="${bucket}" must be 3 to 63 lower-case letters, digits, dots or hyphens`);
  }
  return {
    driver,
    endpoint,
    region,
    bucket,
    accessKeyId: required('S3_ACCESS_KEY_ID'),
    secretAccessKey: required('S3_SECRET_ACCESS_KEY'),
    forcePathStyle,
  };
}

/** Query parameters that may carry a credential in a connection URL. */
const SECRET_PARAMS = /^(pass|password|passwd|pwd|secret|token|key|auth|authorization|access_?key|api_?key)$/i;

/**
 * A URL as it may be written to a message or a log: the password (and, when there is no
 * password, the user part, which then may be the secret itself) replaced by `***`, and query
 * parameters named like credentials too. What does not parse as a URL loses everything
 * between `//` and the last `@` of its authority.
 */
export function redact(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value.replace(/\/\/[^/?#]*@/, '//***@');
  }
  if (url.password) url.password = '***';
  else if (url.username) url.username = '***';
  for (const name of [...url.searchParams.keys()]) if (SECRET_PARAMS.test(name)) url.searchParams.set(name, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}
