// Which parts of the site a signed-in user is shown. The API decides what they may actually do
// (services/api/http/roles.ts); these only choose links and pages, so they mirror its lists.
interface WithRoles { roles: readonly string[] }

const STAFF = ['librarian', 'supervisor', 'admin'];
const SUPERVISORS = ['supervisor', 'admin'];

export const isStaffUser = (u: WithRoles | null | undefined): boolean => !!u && u.roles.some((r) => STAFF.includes(r));
export const isSupervisor = (u: WithRoles | null | undefined): boolean => !!u && u.roles.some((r) => SUPERVISORS.includes(r));
/** The usage dashboard (analytics) is for supervisors and administrators. */
export const canSeeUsage = isSupervisor;
