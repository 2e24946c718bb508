import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

// Purchase suggestions (issue 6): a signed-in reader names a title the library should buy; staff
// accept it (it becomes a record with an "on order" copy) or decline it. Who suggested is kept so a
// reader can see their own suggestions; it never reaches analytics.

export const SUGGESTION_STATUSES = ['pending', 'accepted', 'declined'] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

export const PurchaseSuggestionEntity = defineEntity({
  name: 'PurchaseSuggestion',
  tableName: 'purchase_suggestions',
  indexes: [{ name: 'purchase_suggestions_status_index', properties: ['status', 'createdAt'] }],
  properties: {
    id: p.uuid().primary(),
    title: p.string().length(255),
    authors: p.array().columnType('text[]'),
    isbn: p.string().length(13).nullable(),
    publisher: p.string().length(255).nullable(),
    year: p.integer().nullable(),
    note: p.text().nullable(),
    status: p.string().length(20),
    suggestedBy: p.string().length(64).nullable(),
    createdAt: p.datetime(),
    decidedAt: p.datetime().nullable(),
    decidedBy: p.string().length(64).nullable(),
    decisionNote: p.text().nullable(),
    recordId: p.uuid().nullable(),
    itemId: p.uuid().nullable(),
  },
});
export type PurchaseSuggestion = InferEntity<typeof PurchaseSuggestionEntity>;
