import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActComment } from '../acts/act-comment.entity';
import { ActLifecycle } from '../acts/act-lifecycle.service';
import { ActAction } from '../acts/act-status';
import { ActsRepository } from '../acts/acts.repository';
import { actorOf } from '../acts/actor';
import { Principal } from '../common/auth/principal';
import { Problems } from '../common/problem';
import { texts } from '../messages/messages';
import { decodeTimeCursor, encodeTimeCursor } from '../common/cursor';
import { CommentView } from './comment.view';
import { CommentsRepository } from './comments.repository';
import { ListCommentsQuery, MAX_COMMENTS_PER_PAGE } from './dto/list-comments.query';

export function toCommentView(comment: ActComment): CommentView {
  return {
    id: comment.id,
    author: { role: comment.authorRole, name: comment.authorName },
    text: comment.text,
    createdAt: comment.createdAt,
  };
}

/** The act's conversation. */
@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly acts: ActsRepository,
    private readonly lifecycle: ActLifecycle,
    private readonly comments: CommentsRepository,
  ) {}

  /**
   * One page of the act's conversation, oldest first, and the cursor of the next page when more
   * follow (one comment more is read to know).
   */
  async list(actId: string, principal: Principal, query: ListCommentsQuery): Promise<{ items: CommentView[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? undefined : decodeTimeCursor(query.cursor);
    if (!(await this.acts.findState(actId, principal))) throw Problems.notFound('act');
    const limit = query.limit ?? MAX_COMMENTS_PER_PAGE;
    const rows = await this.comments.page(actId, limit + 1, after);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toCommentView), nextCursor: rows.length > limit ? encodeTimeCursor(last.createdAt, last.id) : null };
  }

  /** A comment; the SC's comment on an info_requested act answers the question (the machine says so). */
  async add(actId: string, principal: Principal, text: string): Promise<CommentView> {
    return this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, actId, principal);
      const actor = actorOf(principal);
      await this.lifecycle.follow(tx, act, ActAction.Comment, actor, texts.reason.answeredByComment);
      return toCommentView(await this.lifecycle.comment(tx, act, actor, text));
    });
  }
}
