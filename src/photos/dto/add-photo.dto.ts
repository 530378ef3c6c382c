import { IsEnum } from 'class-validator';
import { PhotoKind } from '../act-photo.entity';

/** The text fields of a photo upload (the file comes in the field `file`). */
export class AddPhotoDto {
  @IsEnum(PhotoKind, { message: `must be one of ${Object.values(PhotoKind).join(', ')}` })
  kind: PhotoKind;
}
