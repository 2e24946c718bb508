import type { Role } from '../modules/auth/auth.entities.ts';

export type { Role };
// Who may call a route is always one of these lists, so the role-by-route table stays readable.
export const EVERYONE: readonly Role[] = ['anonymous', 'patron', 'librarian', 'supervisor', 'admin'];
export const SIGNED_IN: readonly Role[] = ['patron', 'librarian', 'supervisor', 'admin'];
export const STAFF: readonly Role[] = ['librarian', 'supervisor', 'admin'];
export const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
export const ADMINS: readonly Role[] = ['admin'];

export const isStaff = (roles: readonly string[]) => roles.some((r) => STAFF.includes(r as Role));
