import { Migration } from '@mikro-orm/migrations';

// Search (issue 4): words and filter tokens in one GIN index per vector. "A rare word AND a common
// filter" (or the reverse) is then one index scan that steps through the common posting list with
// the rare one, where two indexes made Postgres build a bitmap of every row each matched and
// intersect them (a subject held by 30 % of a million records: 100-130 ms; the decade 1990-1999:
// 46-105 ms). Years and decades become filter tokens (yr=, dc=) for the same reason, so every
// record is queued to be indexed again; search answers from the old rows until then.
export class Migration0009SearchCombinedIndexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "search_documents_meta_terms_index" on "search_documents" using gin ("meta_tsv", "terms");`);
    this.addSql(`create index "search_documents_tsv_terms_index" on "search_documents" using gin ("tsv", "terms") where "tsv" is not null;`);
    this.addSql(`create index "search_documents_tsv_signed_in_terms_index" on "search_documents" using gin ("tsv_signed_in", "terms") where "tsv_signed_in" is not null;`);
    this.addSql(`create index "search_documents_tsv_staff_terms_index" on "search_documents" using gin ("tsv_staff", "terms") where "tsv_staff" is not null;`);
    this.addSql(`drop index "search_documents_meta_index";`);
    this.addSql(`drop index "search_documents_terms_index";`);
    this.addSql(`drop index "search_documents_tsv_index";`);
    this.addSql(`drop index "search_documents_tsv_signed_in_index";`);
    this.addSql(`drop index "search_documents_tsv_staff_index";`);
    this.addSql(`insert into "search_outbox" ("record_id", "source") select "id", 'year-tokens' from "records";`);
  }
}
