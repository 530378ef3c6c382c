import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import { Principal, Role } from '../common/auth/principal';
import { ApiProblems } from '../common/openapi';
import { CommentView } from './comment.view';
import { CommentsService } from './comments.service';
import { CreateCommentDto } from './dto/create-comment.dto';

@ApiTags('acts')
@ApiBearerAuth()
@Roles(Role.ServiceCenter, Role.Manager)
@Controller('acts/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  /** The act's conversation, oldest first. */
  @Get()
  @ApiProblems(400, 401, 404)
  list(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<CommentView[]> {
    return this.comments.list(id, principal);
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
