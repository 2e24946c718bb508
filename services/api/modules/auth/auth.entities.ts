import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

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
