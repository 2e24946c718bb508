import type { AuthUser } from '../../app-context.ts';

/** Who asks for a circulation action: recorded on rows and override logs, and used for staff-only fields. */
export interface Actor {
  userId: string | null;
  roles: readonly string[];
}

export function actorOf(user: AuthUser | null): Actor {
  return { userId: user?.id ?? null, roles: user?.roles ?? [] };
}

/**
 * The policy's patron category that stands for a staff member when they override a block
 * (decision.ts `canOverride`): supervisors and admins act as `supervisor`, librarians as `librarian`.
 * Anyone else has no category and so no override rights.
 */
export function staffCategoryOf(actor: Actor): 'supervisor' | 'librarian' | null {
  if (actor.roles.includes('supervisor') || actor.roles.includes('admin')) return 'supervisor';
  if (actor.roles.includes('librarian')) return 'librarian';
  return null;
}
