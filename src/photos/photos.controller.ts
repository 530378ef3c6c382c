import { Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, StreamableFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { FingerprintAfterUpload } from '../common/idempotency/idempotency.interceptor';
import { ApiProblems } from '../common/openapi';
import { PhotoView } from '../acts/act.view';
import { PhotoKind } from './act-photo.entity';
import { attachmentDisposition } from './file-name';
import { MAX_PHOTO_BYTES, PHOTO_CONTENT_TYPES } from './photo-inspector';
import { IdempotentUploadInterceptor } from './idempotent-upload.interceptor';
import { PhotoUploadGate } from './photo-upload.gate';
import { PhotoUpload, PhotoUploadInput, PhotoUploadPipe } from './photo-upload.input';
import { PhotosService } from './photos.service';

const BINARY = { schema: { type: 'string', format: 'binary' } };

@ApiTags('acts')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('acts/:id/photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  /**
   * Adds one photo (SC: while draft, submitted or info_requested; managers: any time). One file
   * in `file`, at most 8 MB, a JPEG, PNG, WebP, HEIC/HEIF or PDF judged by its bytes. An SC's
   * photo on an info_requested act answers it (back to submitted).
   */
  @Post()
  @FingerprintAfterUpload()
  @UseInterceptors(PhotoUploadGate, FileInterceptor('file'), IdempotentUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: `One file, at most ${MAX_PHOTO_BYTES} bytes: ${PHOTO_CONTENT_TYPES.join(', ')} (by content)`,
        },
        kind: { type: 'string', enum: Object.values(PhotoKind) },
      },
    },
  })
  @ApiCreatedResponse({ type: PhotoView })
  @ApiProblems(400, 401, 403, 404, 409, 413, 415, 422)
  add(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @PhotoUpload(PhotoUploadPipe) upload: PhotoUploadInput,
  ): Promise<PhotoView> {
    return this.photos.add(id, principal, upload);
  }

  /** The photo's bytes as stored, as an attachment named `<act number>-<kind>-<n>.<ext>` (owning SC and managers). */
  @Get(':photoId')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @Header('Cache-Control', 'private, no-cache')
  @ApiOkResponse({
    description: 'The bytes, with the stored Content-Type and Content-Disposition: attachment',
    headers: {
      'Content-Disposition': { description: 'attachment; filename="…"', schema: { type: 'string' } },
      'X-Content-Type-Options': { description: 'nosniff', schema: { type: 'string' } },
    },
    content: Object.fromEntries(PHOTO_CONTENT_TYPES.map((type) => [type, BINARY])),
  })
  @ApiProblems(400, 401, 404)
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('photoId', ParseUUIDPipe) photoId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { photo, fileName, content } = await this.photos.open(id, photoId, principal);
    return new StreamableFile(content, { type: photo.contentType, length: photo.size, disposition: attachmentDisposition(fileName) });
  }

  /** Deletes a photo and its file (SC: while draft or info_requested; managers: any time). */
  @Delete(':photoId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its file' })
  @ApiProblems(400, 401, 403, 404, 409)
  remove(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('photoId', ParseUUIDPipe) photoId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.photos.remove(id, photoId, principal);
  }
}
