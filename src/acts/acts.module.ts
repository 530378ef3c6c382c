import { Module } from '@nestjs/common';
import { CommentsController } from '../comments/comments.controller';
import { CommentsService } from '../comments/comments.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { ActLifecycle } from './act-lifecycle.service';
import { ActsController } from './acts.controller';
import { ActsService } from './acts.service';

@Module({
  imports: [NotificationsModule],
  controllers: [ActsController, CommentsController],
  providers: [ActsService, ActLifecycle, CommentsService],
  exports: [ActsService, ActLifecycle, CommentsService],
})
export class ActsModule {}
