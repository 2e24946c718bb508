import { Migration } from '@mikro-orm/migrations';

// Issue 6: usage events and their aggregates, notice delivery, online payments and purchase
// suggestions. Generated from the entities, then reviewed. Usage events are append-only and
// time-ordered, so occurred_at gets a BRIN index (a few pages at 10^7 rows, next to nothing per
// insert) rather than a B-tree: the aggregation job and the retention delete read day ranges.
export class Migration0005Analytics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "usage_events" ("id" bigserial primary key, "occurred_at" timestamptz not null, "kind" varchar(16) not null, "record_id" uuid null, "file_id" uuid null, "item_id" uuid null, "patron_category" varchar(40) null, "session_hash" varchar(32) null, "robot" boolean not null default false, "amount_cents" int null);`);
    this.addSql(`alter table "usage_events" add constraint "usage_events_kind_check" check (kind in ('view', 'download', 'stream', 'loan', 'return', 'renewal', 'hold', 'payment'));`);
    this.addSql(`create index "usage_events_occurred_at_brin" on "usage_events" using brin ("occurred_at");`);
    this.addSql(`create index "usage_events_file_session_index" on "usage_events" ("file_id", "session_hash") where file_id is not null;`);

    this.addSql(`create table "usage_daily" ("day" date not null, "metric" varchar(40) not null, "patron_category" varchar(40) not null, "count" bigint not null default '0', "unique_count" bigint not null default '0', "amount_cents" bigint not null default '0', primary key ("day", "metric", "patron_category"));`);

    this.addSql(`create table "usage_daily_records" ("id" bigserial primary key, "day" date not null, "record_id" uuid not null, "file_id" uuid null, "views" int not null default 0, "downloads" int not null default 0, "streams" int not null default 0, "requests" int not null default 0, "unique_views" int not null default 0, "unique_requests" int not null default 0, "title_investigations" int not null default 0, "title_requests" int not null default 0, "unique_title_investigations" int not null default 0, "unique_title_requests" int not null default 0);`);
    this.addSql(`create index "usage_daily_records_day_index" on "usage_daily_records" ("day");`);
    this.addSql(`create index "usage_daily_records_top_index" on "usage_daily_records" ("day", "title_investigations") where file_id is null;`);
    this.addSql(`create index "usage_daily_records_record_index" on "usage_daily_records" ("record_id", "day");`);

    this.addSql(`create table "usage_monthly_records" ("id" bigserial primary key, "month" date not null, "record_id" uuid not null, "file_id" uuid null, "views" int not null default 0, "downloads" int not null default 0, "streams" int not null default 0, "requests" int not null default 0, "unique_views" int not null default 0, "unique_requests" int not null default 0, "title_investigations" int not null default 0, "title_requests" int not null default 0, "unique_title_investigations" int not null default 0, "unique_title_requests" int not null default 0);`);
    this.addSql(`create index "usage_monthly_records_month_index" on "usage_monthly_records" ("month");`);
    this.addSql(`create index "usage_monthly_records_top_index" on "usage_monthly_records" ("month", "title_investigations") where file_id is null;`);
    this.addSql(`create index "usage_monthly_records_record_index" on "usage_monthly_records" ("record_id", "month");`);

    this.addSql(`create table "usage_salts" ("day" date not null, "salt" varchar(64) not null, primary key ("day"));`);
    this.addSql(`create table "usage_aggregation_state" ("source" varchar(40) not null, "last_id" bigint not null default '0', "updated_at" timestamptz not null, primary key ("source"));`);

    // Notice delivery: rows written before this migration (hold-ready) start as pending.
    this.addSql(`alter table "notices" add "status" varchar(30) not null default 'pending', add "dedupe_key" varchar(120) null, add "attempts" int not null default 0, add "last_error" text null, add "locked_at" timestamptz null, add "message_id" varchar(255) null;`);
    this.addSql(`alter table "notices" add constraint "notices_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "notices_pending_index" on "notices" ("created_at") where status = 'pending';`);

    this.addSql(`create table "payment_checkouts" ("id" uuid not null, "patron_id" uuid null, "provider" varchar(20) not null, "provider_session_id" varchar(255) null, "amount_cents" int not null, "currency" varchar(3) not null, "status" varchar(20) not null, "note" text null, "ledger_entry_id" bigint null, "created_at" timestamptz not null, "created_by" varchar(64) null, "completed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "payment_checkouts_patron_id_index" on "payment_checkouts" ("patron_id");`);
    this.addSql(`alter table "payment_checkouts" add constraint "payment_checkouts_provider_session_id_unique" unique ("provider_session_id");`);
    this.addSql(`alter table "payment_checkouts" add constraint "payment_checkouts_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete set null;`);
    this.addSql(`create table "payment_webhook_events" ("event_id" varchar(255) not null, "provider" varchar(20) not null, "type" varchar(100) not null, "outcome" varchar(40) not null, "received_at" timestamptz not null, primary key ("event_id"));`);

    this.addSql(`create table "purchase_suggestions" ("id" uuid not null, "title" varchar(255) not null, "authors" text[] not null, "isbn" varchar(13) null, "publisher" varchar(255) null, "year" int null, "note" text null, "status" varchar(20) not null, "suggested_by" varchar(64) null, "created_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" varchar(64) null, "decision_note" text null, "record_id" uuid null, "item_id" uuid null, primary key ("id"));`);
    this.addSql(`create index "purchase_suggestions_status_index" on "purchase_suggestions" ("status", "created_at");`);
  }
}
