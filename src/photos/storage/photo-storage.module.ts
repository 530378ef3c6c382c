import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/env';
import { LocalDiskStorage } from './local-disk.storage';
import { PhotoStorage } from './photo-storage';

/** Where photo bytes live: the local disk (UPLOAD_DIR). */
@Module({
  providers: [{ provide: PhotoStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(config.uploadDir) }],
  exports: [PhotoStorage],
})
export class PhotoStorageModule {}
