import { Migration } from '@mikro-orm/migrations';

// The foundation schema: catalogue, files, accounts and the job queue. Migrations are written by
// hand (generated once from the entities, then reviewed) so PGlite and PostgreSQL run the same SQL;
// tests/integration/schema.test.ts fails when an entity drifts from them.
export class Migration0001Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "blob_intents" ("id" serial primary key, "storage_key" varchar(255) not null, "created_at" timestamptz not null);`);
    this.addSql(`create table "deletion_log" ("id" serial primary key, "entity_type" varchar(30) not null, "entity_id" varchar(64) not null, "snapshot" jsonb not null, "reason" text null, "deleted_by" varchar(64) null, "deleted_at" timestamptz not null);`);
    this.addSql(`create table "jobs" ("id" bigserial primary key, "kind" varchar(50) not null, "payload" jsonb not null, "status" varchar(20) not null, "attempts" int not null default 0, "max_attempts" int not null default 3, "run_at" timestamptz not null, "locked_at" timestamptz null, "locked_by" varchar(100) null, "last_error" text null, "created_at" timestamptz not null, "finished_at" timestamptz null);`);
    this.addSql(`create table "records" ("id" uuid not null, "title" varchar(255) not null, "authors" text[] not null, "publisher" varchar(255) null, "year" int null, "isbn" varchar(13) null, "edition" varchar(100) null, "version" varchar(100) null, "media_type" varchar(50) not null, "language" varchar(35) null, "description" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "records_isbn_index" on "records" ("isbn");`);
    this.addSql(`create table "items" ("id" uuid not null, "record_id" uuid not null, "call_number" varchar(10) not null, "accession_number" varchar(50) not null, "loan_category" varchar(50) not null, "location" varchar(100) not null, "floor" varchar(20) null, "media_type" varchar(50) not null, "replacement_cost_cents" int not null, "status" varchar(30) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "items" add constraint "items_call_number_unique" unique ("call_number");`);
    this.addSql(`alter table "items" add constraint "items_accession_number_unique" unique ("accession_number");`);
    this.addSql(`create table "files" ("id" uuid not null, "record_id" uuid not null, "original_name" varchar(255) not null, "media_type" varchar(100) not null, "size" bigint not null, "sha256" varchar(64) not null, "storage_key" varchar(255) not null, "status" varchar(20) not null, "reason" text null, "access" varchar(20) not null, "access_group" varchar(100) null, "embargo_until" timestamptz null, "lendable_copies" int null, "thumbnail_key" varchar(255) null, "extracted_text" text null, "page_count" int null, "duration_seconds" double precision null, "technical" jsonb null, "created_at" timestamptz not null, "processed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "files_sha256_index" on "files" ("sha256");`);
    this.addSql(`create table "subjects" ("id" serial primary key, "name" varchar(255) not null);`);
    this.addSql(`alter table "subjects" add constraint "subjects_name_unique" unique ("name");`);
    this.addSql(`create table "record_subjects" ("record_id" uuid not null, "subject_id" int not null, primary key ("record_id", "subject_id"));`);
    this.addSql(`create table "tags" ("id" serial primary key, "name" varchar(100) not null);`);
    this.addSql(`alter table "tags" add constraint "tags_name_unique" unique ("name");`);
    this.addSql(`create table "record_tags" ("record_id" uuid not null, "tag_id" int not null, primary key ("record_id", "tag_id"));`);
    this.addSql(`create table "users" ("id" uuid not null, "username" varchar(100) not null, "display_name" varchar(255) null, "password_hash" varchar(255) null, "roles" text[] not null, "disabled" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_username_unique" unique ("username");`);
    this.addSql(`create table "sessions" ("id_hash" varchar(64) not null, "user_id" uuid not null, "csrf_token" varchar(64) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id_hash"));`);
    this.addSql(`create table "api_tokens" ("id" uuid not null, "user_id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "vocabulary_terms" ("id" serial primary key, "vocabulary" varchar(50) not null, "value" varchar(100) not null, "label" varchar(255) not null, "position" int not null default 0);`);
    this.addSql(`alter table "vocabulary_terms" add constraint "vocabulary_terms_vocabulary_value_unique" unique ("vocabulary", "value");`);
    this.addSql(`alter table "items" add constraint "items_record_id_foreign" foreign key ("record_id") references "records" ("id") on delete restrict;`);
    this.addSql(`alter table "files" add constraint "files_record_id_foreign" foreign key ("record_id") references "records" ("id") on delete cascade;`);
    this.addSql(`alter table "record_subjects" add constraint "record_subjects_record_id_foreign" foreign key ("record_id") references "records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "record_subjects" add constraint "record_subjects_subject_id_foreign" foreign key ("subject_id") references "subjects" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "record_tags" add constraint "record_tags_record_id_foreign" foreign key ("record_id") references "records" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "record_tags" add constraint "record_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
    this.addSql(`create index "items_record_id_index" on "items" ("record_id");`);
    this.addSql(`create index "files_record_id_index" on "files" ("record_id");`);
    this.addSql(`create index "sessions_user_id_index" on "sessions" ("user_id");`);
    this.addSql(`create index "jobs_claim_index" on "jobs" ("status", "run_at") where "status" = 'queued';`);
    this.addSql(`create unique index "blob_intents_storage_key_index" on "blob_intents" ("storage_key");`);
    this.addSql(`create index "deletion_log_entity_index" on "deletion_log" ("entity_type", "deleted_at");`);
  }
}
