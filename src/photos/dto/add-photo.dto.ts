import { IsEnum } from 'class-validator';
import { keyed } from '../../common/field-messages';
import { fieldMessage } from '../../common/problem';
import { PhotoKind } from '../act-photo.entity';

/** The text fields of a photo upload (the file comes in the field `file`). */
export class AddPhotoDto {
  @IsEnum(PhotoKind, { message: keyed(fieldMessage('oneOf', { values: Object.values(PhotoKind) })) })
  kind: PhotoKind;
}
