import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { PatronEntity } from '../patrons/patron.entity.ts';

// Circulation state. Copies are referenced by `item_id` without a foreign key: loan and hold history
// outlives a withdrawn copy (its id stays findable in deletion_log), and the catalogue refuses to
// withdraw a copy that is on loan or held. Patron references are set to null when a membership is
// deleted (deletion requires no loans and no balance; the money history stays whole).

export const HOLD_STATUSES = ['waiting', 'ready', 'fulfilled', 'cancelled', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];
export const ACTIVE_HOLD_STATUSES = ['waiting', 'ready'] as const satisfies readonly HoldStatus[];

export const LEDGER_KINDS = ['fine', 'no-show', 'payment', 'waiver'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Every change of the circulation policy; the newest row is in force (id = version). */
export const PolicyVersionEntity = defineEntity({
  name: 'PolicyVersion',
  tableName: 'policy_versions',
  properties: {
    id: p.integer().primary().autoincrement(),
    document: p.json<Record<string, unknown>>(),
    preset: p.string().length(20).nullable(),
    createdAt: p.datetime(),
    createdBy: p.string().length(64).nullable(),
  },
});
export type PolicyVersionRow = InferEntity<typeof PolicyVersionEntity>;

export const LoanEntity = defineEntity({
  name: 'Loan',
  tableName: 'loans',
  indexes: [
    { name: 'loans_due_at_open_index', properties: ['dueAt'], where: 'returned_at is null' },
  ],
  uniques: [
    // One open loan per copy, whatever the application does (Evergreen keeps the same index).
    { name: 'loans_open_item_unique', properties: ['itemId'], where: 'returned_at is null' },
  ],
  properties: {
    id: p.uuid().primary(),
    itemId: p.uuid().index(),
    patron: () => p.manyToOne(PatronEntity).nullable().deleteRule('set null').index(),
    /** The copy's loan category when it was lent: the due date and the fine follow it. */
    loanCategory: p.string().length(50),
    loanedAt: p.datetime(),
    dueAt: p.datetime(),
    returnedAt: p.datetime().nullable(),
    fineCents: p.integer().nullable(),
    renewalCount: p.integer().default(0),
    /** A renewal closes a loan and opens this one ("a return transaction followed by a borrow transaction"). */
    renewedFromId: p.uuid().nullable(),
    checkedOutBy: p.string().length(64).nullable(),
    returnedBy: p.string().length(64).nullable(),
    createdAt: p.datetime(),
  },
});
export type Loan = InferEntity<typeof LoanEntity>;

export const HoldEntity = defineEntity({
  name: 'Hold',
  tableName: 'holds',
  checks: [{ name: 'holds_status_check', expression: `status in ('waiting', 'ready', 'fulfilled', 'cancelled', 'expired')` }],
  indexes: [
    { name: 'holds_ready_until_index', properties: ['readyUntil'], where: `status = 'ready'` },
  ],
  uniques: [
    // Seed 002: "Only one hold may be placed on a single book copy."
    { name: 'holds_active_item_unique', properties: ['itemId'], where: `status in ('waiting', 'ready')` },
  ],
  properties: {
    id: p.uuid().primary(),
    itemId: p.uuid().index(),
    patron: () => p.manyToOne(PatronEntity).nullable().deleteRule('set null').index(),
    status: p.string().length(20),
    placedAt: p.datetime(),
    readyAt: p.datetime().nullable(),
    readyUntil: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    /** The loan that fulfilled the hold. */
    loanId: p.uuid().nullable(),
    placedBy: p.string().length(64).nullable(),
    closedBy: p.string().length(64).nullable(),
  },
});
export type Hold = InferEntity<typeof HoldEntity>;

/** Charges are positive, payments and waivers negative; a patron's balance is the sum. */
export const LedgerEntryEntity = defineEntity({
  name: 'LedgerEntry',
  tableName: 'ledger_entries',
  checks: [
    { name: 'ledger_entries_kind_check', expression: `kind in ('fine', 'no-show', 'payment', 'waiver')` },
    // A charge adds to the balance and a payment or waiver takes from it; never the other way round.
    { name: 'ledger_entries_sign_check', expression: `(kind in ('fine', 'no-show') and amount_cents > 0) or (kind in ('payment', 'waiver') and amount_cents < 0)` },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    patron: () => p.manyToOne(PatronEntity).nullable().deleteRule('set null').index(),
    kind: p.string().length(20),
    amountCents: p.integer(),
    loanId: p.uuid().nullable(),
    holdId: p.uuid().nullable(),
    method: p.string().length(30).nullable(),
    note: p.text().nullable(),
    createdAt: p.datetime(),
    createdBy: p.string().length(64).nullable(),
  },
});
export type LedgerEntry = InferEntity<typeof LedgerEntryEntity>;

/** Messages owed to a patron (hold ready for pickup); the mail issue sends them and sets sent_at. */
export const NoticeEntity = defineEntity({
  name: 'Notice',
  tableName: 'notices',
  indexes: [
    { name: 'notices_unsent_index', properties: ['createdAt'], where: 'sent_at is null' },
    { name: 'notices_pending_index', properties: ['createdAt'], where: `status = 'pending'` },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    patron: () => p.manyToOne(PatronEntity).deleteRule('cascade').index(),
    kind: p.string().length(30),
    payload: p.json<Record<string, unknown>>(),
    createdAt: p.datetime(),
    sentAt: p.datetime().nullable(),
    // Delivery (issue 6, modules/notices): pending -> queued -> sending -> sent, or unsent-no-mailer,
    // no-address, failed. The dedupe key makes a scanned notice (due soon, overdue, hold expired) unique.
    status: p.string().length(30).default('pending'),
    dedupeKey: p.string().length(120).nullable().unique(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    lockedAt: p.datetime().nullable(),
    messageId: p.string().length(255).nullable(),
  },
});
export type Notice = InferEntity<typeof NoticeEntity>;

/** Every staff override of a patron-side block: who, why, and which refusals were waived. */
export const CirculationOverrideEntity = defineEntity({
  name: 'CirculationOverride',
  tableName: 'circulation_overrides',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    action: p.string().length(20),
    codes: p.array().columnType('text[]'),
    reason: p.text(),
    patronId: p.uuid().nullable(),
    itemId: p.uuid().nullable(),
    loanId: p.uuid().nullable(),
    holdId: p.uuid().nullable(),
    staffUserId: p.string().length(64).nullable(),
    staffCategory: p.string().length(40),
    createdAt: p.datetime().index(),
  },
});
export type CirculationOverride = InferEntity<typeof CirculationOverrideEntity>;
