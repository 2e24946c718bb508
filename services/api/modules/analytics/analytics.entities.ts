import { defineEntity, p } from '@mikro-orm/core';

// Usage analytics (issue 6). Raw events are append-only and carry no identity: a patron category,
// the ids of what was used, a session hash salted per day (the salt is deleted two days later, so
// nobody, not even us, can link a hash to a person afterwards) and a robot flag. Dashboards never
// read them: a scheduled job folds them into the daily and monthly tables below, and deletes raw
// events older than ANALYTICS_RETENTION_DAYS. Record, file and copy ids carry no foreign key, so the
// history outlives a deleted record. Migration0005Analytics creates the tables and a BRIN index on
// occurred_at (events arrive in time order, so a block range index stays tiny at 10^7 rows).

export const USAGE_EVENT_KINDS = ['view', 'download', 'stream', 'loan', 'return', 'renewal', 'hold', 'payment'] as const;
export type UsageEventKind = (typeof USAGE_EVENT_KINDS)[number];

export const UsageEventEntity = defineEntity({
  name: 'UsageEvent',
  tableName: 'usage_events',
  checks: [{ name: 'usage_events_kind_check', expression: `kind in ('view', 'download', 'stream', 'loan', 'return', 'renewal', 'hold', 'payment')` }],
  indexes: [
    // "Is this ranged request the first of that file in this session?" (stream starts, see file-request-kind.ts).
    { name: 'usage_events_file_session_index', properties: ['fileId', 'sessionHash'], where: 'file_id is not null' },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    occurredAt: p.datetime(),
    kind: p.string().length(16),
    recordId: p.uuid().nullable(),
    fileId: p.uuid().nullable(),
    itemId: p.uuid().nullable(),
    /** The patron's category (regular, librarian, ...) when a patron is involved; never who. */
    patronCategory: p.string().length(40).nullable(),
    /** HMAC of the session with a salt of the day: unique and double-click counting, not identity. */
    sessionHash: p.string().length(32).nullable(),
    /** The user agent matched a robot pattern (robots.ts); stored, never counted. */
    robot: p.boolean().default(false),
    amountCents: p.integer().nullable(),
  },
});

/** Per day and metric (and patron category for circulation): what the summary and time series read. */
export const UsageDailyEntity = defineEntity({
  name: 'UsageDaily',
  tableName: 'usage_daily',
  properties: {
    day: p.date().primary(),
    metric: p.string().length(40).primary(),
    patronCategory: p.string().length(40).primary(),
    count: p.bigint('number').default(0),
    uniqueCount: p.bigint('number').default(0),
    amountCents: p.bigint('number').default(0),
  },
});

const recordUsageColumns = {
  recordId: p.uuid(),
  /** Null: the record itself (its page views and the title-level counts); else one digital holding. */
  fileId: p.uuid().nullable(),
  views: p.integer().default(0),
  downloads: p.integer().default(0),
  streams: p.integer().default(0),
  requests: p.integer().default(0),
  uniqueViews: p.integer().default(0),
  uniqueRequests: p.integer().default(0),
  titleInvestigations: p.integer().default(0),
  titleRequests: p.integer().default(0),
  uniqueTitleInvestigations: p.integer().default(0),
  uniqueTitleRequests: p.integer().default(0),
};

/** Per day, record and file: COUNTER counts after double-click filtering, robots left out. */
export const UsageDailyRecordEntity = defineEntity({
  name: 'UsageDailyRecord',
  tableName: 'usage_daily_records',
  indexes: [
    // The most used records of a range without adding up every record (analytics.service.ts, topRecordsLoader).
    { name: 'usage_daily_records_top_index', properties: ['day', 'titleInvestigations'], where: 'file_id is null' },
    { name: 'usage_daily_records_record_index', properties: ['recordId', 'day'] },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    day: p.date().index(),
    ...recordUsageColumns,
  },
});

/** The same per calendar month (the first of the month): SUSHI reports and year-long dashboards. */
export const UsageMonthlyRecordEntity = defineEntity({
  name: 'UsageMonthlyRecord',
  tableName: 'usage_monthly_records',
  indexes: [
    { name: 'usage_monthly_records_top_index', properties: ['month', 'titleInvestigations'], where: 'file_id is null' },
    { name: 'usage_monthly_records_record_index', properties: ['recordId', 'month'] },
  ],
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    month: p.date().index(),
    ...recordUsageColumns,
  },
});

/** The secret of one day for session hashes; deleted once the day is over. */
export const UsageSaltEntity = defineEntity({
  name: 'UsageSalt',
  tableName: 'usage_salts',
  properties: {
    day: p.date().primary(),
    salt: p.string().length(64),
  },
});

/** Watermarks of the aggregation job (the highest event id already folded in, per source). */
export const UsageAggregationStateEntity = defineEntity({
  name: 'UsageAggregationState',
  tableName: 'usage_aggregation_state',
  properties: {
    source: p.string().length(40).primary(),
    lastId: p.bigint('number').default(0),
    updatedAt: p.datetime(),
  },
});
