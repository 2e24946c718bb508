import { Migration } from '@mikro-orm/migrations';

// The audit log of staff actions: append-only, readable by supervisors.
export class Migration0007Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" varchar(64) null, "actor_name" varchar(100) null, "action" varchar(60) not null, "entity_type" varchar(40) not null, "entity_id" varchar(64) null, "before" jsonb null, "after" jsonb null, "reason" text null, "request_id" varchar(64) null);`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_entity_index" on "audit_log" ("entity_type", "entity_id");`);
  }
}
