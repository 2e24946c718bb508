import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturesDir, startTestService, type TestService } from '../support/test-service.ts';
import { elfHeader, minimalPdf } from '../../services/api/modules/files/test-inputs.ts';
import { workerFor } from '../../services/api/service.ts';
import { usageAggregator } from '../../services/api/modules/analytics/usage-aggregator.ts';
import { adminPosted, inNewContext, type ContextOptions } from './seed.ts';
import { chromiumPresent, launchChromium, screenshot, seriousAxeViolations, warnIfNoChromium } from './browser.ts';

// The staff tools of the site in Debian Chromium: uploads (several files, progress, processing
// state, thumbnail, refusals; and without JavaScript), reports (table, CSV, print) and the usage
// dashboard (charts with data tables), with the refusals a reader gets.

warnIfNoChromium();

const PASSWORD = 'staff-tools-password';
// Real files when the shared corpus is here (read in place); hand-made equivalents otherwise.
const PDF_FIXTURE = path.join(fixturesDir, 'pdf/crazyones.pdf');
const BAD_FIXTURE = path.join(fixturesDir, 'bad/elf.elf');
if (!existsSync(PDF_FIXTURE)) console.warn(`staff-tools: ${PDF_FIXTURE} is absent; uploading a hand-made PDF instead`);
const pdf = existsSync(PDF_FIXTURE) ? { name: 'crazyones.pdf', buffer: readFileSync(PDF_FIXTURE) } : { name: 'crazyones.pdf', buffer: minimalPdf(['The crazy ones']) };
const bad = existsSync(BAD_FIXTURE) ? { name: 'elf.elf', buffer: readFileSync(BAD_FIXTURE) } : { name: 'elf.elf', buffer: elfHeader() };

let svc: TestService;
let browser: Browser;
const ids = { record: '', other: '', patron: '', item: '' };

const created = (p: string, json: unknown) => adminPosted(svc, p, json);

beforeAll(async () => {
  if (!chromiumPresent) return;
  [svc, browser] = await Promise.all([startTestService({}, { clock: () => new Date() }), launchChromium()]);
  await created('/api/v1/users', { username: 'libby', roles: ['librarian'], password: PASSWORD });
  await created('/api/v1/users', { username: 'reader', roles: ['patron'], password: PASSWORD });
  ids.record = (await created('/api/v1/records', {
    title: 'Think Different: Advertising Copy', authors: ['Siltanen, Rob'], publisher: 'Apple', year: 1997, subjects: ['Advertising'], mediaType: 'Book', tags: ['marketing'],
  })).id;
  ids.other = (await created('/api/v1/records', { title: 'Marsh Birds of the Fens', authors: ['Reed, Warbler'], year: 2005, subjects: ['Birdsong'], mediaType: 'Book' })).id;
  ids.item = (await created(`/api/v1/records/${ids.other}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '1', replacementCostCents: 1800 })).id;
  await created(`/api/v1/records/${ids.record}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '2', replacementCostCents: 2500 });
  ids.patron = (await created('/api/v1/patrons', { name: 'Tan, Jia Yu', faculty: 'Computing', phone: '91234567', email: 'jiayu@example.org', address: '1 Fen Road', category: 'regular' })).id;
  // Usage to chart: a loan and its return, and record views from a browser (robots are not counted;
  // the two views of one record by one reader within 30 s are one, as COUNTER counts them).
  const loan = await created('/api/v1/loans', { itemId: ids.item, patronId: ids.patron });
  const ret = await svc.api('POST', `/api/v1/loans/${loan.id}/return`, { token: svc.adminToken, json: {} });
  expect(ret.status).toBe(200);
  const ua = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
  for (const id of [ids.record, ids.record, ids.other]) await svc.api('GET', `/api/v1/records/${id}`, { headers: { 'user-agent': ua } });
  await svc.api('GET', '/api/v1/records?q=zzzzqqq', { headers: { 'user-agent': ua } });
  await usageAggregator(svc.deps);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await svc?.close();
});

const withPage = <T>(opts: ContextOptions, fn: (page: Page, ctx: BrowserContext) => Promise<T>) => inNewContext(browser, opts, fn);

async function signIn(page: Page, username: string, password = PASSWORD, returnTo = '/'): Promise<void> {
  await page.goto(`${svc.url}/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

function cspReports(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text()); });
  return seen;
}

/** axe and screenshots at 390 and 1280 px of a page as the given user sees it. */
async function audit(username: string, url: string, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await withPage({ bypassCSP: true, width }, async (page) => {
      await signIn(page, username === 'admin' ? 'admin' : username, username === 'admin' ? 'test-admin-password' : PASSWORD, url);
      await page.goto(`${svc.url}${url}`);
      expect(await seriousAxeViolations(page), `${name} at ${width}px`).toEqual([]);
      const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
      expect(scrollWidth, `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(width);
      await screenshot(page, `staff-${name}-${width}`);
    });
  }
}

describe.skipIf(!chromiumPresent)('staff tools', () => {
  it('a librarian uploads several files with progress, sees them processed (thumbnail) and the refusal of an unsupported one', async () => {
    await withPage({}, async (page) => {
      const csp = cspReports(page);
      await signIn(page, 'libby', PASSWORD, '/staff/uploads');
      expect(new URL(page.url()).pathname).toBe('/staff/uploads');
      await page.getByLabel('Title, author, ISBN or call number').fill('Think Different');
      await page.getByRole('button', { name: 'Find' }).click();
      await page.waitForURL(/q=Think/);
      await page.getByRole('link', { name: /Upload to this record.*Think Different/ }).click();
      await page.waitForURL(`**/staff/uploads?record=${ids.record}`);

      const png = await sharp({ create: { width: 300, height: 400, channels: 3, background: { r: 30, g: 80, b: 120 } } }).png().toBuffer();
      await page.locator('#upload-file').setInputFiles([
        { name: pdf.name, mimeType: 'application/pdf', buffer: pdf.buffer },
        { name: 'poster.png', mimeType: 'image/png', buffer: png },
        { name: bad.name, mimeType: 'application/octet-stream', buffer: bad.buffer },
      ]);
      const items = page.locator('.upload-item');
      await expect.poll(() => items.count()).toBe(3);
      // Per-file access and tags.
      await page.locator('#upload-item-2-access').selectOption('signed-in');
      await page.locator('#upload-item-1-tags').fill('advertising copy, 1997');
      await page.getByRole('button', { name: 'Upload 3 files' }).click();

      const first = items.nth(0);
      await expect.poll(() => first.locator('progress').getAttribute('value'), { timeout: 20_000 }).toBe('100');
      expect(await first.locator('.upload-pct').innerText()).toBe('100%');
      expect(await first.locator('progress').getAttribute('aria-label')).toBe(`Upload of ${pdf.name}`);
      await expect.poll(() => items.nth(2).locator('.upload-item-status').innerText(), { timeout: 20_000 }).toContain('is not a type the library keeps');
      await expect.poll(() => first.locator('.upload-item-status').innerText()).toContain('Stored');
      await expect.poll(() => items.nth(1).locator('.upload-item-status').innerText()).toContain('Stored');

      // The test service runs no background worker: process the queue now; the page polls the file.
      await workerFor(svc.deps).drain();
      await expect.poll(() => first.locator('.upload-item-status').innerText(), { timeout: 20_000 }).toContain('Ready');
      await expect.poll(() => items.nth(1).locator('.upload-item-status').innerText(), { timeout: 20_000 }).toContain('Ready');
      const thumb = items.nth(1).locator('img.upload-thumb');
      expect(await thumb.getAttribute('alt')).toBe('Thumbnail of poster.png');
      await expect.poll(() => thumb.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
      // The PDF's thumbnail is its first page, drawn by pdf.js on the server.
      const pdfThumb = first.locator('img.upload-thumb');
      expect(await pdfThumb.getAttribute('alt')).toBe(`Thumbnail of ${pdf.name}`);
      await expect.poll(() => pdfThumb.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
      expect(await page.locator('.upload-summary, [data-upload-summary]').innerText()).toContain('2 of 3 files stored');
      expect(csp).toEqual([]);
    });
    // What the API now holds: the access chosen per file and the tags added to the record.
    const record = await (await svc.api('GET', `/api/v1/records/${ids.record}`, { token: svc.adminToken })).json() as { tags: string[]; files: Array<{ originalName: string; access: string; status: string }> };
    expect(record.tags).toEqual(expect.arrayContaining(['marketing', 'advertising copy', '1997']));
    expect(record).toMatchObject({ subjects: ['Advertising'], mediaType: 'Book' }); // adding tags leaves the rest alone
    expect(record.files.find((f) => f.originalName === 'poster.png')?.access).toBe('signed-in');
    expect(record.files.find((f) => f.originalName === pdf.name)?.status).toBe('ready');
  });

  it('uploads without JavaScript: the form posts one file and the page says what happened', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await signIn(page, 'libby', PASSWORD, `/staff/uploads?record=${ids.other}`);
      await page.locator('#upload-file').setInputFiles({ name: 'notes.pdf', mimeType: 'application/pdf', buffer: minimalPdf(['Field notes']) });
      await page.getByLabel('Who may open it').selectOption('restricted');
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL(/uploaded=/);
      expect(await page.getByRole('status').first().innerText()).toContain('Stored notes.pdf');
      // A refusal comes back as a plain sentence, too.
      await page.locator('#upload-file').setInputFiles({ name: 'program.exe', mimeType: 'application/octet-stream', buffer: elfHeader() });
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.waitForURL(/refused=unsupported-media-type/);
      expect(await page.getByRole('alert').innerText()).toContain('is not a type the library keeps');
    });
  });

  it('shows a report as a table with a CSV download and a print layout', async () => {
    await withPage({}, async (page) => {
      await signIn(page, 'libby', PASSWORD, '/staff/reports');
      await page.getByRole('link', { name: 'All books' }).click();
      await page.waitForURL(/report=books/);
      const table = page.locator('table.report-table');
      expect(await table.locator('caption').innerText()).toContain('All books');
      expect(await table.locator('tbody tr').count()).toBe(2);
      expect(await table.innerText()).toContain('Marsh Birds of the Fens');
      expect(await table.innerText()).toContain('$18.00');
      const href = await page.getByRole('link', { name: /Download all 2 rows \(CSV\)/ }).getAttribute('href');
      const csv = await page.request.get(`${svc.url}${href}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
      expect((await csv.text()).split('\r\n')[0]).toContain('Call number');
      // Sorting through the GET form.
      await page.getByLabel('Sort by').selectOption('-year');
      await page.getByRole('button', { name: 'Show the report' }).click();
      await page.waitForURL(/sort=-year/);
      expect(await table.locator('tbody tr').first().innerText()).toContain('Marsh Birds of the Fens');
      // Print: the report's own heading with the generation time; no form, header or navigation.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.report-print-title').isVisible()).toBe(true);
      expect(await page.locator('.report-form').isVisible()).toBe(false);
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.locator('.report-meta').innerText()).toMatch(/Generated \d+ \w+ \d{4}, \d\d:\d\d UTC/);
      await screenshot(page, 'staff-report-print');
      // A member's loans need a membership id: asked for next to the field.
      await page.emulateMedia({ media: 'screen' });
      await page.goto(`${svc.url}/staff/reports?report=member-loans&membershipId=`);
      expect(await page.getByRole('alert').innerText()).toContain('Membership id');
    });
  });

  it('shows the usage dashboard to supervisors: charts, each with its data table, and date presets', async () => {
    await withPage({}, async (page) => {
      const csp = cspReports(page);
      await signIn(page, 'admin', 'test-admin-password', '/staff/usage');
      const charts = page.locator('section.usage-chart');
      expect(await charts.count()).toBe(8);
      for (let i = 0; i < 8; i++) {
        const chart = charts.nth(i);
        // One chart drawn for wide screens and one for phones; CSS shows one of them.
        expect(await chart.locator('svg[role="img"]').count()).toBe(2);
        const svg = chart.locator('svg[role="img"]:visible');
        expect(await svg.count()).toBe(1);
        expect((await svg.getAttribute('aria-label'))!.length).toBeGreaterThan(20);
        expect(await chart.locator('table caption').count()).toBe(1);
      }
      const circulation = charts.nth(0);
      expect(await circulation.locator('svg').first().getAttribute('aria-label')).toContain('Loans: 1 in all');
      expect(await circulation.locator('tfoot').textContent()).toMatch(/Total\s*1\s*1/);
      expect(await page.locator('.usage-totals').innerText()).toMatch(/Record views\s+2/);
      expect(await page.locator('#usage-top table').innerText()).toContain('Think Different');
      expect(await page.locator('#usage-failed table').innerText()).toMatch(/zzzzqqq\s+1/);
      expect(await page.locator('#usage-branches table').innerText()).toMatch(/Central Branch\s+1\s+1\s+0/);
      expect(await page.locator('#usage-loan-categories svg').first().getAttribute('aria-label')).toContain('Two Week Loan 1');
      expect(await page.locator('[style]').count()).toBe(0);
      await page.getByRole('link', { name: 'Last 7 days' }).click();
      await page.waitForURL(/from=\d{4}-\d\d-\d\d&to=/);
      expect(await page.getByRole('link', { name: 'Last 7 days' }).getAttribute('aria-current')).toBe('true');
      await page.goto(`${svc.url}/staff/usage?from=2026-02-30&to=2026-03-01`);
      expect(await page.getByRole('alert').innerText()).toContain('real date');
      expect(await page.getByLabel('From').getAttribute('aria-invalid')).toBe('true');
      expect(csp).toEqual([]);
    });
  });

  it('refuses the usage dashboard to a reader and a librarian, and asks a visitor to sign in', async () => {
    await withPage({}, async (page) => {
      const anon = await page.goto(`${svc.url}/staff/usage`);
      expect(anon!.status()).toBe(401);
      expect(await page.getByRole('link', { name: 'Sign in' }).last().getAttribute('href')).toBe('/sign-in?returnTo=%2Fstaff%2Fusage');
      await signIn(page, 'reader', PASSWORD);
      const res = await page.goto(`${svc.url}/staff/usage`);
      expect(res!.status()).toBe(403);
      expect(await page.getByRole('alert').innerText()).toContain('The usage dashboard is for supervisors and administrators');
      const uploads = await page.goto(`${svc.url}/staff/uploads`);
      expect(uploads!.status()).toBe(403);
    });
    await withPage({}, async (page) => {
      await signIn(page, 'libby');
      const res = await page.goto(`${svc.url}/staff/usage`);
      expect(res!.status()).toBe(403);
    });
  });

  it('has no serious or critical axe violations on the uploads, reports and usage pages (390 and 1280 px)', async () => {
    await audit('libby', `/staff/uploads?record=${ids.record}`, 'uploads');
    await audit('libby', '/staff/uploads?q=marsh', 'uploads-pick');
    await audit('libby', '/staff/reports?report=books', 'reports');
    await audit('admin', '/staff/usage', 'usage');
    await audit('reader', '/staff/usage', 'refusal');
  });
});

describe('the upload form target (/staff/uploads/send)', () => {
  let small: TestService;
  let record = '';
  let cookie = '';
  beforeAll(async () => {
    small = await startTestService({ uploadMaxBytes: 4096 }, { clock: () => new Date() });
    const res = await small.api('POST', '/api/v1/records', { token: small.adminToken, json: { title: 'Small files only', authors: ['Test, A'] } });
    record = (await res.json()).id;
    const session = await small.api('POST', '/api/v1/session', { json: { username: 'admin', password: 'test-admin-password' } });
    cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  }, 120_000);
  afterAll(async () => {
    await small?.close();
  });

  const send = (bytes: Buffer, name: string, headers: Record<string, string>) => {
    const form = new FormData();
    form.set('access', 'public');
    form.set('embargoUntil', '');
    form.set('file', new Blob([new Uint8Array(bytes)]), name);
    return small.api('POST', `/staff/uploads/send?record=${record}`, { headers: { cookie, origin: small.url, ...headers }, body: form });
  };

  it('answers a script with the API\'s JSON and a form with a redirect, for a stored file and a file too large', async () => {
    const ok = await send(minimalPdf(['small']), 'small.pdf', { accept: 'application/json' });
    expect(ok.status).toBe(201);
    expect((await ok.json()).file).toMatchObject({ originalName: 'small.pdf', status: 'processing' });
    const big = Buffer.concat([minimalPdf(['big']), Buffer.alloc(20_000, 32)]);
    const tooLarge = await send(big, 'big.pdf', { accept: 'application/json' });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ code: 'file-too-large' });
    const form = await send(big, 'big.pdf', { accept: 'text/html' });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/staff/uploads?record=${record}&refused=file-too-large&limit=4096`);
    const page = await small.api('GET', form.headers.get('location')!, { headers: { cookie } });
    expect(page.status).toBe(413);
    expect(await page.text()).toContain('is too large: files can be at most 4.0 KB');
  });

  it('refuses a post from another site, and a visitor without a session', async () => {
    const forged = await send(minimalPdf(['x']), 'x.pdf', { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(minimalPdf(['x']))]), 'x.pdf');
    const anon = await small.api('POST', `/staff/uploads/send?record=${record}`, { headers: { origin: small.url }, body: form });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });
});
