import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The most comments one page holds, and the default. */
export const MAX_COMMENTS_PER_PAGE = 100;

export class ListCommentsQuery {
  /** Comments per page, 1 to 100 (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_COMMENTS_PER_PAGE)
  limit?: number;

  /** From the `Link: rel="next"` header of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}
