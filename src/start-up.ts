import { AppConfig, ConfigError, loadConfig } from './config/env';
import { loadEnvFile } from './config/load-env-file';
import { startUpLogger } from './common/logging';
import { prepareDatabase } from './database/prepare-database';

/**
 * What every process does first: read `.env`, validate the configuration (exit 1 naming the
 * bad variables), create the database if missing and apply migrations unless told not to.
 */
export async function startUp(options: { migrate?: boolean; toStderr?: boolean } = {}): Promise<AppConfig> {
  loadEnvFile();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (options.migrate ?? config.migrationsRun) {
    try {
      await prepareDatabase(config.databaseUrl, startUpLogger(config.logLevel, options.toStderr));
    } catch (error) {
      process.stderr.write(`Cannot prepare the database: ${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  return config;
}

/**
 * Stops gracefully on SIGTERM/SIGINT: app.close() lets in-flight requests and the running job
 * finish and runs the shutdown hooks, then the process exits 0. A second signal exits at once.
 */
export function closeOnSignals(app: { close(): Promise<void> }, log: (message: string) => void): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      log(`${signal} received: shutting down`);
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Shutdown failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    });
  }
}
