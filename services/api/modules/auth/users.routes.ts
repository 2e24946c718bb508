import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conflict, notFound } from '../../http/problem.ts';
import { ADMINS } from '../../http/roles.ts';
import { route } from '../../http/route.ts';
import { AccountInvitationEntity } from './account-invitation.entity.ts';
import { UserEntity, type User } from './auth.entities.ts';
import { hashPassword } from './passwords.ts';
import { newSecret, sha256Hex } from './secrets.ts';
import { patronIdOf } from './auth.service.ts';
import { MIN_PASSWORD_LENGTH } from './patron-accounts.service.ts';

// Staff accounts are managed by admins: create (with a password or a one-time link), list, change
// roles, disable. `group:<name>` roles open `restricted` holdings whose access group is <name>.
const role = z.union([z.enum(['patron', 'librarian', 'supervisor', 'admin']), z.string().regex(/^group:[a-z0-9][a-z0-9_-]{0,60}$/, 'group:<name> with a-z, 0-9, _ and -')]);
const userCreate = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._@-]{1,99}$/, 'letters, digits and . _ @ -'),
  displayName: z.string().trim().min(1).max(255).optional(),
  roles: z.array(role).min(1).max(20),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1000).optional(),
}).strict();
const userPatch = z.object({
  displayName: z.string().trim().min(1).max(255).optional(),
  roles: z.array(role).min(1).max(20).optional(),
  disabled: z.boolean().optional(),
}).strict();
const userQuery = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(50) });

const presentUser = (u: User) => ({
  id: u.id, username: u.username, displayName: u.displayName ?? null, roles: u.roles, disabled: u.disabled,
  patronId: patronIdOf(u), sso: Boolean(u.oidcSubject), createdAt: u.createdAt.toISOString(),
});

export function usersRoutes() {
  return [
    route({
      method: 'get', path: '/api/v1/users', tag: 'users', summary: 'Accounts (admins)', allow: ADMINS, query: userQuery,
      handler: async (ctx, { query }) => {
        const [rows, total] = await ctx.state.em.findAndCount(UserEntity, {}, { orderBy: { username: 'asc' }, limit: query.pageSize, offset: (query.page - 1) * query.pageSize });
        ctx.body = { total, page: query.page, pageSize: query.pageSize, items: rows.map(presentUser) };
      },
    }),
    route({
      method: 'post', path: '/api/v1/users', tag: 'users', summary: 'Create an account; without a password the answer carries a one-time link to set it', allow: ADMINS, body: userCreate,
      responses: { 201: 'The account (and activationPath when no password was given)', 409: 'username-taken' },
      handler: async (ctx, { body }) => {
        const em = ctx.state.em;
        if (await em.count(UserEntity, { username: body.username })) throw conflict('username-taken', 'Username taken', `"${body.username}" is already an account.`);
        const now = ctx.deps.clock();
        const user = em.create(UserEntity, {
          id: randomUUID(), username: body.username, displayName: body.displayName ?? null, passwordHash: body.password ? await hashPassword(body.password) : null,
          roles: [...new Set(body.roles)], disabled: false, createdAt: now, oidcSubject: null, patron: null,
        });
        let activation: { activationPath: string; token: string; expiresAt: string } | null = null;
        if (!body.password) {
          const token = newSecret('smi_');
          const expiresAt = new Date(now.getTime() + 7 * 86_400_000);
          em.create(AccountInvitationEntity, { id: randomUUID(), tokenHash: sha256Hex(token), user, createdBy: ctx.state.user!.id, createdAt: now, expiresAt, usedAt: null });
          activation = { activationPath: `/account/activate?token=${encodeURIComponent(token)}`, token, expiresAt: expiresAt.toISOString() };
        }
        await em.flush();
        ctx.status = 201;
        ctx.state.audit = { entityType: 'user', entityId: user.id, after: presentUser(user) };
        ctx.body = { ...presentUser(user), ...(activation ?? {}) };
      },
    }),
    route({
      method: 'patch', path: '/api/v1/users/:id', tag: 'users', summary: 'Change an account\'s roles, name or disabled flag', allow: ADMINS, body: userPatch,
      handler: async (ctx, { body, params }) => {
        const user = /^[0-9a-f-]{36}$/i.test(params.id!) ? await ctx.state.em.findOne(UserEntity, { id: params.id! }) : null;
        if (!user) throw notFound('User', params.id);
        const before = presentUser(user);
        if (user.id === ctx.state.user!.id && (body.disabled || (body.roles && !body.roles.includes('admin')))) {
          throw conflict('cannot-demote-self', 'You cannot disable yourself or drop your own admin role', 'Ask another admin.');
        }
        if (body.roles) user.roles = [...new Set(body.roles)];
        if (body.displayName !== undefined) user.displayName = body.displayName;
        if (body.disabled !== undefined) user.disabled = body.disabled;
        await ctx.state.em.flush();
        ctx.state.audit = { entityType: 'user', before };
        ctx.body = presentUser(user);
      },
    }),
  ];
}
