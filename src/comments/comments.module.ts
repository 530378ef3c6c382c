import { Module } from '@nestjs/common';
import { ActsCoreModule } from '../acts/acts-core.module';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';

/** The act's conversation: GET and POST /acts/:id/comments. */
@Module({
  imports: [ActsCoreModule],
  controllers: [CommentsController],
  providers: [CommentsService],
})
export class CommentsModule {}
