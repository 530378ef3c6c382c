import { Foundation1763780000000 } from './1763780000000-Foundation';

/** Every migration, in order. Add new ones at the end. */
export const MIGRATIONS = [Foundation1763780000000];
