import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ActComment } from '../acts/act-comment.entity';
import { TimeCursor } from '../common/cursor';

const AT_MS = `date_trunc('milliseconds', c.created_at)`;

/** Reads of an act's conversation (`act_comments`); comments are written by the act's lifecycle. */
@Injectable()
export class CommentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Up to `limit` comments of the act, oldest first, after the cursor's position. Times are
   * compared at the millisecond a cursor holds, so that a row written with microseconds is
   * neither repeated nor skipped.
   */
  page(actId: string, limit: number, after?: TimeCursor): Promise<ActComment[]> {
    const qb = this.db.createQueryBuilder(ActComment, 'c').where('c.act_id = :actId', { actId });
    if (after) qb.andWhere(`(${AT_MS}, c.id) > (:t::timestamptz, :i::uuid)`, { t: after.t, i: after.i });
    return qb.orderBy(AT_MS, 'ASC').addOrderBy('c.id', 'ASC').limit(limit).getMany();
  }
}
