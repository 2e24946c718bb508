import { Migration } from '@mikro-orm/migrations';

// Search (issue 4): the outbox and its triggers, the Postgres engine's document table with GIN
// indexes, the suggestion vocabulary (pg_trgm) and the search-event log for analytics.
//
// The outbox is filled by triggers rather than by each service, so every writer of the catalogue is
// covered in its own transaction: record and item services, circulation's status changes, file
// derivatives, tag and subject renames, imports and hand-written SQL. `schemaGenerator.ignoreTriggers`
// and `ignoreRoutines` (db/orm.ts) keep the drift test from treating them as strays.
export class Migration0003Search extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);

    this.addSql(`create table "search_outbox" ("id" bigserial primary key, "record_id" uuid not null, "source" varchar(30) not null, "created_at" timestamptz not null default now(), "available_at" timestamptz null, "processed_at" timestamptz null);`);
    this.addSql(`create index "search_outbox_pending_index" on "search_outbox" ("id") where "processed_at" is null;`);
    this.addSql(`create index "search_outbox_processed_index" on "search_outbox" ("processed_at") where "processed_at" is not null;`);

    this.addSql(`create table "search_documents" ("record_id" uuid not null, "title" varchar(255) not null, "title_sort" text collate "C" not null, "authors" text[] not null, "publisher" varchar(255) null, "year" int null, "isbn" varchar(13) null, "media_type" varchar(50) not null, "call_number" varchar(10) null, "accession_number" varchar(50) null, "copies" int not null, "available_copies" int not null, "availability" varchar(20) not null, "record_created_at" timestamptz not null, "audience" smallint not null, "tsv" tsvector null, "tsv_signed_in" tsvector null, "tsv_staff" tsvector null, "meta_tsv" tsvector not null, "terms" text[] not null, "facets" text[] not null, "indexed_at" timestamptz not null, primary key ("record_id"));`);
    this.addSql(`create index "search_documents_tsv_index" on "search_documents" using gin ("tsv") where "tsv" is not null;`);
    this.addSql(`create index "search_documents_tsv_signed_in_index" on "search_documents" using gin ("tsv_signed_in") where "tsv_signed_in" is not null;`);
    this.addSql(`create index "search_documents_tsv_staff_index" on "search_documents" using gin ("tsv_staff") where "tsv_staff" is not null;`);
    this.addSql(`create index "search_documents_meta_index" on "search_documents" using gin ("meta_tsv");`);
    this.addSql(`create index "search_documents_terms_index" on "search_documents" using gin ("terms");`);
    this.addSql(`create index "search_documents_title_sort_index" on "search_documents" ("title_sort", "record_id");`);
    this.addSql(`create index "search_documents_year_index" on "search_documents" ("year", "record_id");`);
    this.addSql(`create index "search_documents_added_index" on "search_documents" ("record_created_at", "record_id");`);

    // Bumped after every committed index change, so caches of search answers know when they are stale.
    this.addSql(`create sequence "search_generation_seq" as bigint start with 1 increment by 1 no cycle;`);

    // Byte order ("C"), so the primary key's btree answers "words starting with ..." as ranges.
    this.addSql(`create table "search_terms" ("term" varchar(60) collate "C" not null, primary key ("term"));`);

    this.addSql(`create table "search_events" ("id" bigserial primary key, "occurred_at" timestamptz not null, "query" varchar(500) null, "filters" jsonb not null, "sort" varchar(20) not null, "result_count" int not null, "total_relation" varchar(3) not null, "no_results" boolean not null, "took_ms" int not null, "engine" varchar(20) not null);`);
    this.addSql(`create index "search_events_occurred_at_index" on "search_events" ("occurred_at");`);

    // A change to the record itself.
    this.addSql(`create function "search_outbox_record"() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    insert into search_outbox (record_id, source) values (old.id, tg_table_name);
  else
    insert into search_outbox (record_id, source) values (new.id, tg_table_name);
  end if;
  return null;
end $$;`);
    // A change to a row that belongs to a record (copies, files, subject and tag links).
    this.addSql(`create function "search_outbox_child"() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into search_outbox (record_id, source) values (new.record_id, tg_table_name);
  elsif tg_op = 'DELETE' then
    insert into search_outbox (record_id, source) values (old.record_id, tg_table_name);
  else
    insert into search_outbox (record_id, source) values (old.record_id, tg_table_name);
    if new.record_id is distinct from old.record_id then
      insert into search_outbox (record_id, source) values (new.record_id, tg_table_name);
    end if;
  end if;
  return null;
end $$;`);
    // A renamed subject or tag changes every record that carries it.
    this.addSql(`create function "search_outbox_vocabulary"() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'subjects' then
    insert into search_outbox (record_id, source) select rs.record_id, 'subjects' from record_subjects rs where rs.subject_id = new.id;
  else
    insert into search_outbox (record_id, source) select rt.record_id, 'tags' from record_tags rt where rt.tag_id = new.id;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "search_outbox_records" after insert or update or delete on "records" for each row execute function search_outbox_record();`);
    this.addSql(`create trigger "search_outbox_items_change" after insert or delete on "items" for each row execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_items_update" after update on "items" for each row
      when (old.status is distinct from new.status or old.call_number is distinct from new.call_number
         or old.accession_number is distinct from new.accession_number or old.record_id is distinct from new.record_id)
      execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_files_change" after insert or delete on "files" for each row execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_files_update" after update on "files" for each row
      when (old.extracted_text is distinct from new.extracted_text or old.access is distinct from new.access
         or old.embargo_until is distinct from new.embargo_until or old.access_group is distinct from new.access_group
         or old.record_id is distinct from new.record_id)
      execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_record_subjects" after insert or update or delete on "record_subjects" for each row execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_record_tags" after insert or update or delete on "record_tags" for each row execute function search_outbox_child();`);
    this.addSql(`create trigger "search_outbox_subjects" after update of "name" on "subjects" for each row when (old.name is distinct from new.name) execute function search_outbox_vocabulary();`);
    this.addSql(`create trigger "search_outbox_tags" after update of "name" on "tags" for each row when (old.name is distinct from new.name) execute function search_outbox_vocabulary();`);

    // A catalogue that predates search gets indexed by the indexer's first drains.
    this.addSql(`insert into "search_outbox" ("record_id", "source") select "id", 'migration' from "records";`);
  }
}
