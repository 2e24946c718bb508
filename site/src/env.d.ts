/// <reference types="astro/client" />
import type { SiteLocals } from '../../services/api/http/site-api.ts';

declare global {
  namespace App {
    interface Locals {
      /** Set by the Koa mount (services/api/http/site-mount.ts) for every page request. */
      shelfmark: SiteLocals;
    }
  }
}

export {};
