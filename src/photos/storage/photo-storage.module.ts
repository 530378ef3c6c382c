import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/env';
import { LocalDiskStorage } from './local-disk.storage';
import { PhotoStorage } from './photo-storage';
import { S3Storage } from './s3.storage';

/** Where photo bytes live: the local disk (UPLOAD_DIR) or an S3-compatible bucket (STORAGE=s3). */
@Module({
  providers: [
    {
      provide: PhotoStorage,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        config.storage.driver === 's3' ? new S3Storage(config.storage, config.uploadDir) : new LocalDiskStorage(config.uploadDir),
    },
  ],
  exports: [PhotoStorage],
})
export class PhotoStorageModule {}
