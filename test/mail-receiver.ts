import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  messageId: string;
  subject: string;
  body: string;
  raw: string;
}

/**
 * A real SMTP server on a free local port that keeps what it receives. `failNext` makes it
 * reject the next messages to an address with a temporary error; addresses containing
 * "bounce" are refused at RCPT TO, every time.
 */
export class MailReceiver {
  readonly received: ReceivedMail[] = [];
  private readonly failures = new Map<string, number>();
  private server: SMTPServer;
  port = 0;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['AUTH', 'STARTTLS'],
      authOptional: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (address.address.includes('bounce')) return callback(smtpError(550, 'No such user here'));
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          const left = this.failures.get(to[0]) ?? 0;
          if (left > 0) {
            this.failures.set(to[0], left - 1);
            return callback(smtpError(451, 'Try again later'));
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({ ...parseMessage(raw), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to, raw });
          callback();
        });
      },
    });
    // A sender killed mid-session (the fault tests SIGKILL the worker) resets its connection:
    // smtp-server reports that as an 'error' event, which unheard would crash the test run.
    this.server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') throw error;
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(recipient: string, times: number): void {
    this.failures.set(recipient, times);
  }

  to(recipient: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(recipient));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Just enough MIME for the single-part text messages the service sends. */
function parseMessage(raw: string): { messageId: string; subject: string; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  return { messageId: headers.get('message-id') ?? '', subject: decodeWords(headers.get('subject') ?? ''), body: body.replace(/\r\n$/, '') };
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
