import { existsSync } from 'node:fs';

/** Reads `.env` from the working directory when present; variables already set win. */
export function loadEnvFile(path = '.env'): void {
  if (!existsSync(path)) return;
  const before = { ...process.env };
  process.loadEnvFile(path);
  Object.assign(process.env, before);
}
