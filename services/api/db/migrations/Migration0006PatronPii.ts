import { Migration } from '@mikro-orm/migrations';

// Patron phone, email and address become AES-256-GCM ciphertexts (text) with blind-index hashes in
// contact_index. Values written before this migration are plain; the service re-encrypts them at
// start (patronContactRewriter), so no plain value outlives the first start after upgrading.
export class Migration0006PatronPii extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "patrons" alter column "phone" type text;`);
    this.addSql(`alter table "patrons" alter column "email" type text;`);
    this.addSql(`alter table "patrons" add column "contact_index" text[] not null default '{}';`);
    this.addSql(`create index "patrons_contact_index_gin" on "patrons" using gin ("contact_index");`);
  }
}
