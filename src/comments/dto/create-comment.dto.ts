import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../common/trim';

/** The longest comment, in characters. */
export const MAX_COMMENT_LENGTH = 4000;

export class CreateCommentDto {
  /** At most 4000 characters. */
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_COMMENT_LENGTH)
  text: string;
}
