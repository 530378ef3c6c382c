import { Module } from '@nestjs/common';
import { CommentsController } from '../comments/comments.controller';
import { CommentsService } from '../comments/comments.service';
import { NotificationsModule } from '../notifications/notifications.module';
import { ActActionsController } from './act-actions.controller';
import { ActActionsService } from './act-actions.service';
import { ActLifecycle } from './act-lifecycle.service';
import { ActsController } from './acts.controller';
import { ActsService } from './acts.service';

@Module({
  imports: [NotificationsModule],
  controllers: [ActsController, ActActionsController, CommentsController],
  providers: [ActsService, ActActionsService, ActLifecycle, CommentsService],
  exports: [ActsService, ActLifecycle, CommentsService],
})
export class ActsModule {}
