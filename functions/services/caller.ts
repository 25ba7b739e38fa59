// Who is calling: the decider's name and the roles their claims carry.
import type { Role } from '../core/permissions.js';

export interface Caller {
  /** Shown as the decider: the email, else the name, else the subject. */
  user: string;
  roles: Role[];
}
