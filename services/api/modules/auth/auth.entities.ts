import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PatronEntity } from '../patrons/patron.entity.ts';

export const ROLES = ['anonymous', 'patron', 'librarian', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const UserEntity = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary(),
    username: p.string().length(100).unique(),
    displayName: p.string().length(255).nullable(),
    passwordHash: p.string().length(255).nullable().hidden(),
    roles: p.array().columnType('text[]'),
    disabled: p.boolean().default(false),
    createdAt: p.datetime(),
    /** The provider's `sub` for a person who signs in through OpenID Connect; never a username match. */
    oidcSubject: p.string().length(255).nullable().unique(),
    /** The library membership this account belongs to (a patron signing in), if any. */
    patron: () => p.oneToOne(PatronEntity).nullable().deleteRule('set null'),
  },
});
export type User = InferEntity<typeof UserEntity>;

// Only hashes of session ids and tokens are stored: a leaked database does not sign anyone in.
export const SessionEntity = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    idHash: p.string().length(64).primary(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade'),
    csrfToken: p.string().length(64),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});

export const ApiTokenEntity = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade'),
    name: p.string().length(100),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

// An OpenID Connect sign-in in progress: the PKCE verifier, state and nonce stay on the server. The
// browser holds only a random handle (cookie) whose hash keys this row; the row is used once.
export const OidcLoginEntity = defineEntity({
  name: 'OidcLogin',
  tableName: 'oidc_logins',
  properties: {
    idHash: p.string().length(64).primary(),
    state: p.string().length(128),
    nonce: p.string().length(128),
    codeVerifier: p.string().length(128),
    returnTo: p.string().length(2048),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
  },
});
