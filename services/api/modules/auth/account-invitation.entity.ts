import { defineEntity, p } from '@mikro-orm/core';
import { UserEntity } from './auth.entities.ts';

// A one-time link with which a patron sets the password of their account (issue 5, point 9). Only
// the token's hash is stored; it works once and expires.
export const AccountInvitationEntity = defineEntity({
  name: 'AccountInvitation',
  tableName: 'account_invitations',
  properties: {
    id: p.uuid().primary(),
    tokenHash: p.string().length(64).unique(),
    user: () => p.manyToOne(UserEntity).deleteRule('cascade'),
    createdBy: p.string().length(64).nullable(),
    createdAt: p.datetime(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
