import { Socket } from 'node:net';

// Unit specs need no server: one that opens a TCP connection (Postgres, Redis, HTTP) belongs
// in test/integration or in an e2e spec. The socket class is shared by every test file of a
// jest worker, so the original is put back after each file.
const original = Object.getOwnPropertyDescriptor(Socket.prototype, 'connect') as PropertyDescriptor;

function refuse(...args: unknown[]): never {
  const target = args
    .filter((arg) => typeof arg !== 'function')
    .map((arg) => (typeof arg === 'object' ? JSON.stringify(arg) : String(arg as string | number)))
    .join(' ');
  throw new Error(`A unit spec opened a network connection (${target}): move it to test/integration`);
}

beforeAll(() => {
  Object.defineProperty(Socket.prototype, 'connect', { ...original, value: refuse });
});

afterAll(() => {
  Object.defineProperty(Socket.prototype, 'connect', original);
});
