import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestService } from '../support/test-service.ts';

// What every e2e file does around the browser: seed data through the API as the administrator, and
// run a test in a fresh browser context (its own cookies) that is closed afterwards.

/** POST as the administrator; anything but 200/201 fails the test setup loudly. */
export async function adminPosted<T = { id: string }>(svc: TestService, p: string, json: unknown): Promise<T> {
  const res = await svc.api('POST', p, { token: svc.adminToken, json });
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** Uploads a file to a record as the administrator; returns the file id. */
export async function adminUploaded(svc: TestService, recordId: string, bytes: Buffer, name: string, access = 'public'): Promise<string> {
  const form = new FormData();
  form.set('access', access);
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  const res = await svc.api('POST', `/api/v1/records/${recordId}/files`, { token: svc.adminToken, body: form });
  if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()).id;
}

export interface ContextOptions { javaScriptEnabled?: boolean; bypassCSP?: boolean; width?: number }

/** Runs `fn` on a new page in a new browser context (1280 px wide unless told), then closes the context. */
export async function inNewContext<T>(browser: Browser, opts: ContextOptions, fn: (page: Page, ctx: BrowserContext) => Promise<T>): Promise<T> {
  const ctx = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: 900 }, javaScriptEnabled: opts.javaScriptEnabled ?? true, bypassCSP: opts.bypassCSP ?? false });
  try {
    return await fn(await ctx.newPage(), ctx);
  } finally {
    await ctx.close();
  }
}
