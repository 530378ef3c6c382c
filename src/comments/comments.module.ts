import { Module } from '@nestjs/common';
import { ActsCoreModule } from '../acts/acts-core.module';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

/** The act's conversation: GET and POST /acts/:id/comments. */
@Module({
  imports: [ActsCoreModule],
  controllers: [CommentsController],
  providers: [CommentsService, CommentsRepository],
})
export class CommentsModule {}
