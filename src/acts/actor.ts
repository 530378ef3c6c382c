import { Principal, Role } from '../common/auth/principal';
import { texts } from '../messages/messages';
import { ActorRole } from './act-status';

/** Who did something to an act: shown in history and comments. */
export interface Actor {
  role: ActorRole;
  id: string | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { role: ActorRole.System, id: null, name: texts.systemName };

export function actorOf(principal: Principal): Actor {
  return {
    role: principal.role === Role.Manager ? ActorRole.Manager : ActorRole.ServiceCenter,
    id: principal.ownerId,
    name: principal.name,
  };
}
