import { Module } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module';
import { AppConfig } from '../../config/env';
import { PhotosRepository } from '../photos.repository';
import { LocalDiskStorage } from './local-disk.storage';
import { PhotoStorage } from './photo-storage';

/**
 * Where photos live: their rows (PhotosRepository) and their bytes, on the local disk
 * (UPLOAD_DIR). Free of the acts module, so that acts, photos and the worker can all import it.
 */
@Module({
  providers: [
    PhotosRepository,
    { provide: PhotoStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new LocalDiskStorage(config.uploadDir) },
  ],
  exports: [PhotosRepository, PhotoStorage],
})
export class PhotoStorageModule {}
