import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { ActLifecycle } from '../acts/act-lifecycle.service';
import { Act } from '../acts/act.entity';
import { ActAction, ActorRole, ActStatus, transitionFor } from '../acts/act-status';
import { ActsService } from '../acts/acts.service';
import { Actor, actorOf } from '../acts/actor';
import { ActComment } from './act-comment.entity';
import { CommentView } from './comment.view';

export function toCommentView(comment: ActComment): CommentView {
  return {
    id: comment.id,
    author: { role: comment.authorRole, name: comment.authorName },
    text: comment.text,
    createdAt: comment.createdAt,
  };
}

@Injectable()
export class CommentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly acts: ActsService,
    private readonly lifecycle: ActLifecycle,
  ) {}

  async list(actId: string, principal: Principal): Promise<CommentView[]> {
    await this.acts.assertVisible(actId, principal);
    const rows = await this.db
      .getRepository(ActComment)
      .find({ where: { actId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(toCommentView);
  }

  /** A comment; the SC's comment on an info_requested act answers the question. */
  async add(actId: string, principal: Principal, text: string): Promise<CommentView> {
    return this.db.transaction(async (tx) => {
      const act = await this.lifecycle.lock(tx, actId, principal);
      const actor = actorOf(principal);
      transitionFor(act.status, ActAction.Comment, actor.role);
      const comment = await this.lifecycle.comment(tx, act, actor, text);
      await this.answerIfAsked(tx, act, actor, 'Ответ сервисного центра в комментарии');
      return toCommentView(comment);
    });
  }

  /**
   * The SC's comment or photo on an info_requested act answers it: back to submitted, deadline
   * cleared. The act row is locked, so a sweep closing it for silence either ran before (the
   * act is closed and takes no answer) or runs after (the act is no longer info_requested).
   */
  async answerIfAsked(tx: EntityManager, act: Act, actor: Actor, reason: string): Promise<void> {
    if (actor.role !== ActorRole.ServiceCenter || act.status !== ActStatus.InfoRequested) return;
    await this.lifecycle.apply(tx, act, ActAction.Answer, actor, { reason });
  }
}
