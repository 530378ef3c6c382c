import { ActorView } from '../acts/act.view';

export class CommentView {
  id: string;
  author: ActorView;
  text: string;
  createdAt: Date;
}
