import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// A library member. Phone, email and address hold AES-256-GCM ciphertexts and `contactIndex` their
// blind-index hashes; only patron-contact.ts reads or writes them. The membership id comes from a database sequence
// (patron_membership_seq), so an id is never handed out twice, even after a deletion.
export const PatronEntity = defineEntity({
  name: 'Patron',
  tableName: 'patrons',
  properties: {
    id: p.uuid().primary(),
    membershipId: p.string().length(20).unique(),
    name: p.string().length(255),
    faculty: p.string().length(255).nullable(),
    phone: p.text().nullable(),
    email: p.text().nullable(),
    address: p.text().nullable(),
    contactIndex: p.array().columnType('text[]').default([]),
    category: p.string().length(40),
    /** Seed 002: "Restricted - Flag on whether the customer is restricted from borrowing." */
    restricted: p.boolean().default(false),
    /** Seed 002 "Max Books" per customer; null uses the policy's category value. Fixed once created. */
    maxLoans: p.integer().nullable(),
    maxHolds: p.integer().nullable(),
    /** Seed 002 "Max Fine" per customer; null uses the policy's limit. Fixed once created. */
    fineLimitCents: p.integer().nullable(),
    createdAt: p.datetime(),
    updatedAt: p.datetime(),
  },
});
export type Patron = InferEntity<typeof PatronEntity>;
