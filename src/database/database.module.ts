import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { dataSourceOptions } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      // Migrations are applied before the app starts (see prepareDatabase), never here.
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config.databaseUrl), migrationsRun: false }),
    }),
  ],
})
export class DatabaseModule {}
