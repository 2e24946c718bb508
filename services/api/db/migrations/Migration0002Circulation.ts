import { Migration } from '@mikro-orm/migrations';

// Circulation: patrons, the versioned policy, loans, holds, the money ledger, notices and the
// override log. Generated from the entities, then reviewed. The database itself enforces what
// must hold under concurrency: one open loan per copy and one active hold per copy (partial
// unique indexes), and membership ids that are never handed out twice (a sequence).
export class Migration0002Circulation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create sequence "patron_membership_seq" as bigint start with 1 increment by 1 no cycle;`);
    this.addSql(`create table "patrons" ("id" uuid not null, "membership_id" varchar(20) not null, "name" varchar(255) not null, "faculty" varchar(255) null, "phone" varchar(50) null, "email" varchar(255) null, "address" text null, "category" varchar(40) not null, "restricted" boolean not null default false, "max_loans" int null, "max_holds" int null, "fine_limit_cents" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "patrons" add constraint "patrons_membership_id_unique" unique ("membership_id");`);

    this.addSql(`create table "policy_versions" ("id" serial primary key, "document" jsonb not null, "preset" varchar(20) null, "created_at" timestamptz not null, "created_by" varchar(64) null);`);

    this.addSql(`create table "loans" ("id" uuid not null, "item_id" uuid not null, "patron_id" uuid null, "loan_category" varchar(50) not null, "loaned_at" timestamptz not null, "due_at" timestamptz not null, "returned_at" timestamptz null, "fine_cents" int null, "renewal_count" int not null default 0, "renewed_from_id" uuid null, "checked_out_by" varchar(64) null, "returned_by" varchar(64) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "loans_item_id_index" on "loans" ("item_id");`);
    this.addSql(`create index "loans_patron_id_index" on "loans" ("patron_id");`);
    this.addSql(`create index "loans_due_at_open_index" on "loans" ("due_at") where returned_at is null;`);
    this.addSql(`create unique index "loans_open_item_unique" on "loans" ("item_id") where returned_at is null;`);

    this.addSql(`create table "holds" ("id" uuid not null, "item_id" uuid not null, "patron_id" uuid null, "status" varchar(20) not null, "placed_at" timestamptz not null, "ready_at" timestamptz null, "ready_until" timestamptz null, "closed_at" timestamptz null, "loan_id" uuid null, "placed_by" varchar(64) null, "closed_by" varchar(64) null, primary key ("id"));`);
    this.addSql(`create index "holds_item_id_index" on "holds" ("item_id");`);
    this.addSql(`create index "holds_patron_id_index" on "holds" ("patron_id");`);
    this.addSql(`create index "holds_ready_until_index" on "holds" ("ready_until") where status = 'ready';`);
    this.addSql(`create unique index "holds_active_item_unique" on "holds" ("item_id") where status in ('waiting', 'ready');`);
    this.addSql(`alter table "holds" add constraint "holds_status_check" check (status in ('waiting', 'ready', 'fulfilled', 'cancelled', 'expired'));`);

    this.addSql(`create table "ledger_entries" ("id" bigserial primary key, "patron_id" uuid null, "kind" varchar(20) not null, "amount_cents" int not null, "loan_id" uuid null, "hold_id" uuid null, "method" varchar(30) null, "note" text null, "created_at" timestamptz not null, "created_by" varchar(64) null);`);
    this.addSql(`create index "ledger_entries_patron_id_index" on "ledger_entries" ("patron_id");`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_kind_check" check (kind in ('fine', 'no-show', 'payment', 'waiver'));`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_sign_check" check ((kind in ('fine', 'no-show') and amount_cents > 0) or (kind in ('payment', 'waiver') and amount_cents < 0));`);

    this.addSql(`create table "notices" ("id" bigserial primary key, "patron_id" uuid not null, "kind" varchar(30) not null, "payload" jsonb not null, "created_at" timestamptz not null, "sent_at" timestamptz null);`);
    this.addSql(`create index "notices_patron_id_index" on "notices" ("patron_id");`);
    this.addSql(`create index "notices_unsent_index" on "notices" ("created_at") where sent_at is null;`);

    this.addSql(`create table "circulation_overrides" ("id" bigserial primary key, "action" varchar(20) not null, "codes" text[] not null, "reason" text not null, "patron_id" uuid null, "item_id" uuid null, "loan_id" uuid null, "hold_id" uuid null, "staff_user_id" varchar(64) null, "staff_category" varchar(40) not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "circulation_overrides_created_at_index" on "circulation_overrides" ("created_at");`);

    this.addSql(`alter table "loans" add constraint "loans_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete set null;`);
    this.addSql(`alter table "holds" add constraint "holds_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete set null;`);
    this.addSql(`alter table "ledger_entries" add constraint "ledger_entries_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete set null;`);
    this.addSql(`alter table "notices" add constraint "notices_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete cascade;`);
  }
}
