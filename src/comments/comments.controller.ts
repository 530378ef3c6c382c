import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CommentView } from './comment.view';
import { CommentsService } from './comments.service';
import { CreateCommentDto } from './dto/create-comment.dto';
import { ListCommentsQuery, MAX_COMMENTS_PER_PAGE } from './dto/list-comments.query';

/** `<path?limit=…&cursor=…>; rel="next"`: a reference relative to the host, on the path asked. */
function nextPageLink(originalUrl: string, limit: number | undefined, cursor: string): string {
  const path = originalUrl.split('?')[0];
  return `<${path}?limit=${limit ?? MAX_COMMENTS_PER_PAGE}&cursor=${encodeURIComponent(cursor)}>; rel="next"`;
}

@ApiTags('acts')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('acts/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /**
   * The act's conversation, oldest first: at most `limit` comments (default and maximum 100);
   * when more follow, `Link: <…?limit=…&cursor=…>; rel="next"` (RFC 8288) gives the next page.
   */
  @Get()
  @ApiHeader({ name: 'Link', required: false, description: 'rel="next": the next page, when more comments follow' })
  @ApiProblems(400, 401, 404)
  async list(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListCommentsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CommentView[]> {
    const { items, nextCursor } = await this.comments.list(id, principal, query);
    if (nextCursor) response.setHeader('Link', nextPageLink(response.req.originalUrl, query.limit, nextCursor));
    return items;
  }

  /**
   * Adds a comment (an SC cannot comment on a closed act). An SC's comment on an
   * info_requested act answers it; a manager's comment is e-mailed to the SC.
   */
  @Post()
  @ApiProblems(400, 401, 404, 409, 422)
  add(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal, @Body() dto: CreateCommentDto): Promise<CommentView> {
    return this.comments.add(id, principal, dto.text);
  }
}
