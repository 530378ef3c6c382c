import { parseDeadlineDuration } from './duration';
import { ConfigError, ENV_DEFAULTS, loadConfig, parseDuration, redact } from './env';

describe('loadConfig', () => {
  it('serves a single machine on its defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBe(ENV_DEFAULTS.DATABASE_URL);
    expect(config.infoReplyWindowMs).toBe(5 * 86_400_000);
    expect(config.mismatchWindowMs).toBe(3 * 86_400_000);
    expect(config.sweepEveryMs).toBe(60_000);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.migrationsRun).toBe(true);
    expect(config.notifyPollEveryMs).toBe(5_000);
    expect(config.notifyAttempts).toBe(8);
    expect(config.notifyBackoffMs).toBe(30_000);
  });

  it('counts the reply window and the review SLA in business days by default', () => {
    const config = loadConfig({});
    expect(config.infoReplyWindow).toEqual({ kind: 'business', days: 5 });
    expect(config.reviewSla).toEqual({ kind: 'business', days: 3 });
    // The millisecond fields stay for code that adds clock time: a business day counts as 24 h.
    expect(config.reviewSlaMs).toBe(3 * 86_400_000);
  });

  it('reads business days or clock time for INFO_REPLY_WINDOW and REVIEW_SLA, not for MISMATCH_WINDOW', () => {
    const config = loadConfig({ INFO_REPLY_WINDOW: '36h', REVIEW_SLA: '2bd' });
    expect(config.infoReplyWindow).toEqual({ kind: 'clock', ms: 36 * 3_600_000 });
    expect(config.reviewSla).toEqual({ kind: 'business', days: 2 });
    expect(() => loadConfig({ MISMATCH_WINDOW: '3bd' })).toThrow(/MISMATCH_WINDOW/);
    expect(() => loadConfig({ REVIEW_SLA: '0bd' })).toThrow(/REVIEW_SLA="0bd" must be business days such as 5bd/);
    expect(() => loadConfig({ INFO_REPLY_WINDOW: '5 business days' })).toThrow(/INFO_REPLY_WINDOW/);
  });

  it('binds to HOST, refusing what is not an address', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(() => loadConfig({ HOST: 'http://x/' })).toThrow(/HOST/);
  });

  it('reads DIGEST_AT as a Moscow time of day and MAIL_SIGNATURE as fixed text', () => {
    expect(loadConfig({}).digestAt).toEqual({ hour: 9, minute: 0 });
    expect(loadConfig({}).mailSignature).toBe('');
    expect(loadConfig({ DIGEST_AT: '07:30' }).digestAt).toEqual({ hour: 7, minute: 30 });
    expect(loadConfig({ MAIL_SIGNATURE: 'Гарантийный отдел\\nтел. 8 800 000-00-00' }).mailSignature).toBe('Гарантийный отдел\nтел. 8 800 000-00-00');
    for (const bad of ['9:00', '24:00', '09:60', 'утром']) {
      expect(() => loadConfig({ DIGEST_AT: bad })).toThrow(new RegExp(`DIGEST_AT="${bad}" must be a Moscow time of day as HH:MM`));
    }
  });

  it('reads DISPATCH_DAYS, DISPATCH_CUTOFF and DELIVERY_FOLLOW_UP, and names a bad one', () => {
    const defaults = loadConfig({});
    expect(defaults.dispatchDays).toEqual([4]);
    expect(defaults.dispatchCutoff).toEqual({ hour: 12, minute: 0 });
    expect(defaults.deliveryFollowUpMs).toBe(10 * 86_400_000);
    expect(loadConfig({ DISPATCH_DAYS: ' Thu, tue ,thu' }).dispatchDays).toEqual([2, 4]);
    expect(loadConfig({ DISPATCH_CUTOFF: '15:30' }).dispatchCutoff).toEqual({ hour: 15, minute: 30 });
    for (const bad of ['thursday', 'tue,,thu', 'чт', '4']) {
      expect(() => loadConfig({ DISPATCH_DAYS: bad })).toThrow(/DISPATCH_DAYS=.* must be weekday names/);
    }
    expect(() => loadConfig({ DISPATCH_CUTOFF: '12' })).toThrow(/DISPATCH_CUTOFF="12" must be a Moscow time of day/);
    expect(() => loadConfig({ DELIVERY_FOLLOW_UP: 'soon' })).toThrow(/DELIVERY_FOLLOW_UP="soon"/);
  });

  it('refuses a number of e-mail attempts out of range', () => {
    expect(() => loadConfig({ NOTIFY_ATTEMPTS: '0' })).toThrow(/NOTIFY_ATTEMPTS/);
  });

  it('reads durations with units', () => {
    const config = loadConfig({ INFO_REPLY_WINDOW: '36h', SWEEP_EVERY: '500ms', MIGRATIONS_RUN: 'false' });
    expect(config.infoReplyWindowMs).toBe(36 * 3_600_000);
    expect(config.sweepEveryMs).toBe(500);
    expect(config.migrationsRun).toBe(false);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', INFO_REPLY_WINDOW: '5', REDIS_URL: 'http://x', SMTP_URL: 'mail.example' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'INFO_REPLY_WINDOW', 'REDIS_URL', 'SMTP_URL']) expect(message).toContain(name);
  });

  it('reads the rate limit window and bounds it', () => {
    expect(loadConfig({}).rateLimitWindowMs).toBe(60_000);
    expect(loadConfig({ RATE_LIMIT_WINDOW: '10s' }).rateLimitWindowMs).toBe(10_000);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW: '500ms' })).toThrow(/RATE_LIMIT_WINDOW/);
    expect(() => loadConfig({ RATE_LIMIT_WINDOW: '2h' })).toThrow(/RATE_LIMIT_WINDOW/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('reads the job lock (JOB_LOCK) and bounds it', () => {
    expect(loadConfig({}).jobLockMs).toBe(30_000);
    expect(loadConfig({ JOB_LOCK: '5s' }).jobLockMs).toBe(5_000);
    expect(() => loadConfig({ JOB_LOCK: '1s' })).toThrow(/JOB_LOCK="1s" must be from 5s to 10m/);
    expect(() => loadConfig({ JOB_LOCK: 'soon' })).toThrow(/JOB_LOCK/);
  });

  it('reads the API key cache TTL; 0 turns the cache off', () => {
    expect(loadConfig({}).apiKeyCacheTtlMs).toBe(30_000);
    expect(loadConfig({ API_KEY_CACHE_TTL: '5m' }).apiKeyCacheTtlMs).toBe(300_000);
    expect(loadConfig({ API_KEY_CACHE_TTL: '0' }).apiKeyCacheTtlMs).toBe(0);
    expect(() => loadConfig({ API_KEY_CACHE_TTL: 'forever' })).toThrow(/API_KEY_CACHE_TTL/);
  });

  it('keeps photos on the local disk unless STORAGE=s3, which names every missing or bad S3 variable', () => {
    expect(loadConfig({}).storage).toEqual({ driver: 'local' });
    const s3 = {
      STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'warranty-photos',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
    };
    expect(loadConfig(s3).storage).toEqual({
      driver: 's3',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      bucket: 'warranty-photos',
      accessKeyId: 'id',
      secretAccessKey: 'secret',
      forcePathStyle: true,
    });
    expect(() => loadConfig({ STORAGE: 'ftp' })).toThrow(/STORAGE="ftp"/);
    let error: ConfigError | undefined;
    try {
      loadConfig({ STORAGE: 's3', S3_ENDPOINT: 'ftp://x', S3_BUCKET: 'Bad_Bucket' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.join('\n')).toMatch(
      /S3_ENDPOINT.*\n?[\s\S]*S3_BUCKET="Bad_Bucket"[\s\S]*S3_ACCESS_KEY_ID must be set[\s\S]*S3_SECRET_ACCESS_KEY must be set/,
    );
    expect(() => loadConfig({ ...s3, S3_FORCE_PATH_STYLE: 'maybe' })).toThrow(/S3_FORCE_PATH_STYLE/);
  });

  it('reads METRICS_TOKEN, refusing a short one', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-token' }).metricsToken).toBe('a-long-enough-token');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('never prints a database password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:secret@h/db' })).toThrow(/u:\*\*\*@/);
  });
});

describe('parseDuration', () => {
  it.each([
    ['36h', 36 * 3_600_000],
    ['3d', 3 * 86_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2 days', 2 * 86_400_000],
  ])('reads %s', (value, expected) => {
    expect(parseDuration(value)).toBe(expected);
  });

  it.each(['5', '', 'soon', '-1d', '0d', '3x', `${'9'.repeat(40)}d`])('refuses %j', (value) => {
    expect(parseDuration(value)).toBeUndefined();
  });
});

describe('parseDeadlineDuration', () => {
  it.each([
    ['5bd', { kind: 'business', days: 5 }],
    ['1BD', { kind: 'business', days: 1 }],
    ['250bd', { kind: 'business', days: 250 }],
    ['3d', { kind: 'clock', ms: 3 * 86_400_000 }],
    ['30s', { kind: 'clock', ms: 30_000 }],
  ])('reads %s', (value, expected) => {
    expect(parseDeadlineDuration(value)).toEqual(expected);
  });

  it.each(['0bd', '251bd', '1.5bd', '-1bd', 'bd', '5', '5b', ''])('refuses %j', (value) => {
    expect(parseDeadlineDuration(value)).toBeUndefined();
  });
});

describe('redact', () => {
  it('hides every form of credential in a URL', () => {
    for (const [url, secret] of [
      ['smtp://mailer:S3cretPw@mail.example.com:587', 'S3cretPw'],
      ['smtp://mailer:S3cret@Pw@mail.example.com:587', 'Pw'],
      ['smtp://:S3cretPw@mail.example.com:587', 'S3cretPw'],
      ['redis://:S3cretPw@redis:6379', 'S3cretPw'],
      ['smtps://S3cretToken@mail.example.com', 'S3cretToken'],
      ['smtps://mailer:x@mail.example.com/?pass=S3cretPw', 'S3cretPw'],
      ['not a url //user:S3cretPw@host', 'S3cretPw'],
    ]) {
      const shown = redact(url);
      expect([url, shown.includes(secret)]).toEqual([url, false]);
      expect(shown).toContain('***');
    }
    expect(redact('smtp://mailer:S3cretPw@mail.example.com:587')).toBe('smtp://mailer:***@mail.example.com:587');
    expect(redact('smtp://mail.example.com:25')).toBe('smtp://mail.example.com:25');
  });
});
