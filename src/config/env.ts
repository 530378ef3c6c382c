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
  /** INTEGRITY_FLAGS: `true` (default) computes the integrity flags; `false` only for a benchmark's same-run baseline. */
  integrityFlags: boolean;
}

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
  INTEGRITY_FLAGS: 'true',
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
  const host = raw('HOST');
  if (!/^[\w.:-]{1,253}$/.test(host)) problems.push(`HOST="${host}" must be an IP address or a host name, e.g. 127.0.0.1 or 0.0.0.0`);

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
    integrityFlags: bool('INTEGRITY_FLAGS'),
  };
  // Retry-After and RateLimit-Reset are whole seconds; an hour bounds what a client may be told to wait.
  if (config.rateLimitWindowMs > 0 && (config.rateLimitWindowMs < 1000 || config.rateLimitWindowMs > 3_600_000)) {
    problems.push(`RATE_LIMIT_WINDOW="${raw('RATE_LIMIT_WINDOW')}" must be from 1s to 1h`);
  }
  if (config.uploadTimeoutMs > 0 && (config.uploadTimeoutMs < 1000 || config.uploadTimeoutMs > 600_000)) {
    problems.push(`UPLOAD_TIMEOUT="${raw('UPLOAD_TIMEOUT')}" must be from 1s to 10m`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
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
