// Seed 002: "Circulation Status - Can be one of the following: On Loan, Overdue, on Hold, Available,
// or Out-of-Circulation." Overdue is derived from the loan's due date (isOverdue), not stored.
// `on-hold` means a hold is ready for pickup and the copy is kept for that one patron.
// `on-order`: bought but not arrived (issue 6, an accepted purchase suggestion); refused like out-of-circulation.
export const ITEM_STATUSES = ['available', 'on-loan', 'on-hold', 'out-of-circulation', 'on-order'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
