import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/env';
import { loadEnvFile } from '../config/load-env-file';
import { dataSourceOptions } from './data-source-options';

loadEnvFile();

/**
 * For the TypeORM CLI, e.g. after `npm run build`:
 * `npx typeorm -d dist/src/database/data-source.js migration:generate migrations/<Name>`.
 */
export default new DataSource(dataSourceOptions(loadConfig().databaseUrl));
