import { Migration } from '@mikro-orm/migrations';

// OpenID Connect single sign-on: a local user is linked to the provider's `sub` (never matched by
// username, so a provider account named "admin" cannot take over the local admin), a user may belong
// to a patron record (one account per membership), and sign-ins in progress keep their PKCE
// verifier, state and nonce on the server. Generated from the entities, then reviewed.
export class Migration0004Oidc extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add "oidc_subject" varchar(255) null, add "patron_id" uuid null;`);
    this.addSql(`alter table "users" add constraint "users_oidc_subject_unique" unique ("oidc_subject");`);
    this.addSql(`alter table "users" add constraint "users_patron_id_unique" unique ("patron_id");`);
    this.addSql(`alter table "users" add constraint "users_patron_id_foreign" foreign key ("patron_id") references "patrons" ("id") on delete set null;`);
    this.addSql(`create table "oidc_logins" ("id_hash" varchar(64) not null, "state" varchar(128) not null, "nonce" varchar(128) not null, "code_verifier" varchar(128) not null, "return_to" varchar(2048) not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, primary key ("id_hash"));`);
  }
}
