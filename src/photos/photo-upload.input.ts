import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { FieldError, fieldMessage, Problems } from '../common/problem';
import { flattenValidationErrors } from '../common/validation.pipe';
import { PhotoKind } from './act-photo.entity';
import { AddPhotoDto } from './dto/add-photo.dto';
import type { UploadedPhotoFile } from './photo-upload.engine';

export interface PhotoUploadInput {
  kind: PhotoKind;
  file: UploadedPhotoFile;
}

/** The multipart fields and the stored file of a photo upload, together. */
export const PhotoUpload = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const request = ctx.switchToHttp().getRequest<Request>();
  return { body: request.body as unknown, file: request.file as UploadedPhotoFile | undefined };
});

/**
 * Checks the fields and the file at once, so that every failing field is listed together
 * (`kind` wrong or missing, `file` missing, any unknown field). When it refuses, Nest removes
 * the stored file.
 */
@Injectable()
export class PhotoUploadPipe implements PipeTransform<{ body: unknown; file?: UploadedPhotoFile }, Promise<PhotoUploadInput>> {
  async transform({ body, file }: { body: unknown; file?: UploadedPhotoFile }): Promise<PhotoUploadInput> {
    const fields = body && typeof body === 'object' && !Array.isArray(body) ? { ...body } : {};
    const dto = plainToInstance(AddPhotoDto, fields);
    const errors: FieldError[] = flattenValidationErrors(
      await validate(dto, { whitelist: true, forbidNonWhitelisted: true, validationError: { target: true, value: false } }),
    );
    if (!file) errors.push({ field: 'file', message: fieldMessage('photoFile') });
    if (errors.length || !file) throw Problems.validation(errors);
    return { kind: dto.kind, file };
  }
}
