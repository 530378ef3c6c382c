import { Module } from '@nestjs/common';
import { OrphanPhotos } from './orphan-photos';
import { PhotoStorageModule } from './storage/photo-storage.module';

/** Photos without HTTP: where the bytes live and the housekeeping of stored files. Used by the API and the worker. */
@Module({
  imports: [PhotoStorageModule],
  providers: [OrphanPhotos],
  exports: [PhotoStorageModule, OrphanPhotos],
})
export class PhotosCoreModule {}
