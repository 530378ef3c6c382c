import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The status this receiver answered. */
  status: number;
  at: number;
}

/** What to answer: a status, and optionally a body (or a delay before answering). */
export interface Answer {
  status: number;
  body?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

/**
 * A real HTTP server on a free local port that keeps every webhook it receives. Each path
 * (`/a`, `/sc-b`...) answers 200 unless told otherwise: `answerNext(path, [500, 500])` answers
 * the next requests with these statuses, `answerAlways(path, ...)` every request.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly next = new Map<string, Answer[]>();
  private readonly always = new Map<string, Answer>();
  private server: Server;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answerNext(path: string, answers: (number | Answer)[]): void {
    this.next.set(path, [...(this.next.get(path) ?? []), ...answers.map((a) => (typeof a === 'number' ? { status: a } : a))]);
  }

  answerAlways(path: string, answer: number | Answer | undefined): void {
    if (answer === undefined) this.always.delete(path);
    else this.always.set(path, typeof answer === 'number' ? { status: answer } : answer);
  }

  /** What reached a path (every request, failures included). */
  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The events a path accepted (2xx), in the order they arrived, parsed. */
  accepted(path: string): { id: string; type: string; data: Record<string, unknown> }[] {
    return this.at(path)
      .filter((r) => r.status >= 200 && r.status < 300)
      .map((r) => {
        const body = JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
        return { id: r.headers['webhook-id'], type: body.type, data: body.data };
      });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const queued = this.next.get(path);
    const answer = queued?.shift() ?? this.always.get(path) ?? { status: 200 };
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    this.received.push({
      path,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: Buffer.concat(chunks).toString('utf8'),
      status: answer.status,
      at: Date.now(),
    });
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    res.end(answer.body ?? 'ok');
  }
}
