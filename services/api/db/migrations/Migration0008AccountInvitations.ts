import { Migration } from '@mikro-orm/migrations';

// One-time links for patrons to set their password.
export class Migration0008AccountInvitations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "account_invitations" ("id" uuid not null, "token_hash" varchar(64) not null, "user_id" uuid not null, "created_by" varchar(64) null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "account_invitations" add constraint "account_invitations_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "account_invitations" add constraint "account_invitations_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }
}
