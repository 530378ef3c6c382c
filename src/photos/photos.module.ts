import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { ActsCoreModule } from '../acts/acts-core.module';
import { IdempotencyInterceptor } from '../common/idempotency/idempotency.interceptor';
import { IdempotencyModule } from '../common/idempotency/idempotency.module';
import { IdempotentUploadInterceptor } from './idempotent-upload.interceptor';
import { MAX_PHOTO_BYTES } from './photo-inspector';
import { PhotoUploadEngine } from './photo-upload.engine';
import { PhotoUploadGate } from './photo-upload.gate';
import { PhotosController } from './photos.controller';
import { PhotosService } from './photos.service';
import { PhotoStorage } from './storage/photo-storage';
import { PhotosCoreModule } from './photos-core.module';
import { PhotoStorageModule } from './storage/photo-storage.module';

@Module({
  imports: [
    ActsCoreModule,
    PhotosCoreModule,
    IdempotencyModule,
    PhotoStorageModule,
    MulterModule.registerAsync({
      imports: [PhotoStorageModule],
      inject: [PhotoStorage],
      useFactory: (storage: PhotoStorage) => ({
        storage: new PhotoUploadEngine(storage),
        // Browsers send UTF-8 file names without saying so; busboy would read them as latin1.
        defParamCharset: 'utf8',
        limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 8, fieldSize: 1024, fieldNameSize: 100, parts: 10, headerPairs: 20 },
      }),
    }),
  ],
  controllers: [PhotosController],
  providers: [PhotosService, PhotoUploadGate, IdempotencyInterceptor, IdempotentUploadInterceptor],
})
export class PhotosModule {}
