import { Module } from '@nestjs/common';
import { OrphanPhotos } from './orphan-photos.service';
import { PhotoCheck } from './photo-check.service';
import { PhotosRepository } from './photos.repository';
import { PhotoStorageModule } from './storage/photo-storage.module';

/** Photos without HTTP: their rows, where the bytes live, and the housekeeping of stored files. Used by the API and the worker. */
@Module({
  imports: [PhotoStorageModule],
  providers: [PhotosRepository, OrphanPhotos, PhotoCheck],
  exports: [PhotoStorageModule, PhotosRepository, OrphanPhotos, PhotoCheck],
})
export class PhotosCoreModule {}
