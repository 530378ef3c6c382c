import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

/** The built service's processes, run as an operator would, against the private services. */
export const DIST = join(__dirname, '..', '..', 'dist', 'src');

export class ServiceProcess {
  private child?: ChildProcess;
  output = '';
  constructor(
    private readonly script: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): void {
    this.output = '';
    this.child = spawn(process.execPath, [join(DIST, this.script)], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.output += chunk));
    this.child.stderr?.on('data', (chunk) => (this.output += chunk));
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}

export function cli(env: Record<string, string>, args: string[]): string {
  const result = spawnSync(process.execPath, [join(DIST, 'cli.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cli ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim().split('\n').pop() as string;
}

export async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface LoadResult {
  created: string[];
  statuses: Map<number, number>;
  errors: string[];
}

/**
 * Service centers filing acts without pause: create + submit, each with an Idempotency-Key.
 * Records every act whose creation got a 2xx, so the test can check none was lost.
 */
export function startLoad(base: string, key: string, categoryId: string, clients = 4) {
  const result: LoadResult = { created: [], statuses: new Map(), errors: [] };
  let running = true;
  const count = (status: number) => result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const body = JSON.stringify({
    product: {
      categoryId,
      model: 'Нагрузка',
      serialNumber: 'SN-LOAD',
      complaint: 'Не запускается',
      condition: 'used',
      saleDate: '2026-06-01',
      acceptedDate: '2026-06-15',
      completeness: 'full',
      hasWarrantyCard: true,
    },
    diagnosis: { mechanic: 'Иванов', result: 'Гидроудар', conclusion: 'Гарантия', warrantyCase: true },
    parts: [{ name: 'Коленвал', quantity: 1 }],
    extra: { customerName: 'Петров', customerPhone: '+79161234567', sellerOrganization: 'ООО', complexity: 1, productState: 'repaired' },
  });
  let n = 0;
  const worker = async (w: number) => {
    while (running) {
      n += 1;
      try {
        const created = await fetch(`${base}/api/v1/acts`, { method: 'POST', headers: { ...headers, 'idempotency-key': `load-${w}-${n}` }, body });
        count(created.status);
        const act = (await created.json()) as { id?: string };
        if (created.status >= 500 && created.status !== 503) result.errors.push(`POST /acts ${created.status} ${JSON.stringify(act)}`);
        if (created.status !== 201 || !act.id) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        result.created.push(act.id);
        const submitted = await fetch(`${base}/api/v1/acts/${act.id}/submit`, { method: 'POST', headers });
        count(submitted.status);
        await submitted.arrayBuffer();
        if (submitted.status >= 500 && submitted.status !== 503) result.errors.push(`submit ${submitted.status}`);
      } catch (error) {
        result.errors.push(`network: ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: clients }, (_, w) => worker(w)));
  return {
    result,
    stop: async () => {
      running = false;
      await done;
      return result;
    },
  };
}
