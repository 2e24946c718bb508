/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    /** Set by the Koa mount (services/api/http/site-mount.ts) for every page request. */
    shelfmark: import('../../services/api/http/site-api.ts').SiteLocals;
  }
}
