import { Migration } from '@mikro-orm/migrations';

// Search (issue 4): a second, small GIN index per vector over a fixed random eighth of the records,
// the sample slice: those whose id ends in a byte below 32 (ids are random UUIDs). A keyword query
// expected to match far more than the engine collects reads its sample from the slice, so the index
// merges and bitmaps an eighth of the postings of its common words ("the", 611,000 rows at 1M
// records, 10-30 ms a query) and the slice's count, times eight, estimates the total. The predicate
// must stay exactly as the engine writes it (postgres-search-index.ts, SAMPLE_SLICE) for the
// planner to use these indexes.
export class Migration0010SearchSampleSlice extends Migration {
  override async up(): Promise<void> {
    const slice = `get_byte(uuid_send("record_id"), 15) < 32`;
    this.addSql(`create index "search_documents_meta_slice_index" on "search_documents" using gin ("meta_tsv", "terms") where ${slice};`);
    this.addSql(`create index "search_documents_tsv_slice_index" on "search_documents" using gin ("tsv", "terms") where "tsv" is not null and ${slice};`);
    this.addSql(`create index "search_documents_tsv_signed_in_slice_index" on "search_documents" using gin ("tsv_signed_in", "terms") where "tsv_signed_in" is not null and ${slice};`);
    this.addSql(`create index "search_documents_tsv_staff_slice_index" on "search_documents" using gin ("tsv_staff", "terms") where "tsv_staff" is not null and ${slice};`);
  }
}
