import { createServer } from 'node:net';

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Polls `check` until it returns something truthy and returns that. A check that throws (a
 * server not up yet) counts as "not yet"; on timeout the last error is in the message.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000, intervalMs = 50): Promise<Truthy<T>> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > until) {
      throw new Error(`Timed out waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * A TCP port free on the loopback right now, picked at random below Linux's ephemeral range
 * (32768-60999): the outgoing connections of the tests' own clients (Postgres, Redis, HTTP) take
 * ephemeral ports, and a port handed out by the kernel could be taken by one of them between
 * this check and the server starting on it.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
