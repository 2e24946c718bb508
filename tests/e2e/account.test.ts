import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, fixturesDir, startTestService, type TestService } from '../support/test-service.ts';
import { minimalPdf } from '../../services/api/modules/files/test-inputs.ts';
import { workerFor } from '../../services/api/service.ts';
import { longDate, money } from '../../site/src/lib/format.ts';
import { adminPosted, adminUploaded, inNewContext, type ContextOptions } from './seed.ts';
import { chromiumPresent, launchChromium, screenshot, seriousAxeViolations, warnIfNoChromium } from './browser.ts';

// The patron account and the reader pages end to end in Debian Chromium, against a real service:
// a member activates their account through the one-time link, signs in on the sign-in page, places
// a hold, renews (and is refused a renewal), sees fines and edits their details; PDFs render in
// pdf.js and images zoom.

warnIfNoChromium();

const VICKSBURG = path.join(fixturesDir, 'pdf/Seige_of_Vicksburg_Sample_OCR.pdf');
const PASSWORD = 'the fen in winter light';
const DAY = 86_400_000;

let svc: TestService;
let browser: Browser;
const ids = {
  patron: '', membershipId: '', other: '',
  atlas: '', atlasOut: '', atlasShelf: '', atlasOutCall: '',
  rivers: '', riversLoan: '', marsh: '', marshLoan: '', maps: '',
  balance: '', scan: '', scanFile: '', handmade: '', handmadeFile: '', membersFile: '', plate: '', plateFile: '',
};

const post = (p: string, json: unknown): Promise<any> => adminPosted<any>(svc, p, json);

const uploaded = (recordId: string, bytes: Buffer, name: string, access = 'public') => adminUploaded(svc, recordId, bytes, name, access);

const book = (title: string, extra: Record<string, unknown> = {}) => post('/api/v1/records', { title, authors: ['Reed, Warbler'], mediaType: 'Book', year: 2001, language: 'eng', ...extra });
const copy = (recordId: string) => post(`/api/v1/records/${recordId}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '2', replacementCostCents: 2500 });
const lend = (itemId: string, patronId: string, daysAgo = 0) => post('/api/v1/loans', { itemId, patronId, loanedAt: new Date(Date.now() - daysAgo * DAY).toISOString() });

beforeAll(async () => {
  if (!chromiumPresent) return;
  // The real clock: the browser drops a session cookie whose expiry lies in the fixed test clock's past.
  [svc, browser] = await Promise.all([startTestService({}, { clock: () => new Date() }), launchChromium()]);
  const me = await post('/api/v1/patrons', { name: 'Tan, Jia Yu', faculty: 'Computing', email: 'jiayu@example.edu', phone: '91234567' });
  ids.patron = me.id;
  ids.membershipId = me.membershipId;
  ids.other = (await post('/api/v1/patrons', { name: 'Lim, Joan' })).id;

  // Two copies of the atlas: one out with another member (the patron reserves it), one on the shelf
  // (placed on hold for the patron by staff: ready for pickup at once under the standard policy).
  ids.atlas = (await book('The Fenland Atlas')).id;
  const out = await copy(ids.atlas);
  ids.atlasOut = out.id;
  ids.atlasOutCall = out.callNumber;
  await lend(out.id, ids.other);
  ids.atlasShelf = (await copy(ids.atlas)).id;
  ids.rivers = (await book('Rivers of the Fens')).id;
  ids.riversLoan = (await lend((await copy(ids.rivers)).id, ids.patron, 10)).id;
  ids.marsh = (await book('A Marsh Diary')).id;
  const marshCopy = await copy(ids.marsh);
  ids.marshLoan = (await lend(marshCopy.id, ids.patron, 3)).id;
  await post('/api/v1/holds', { itemId: marshCopy.id, patronId: ids.other }); // so the renewal is refused
  ids.maps = (await book('Old Maps of Ely')).id;
  await lend((await copy(ids.maps)).id, ids.patron, 20); // overdue by six days
  // A fine on the ledger: an earlier loan returned late.
  const late = await lend((await copy(ids.maps)).id, ids.patron, 18);
  const fine = (await post(`/api/v1/loans/${late.id}/return`, {})).fineCents as number;
  expect(fine).toBeGreaterThan(0);
  ids.balance = money(fine);

  ids.scan = (await book('The Siege of Vicksburg', { mediaType: 'E-book' })).id;
  if (existsSync(VICKSBURG)) ids.scanFile = await uploaded(ids.scan, readFileSync(VICKSBURG), 'siege-of-vicksburg.pdf');
  else console.warn(`e2e: ${VICKSBURG} is absent; the reader is tested with the hand-made PDF only`);
  ids.handmade = (await book('Two Pages', { mediaType: 'E-book' })).id;
  ids.handmadeFile = await uploaded(ids.handmade, minimalPdf(['The first page of two', 'The second page of two']), 'two-pages.pdf');
  ids.membersFile = await uploaded(ids.handmade, minimalPdf(['For members']), 'members-only.pdf', 'signed-in');
  ids.plate = (await book('Fen Birds: a plate', { mediaType: 'Image' })).id;
  const width = 1600;
  const height = 1000;
  const stripes = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) stripes.fill(((i % width) >> 6) % 2 ? 230 : 40, i * 3, i * 3 + 3);
  ids.plateFile = await uploaded(ids.plate, await sharp(stripes, { raw: { width, height, channels: 3 } }).png().toBuffer(), 'fen-birds-plate.png');
  await workerFor(svc.deps).drain();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await svc?.close();
});

function withPage<T>(opts: ContextOptions & { signedIn?: boolean }, fn: (page: Page, ctx: BrowserContext) => Promise<T>): Promise<T> {
  return inNewContext(browser, opts, async (page, ctx) => {
    if (opts.signedIn) await signIn(page);
    return fn(page, ctx);
  });
}

async function signIn(page: Page, username = ids.membershipId, password = PASSWORD): Promise<void> {
  await page.goto(`${svc.url}/sign-in?returnTo=${encodeURIComponent('/account')}`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${svc.url}/account`);
}

/** Cookie and CSRF headers of a fresh session of the patron, for API calls made by the test itself. */
async function sessionHeaders(password: string): Promise<Record<string, string>> {
  const res = await svc.api('POST', '/api/v1/session', { json: { username: ids.membershipId, password } });
  if (res.status !== 200) throw new Error(`session: ${res.status}`);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': (await res.json()).csrfToken };
}

/** Console messages about the Content-Security-Policy: the pages must never trip the site's policy. */
function cspReports(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to|unsafe-eval/i.test(m.text())) seen.push(m.text()); });
  return seen;
}

interface CanvasLike { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }

/** How many of the canvas's sampled pixels are dark: a drawn page has ink, a blank one none. */
const inkOn = (page: Page) => page.locator('[data-canvas]').evaluate((c: CanvasLike) => {
  const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4 * 7) if (data[i]! + data[i + 1]! + data[i + 2]! < 300 && data[i + 3]! > 0) dark++;
  return dark;
});

describe.skipIf(!chromiumPresent)('patron account and reader', () => {
  it('activates the account through the one-time link (no JavaScript) and signs in on the sign-in page', async () => {
    const invitation = await post(`/api/v1/patrons/${ids.patron}/account`, {});
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}${invitation.activationPath}`);
      await page.getByLabel('New password').fill('too short');
      await page.getByLabel('Type the password again').fill('too short');
      await page.getByRole('button', { name: 'Set my password' }).click();
      expect(await page.getByRole('alert').innerText()).toContain('at least 10 characters');
      expect(await page.getByLabel('New password').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('New password').fill(PASSWORD);
      await page.getByLabel('Type the password again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Set my password' }).click();
      await page.waitForURL(/\/account\/activate\?done=/);
      expect(await page.locator('h1').innerText()).toBe('Your account is ready');
      expect(await page.locator('main').innerText()).toContain(ids.membershipId);
      // The link works once.
      await page.goto(`${svc.url}${invitation.activationPath}`);
      await page.getByLabel('New password').fill('another long password');
      await page.getByLabel('Type the password again').fill('another long password');
      await page.getByRole('button', { name: 'Set my password' }).click();
      expect(await page.getByRole('alert').innerText()).toContain('expired or has already been used');

      await signIn(page);
      expect(await page.locator('.site-nav').innerText()).toContain('My account');
      expect(await page.locator('h1').innerText()).toBe('My account');
    });
  });

  it('shows loans (overdue highlighted), the hold ready for pickup and the balance', async () => {
    const ready = await post('/api/v1/holds', { itemId: ids.atlasShelf, patronId: ids.patron });
    expect(ready.status).toBe('ready');
    await withPage({ signedIn: true }, async (page) => {
      const pickup = page.getByRole('region', { name: /ready for you to collect/ });
      expect(await pickup.innerText()).toContain(`The Fenland Atlas`);
      expect(await pickup.innerText()).toContain(`ready for pickup until ${longDate(ready.readyUntil)}`);
      const loans = page.getByRole('table', { name: /on loan to you/ });
      expect(await loans.locator('tbody tr').count()).toBe(3);
      const overdue = loans.locator('tr.overdue');
      expect(await overdue.count()).toBe(1);
      expect(await overdue.innerText()).toContain('Old Maps of Ely');
      expect(await overdue.innerText()).toContain('Overdue');
      expect(await page.locator('.account-summary > div', { hasText: 'Fines owed' }).locator('dd').innerText()).toContain(ids.balance);
    });
  });

  it('places a hold on a copy on loan to someone else and sees it in the account', async () => {
    await withPage({ signedIn: true }, async (page) => {
      await page.goto(`${svc.url}/records/${ids.atlas}`);
      const row = page.locator('table.copies tbody tr', { hasText: ids.atlasOutCall });
      expect(await row.innerText()).toContain('On loan');
      await row.getByRole('button', { name: `Place a hold on copy ${ids.atlasOutCall}` }).click();
      await page.waitForURL(/\/account\?placed=/);
      expect(await page.locator('.notice[role="status"]').innerText()).toContain('Hold placed on The Fenland Atlas');
      const holds = page.getByRole('table', { name: /reserved for you/ });
      const mine = holds.locator('tbody tr', { hasText: ids.atlasOutCall });
      expect(await mine.innerText()).toContain('Waiting');
      // The record page now says so instead of offering the button again.
      await page.goto(`${svc.url}/records/${ids.atlas}`);
      expect(await page.locator('table.copies tbody tr', { hasText: ids.atlasOutCall }).innerText()).toContain('You have a hold on this copy');
    });
    const api = await (await svc.api('GET', `/api/v1/patrons/${ids.patron}/holds`, { token: svc.adminToken })).json();
    expect(api.items.map((h: { itemId: string; status: string }) => [h.itemId, h.status])).toContainEqual([ids.atlasOut, 'waiting']);
  });

  it('renews a loan and shows the new due date; a refused renewal shows the reason', async () => {
    await withPage({ signedIn: true }, async (page) => {
      const loans = page.getByRole('table', { name: /on loan to you/ });
      await loans.getByRole('button', { name: 'Renew Rivers of the Fens' }).click();
      await page.waitForURL(/\/account\?renewed=/);
      const renewedId = new URL(page.url()).searchParams.get('renewed')!;
      const loan = await (await svc.api('GET', `/api/v1/loans/${renewedId}`, { token: svc.adminToken })).json();
      expect(loan.renewedFromId).toBe(ids.riversLoan);
      expect(await page.locator('.notice[role="status"]').innerText()).toContain(`Rivers of the Fens is now due back on ${longDate(loan.dueAt)}`);
      expect(await loans.locator('tr', { hasText: 'Rivers of the Fens' }).innerText()).toContain(longDate(loan.dueAt)!);

      await loans.getByRole('button', { name: 'Renew A Marsh Diary' }).click();
      const alert = page.getByRole('alert');
      expect(await alert.innerText()).toContain('The loan was not renewed');
      expect(await alert.innerText()).toContain('Another reader has placed a hold on this copy');
      const row = loans.locator('tr', { hasText: 'A Marsh Diary' });
      expect(await row.locator('.field-error').innerText()).toContain('Not renewed');
      expect(await row.getByRole('button', { name: /Renew/ }).getAttribute('aria-describedby')).toBe(`loan-${ids.marshLoan}-error`);
    });
  });

  it('shows the fines ledger, explains when online payment is unavailable, and saves profile changes', async () => {
    await withPage({ signedIn: true, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/account/payments`);
      expect(await page.locator('.balance').innerText()).toBe(`You owe ${ids.balance}`);
      const ledger = page.getByRole('table', { name: /newest first/ });
      expect(await ledger.innerText()).toContain('Overdue fine');
      expect(await ledger.locator('tfoot').innerText()).toContain(ids.balance);
      await page.getByRole('button', { name: `Pay ${ids.balance} online` }).click();
      expect(await page.getByRole('alert').innerText()).toContain('Online payment is not available at this library');

      await page.goto(`${svc.url}/account/profile`);
      expect(await page.locator('dl.details').innerText()).toContain(ids.membershipId);
      await page.getByLabel('Phone number').fill('call me');
      await page.getByRole('button', { name: 'Save my details' }).click();
      expect(await page.getByRole('alert').innerText()).toContain('Phone number');
      expect(await page.getByLabel('Phone number').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Phone number').fill('+65 8109 3487');
      await page.getByLabel('Faculty or department').fill('Engineering');
      await page.getByRole('button', { name: 'Save my details' }).click();
      await page.waitForURL(/saved=1/);
      expect(await page.getByLabel('Faculty or department').inputValue()).toBe('Engineering');
    });
    // The password: a wrong current one is refused beside the field; then changed, and the new one signs in.
    await withPage({ signedIn: true, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/account/profile`);
      await page.getByLabel('Current password').fill('not my password');
      await page.getByLabel('New password', { exact: true }).fill('a new long passphrase');
      await page.getByLabel('New password again').fill('a new long passphrase');
      await page.getByRole('button', { name: 'Change my password' }).click();
      expect(await page.getByRole('alert').innerText()).toContain('Your current password is not right');
      expect(await page.getByLabel('Current password').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password', { exact: true }).fill('a new long passphrase');
      await page.getByLabel('New password again').fill('a new long passphrase');
      await page.getByRole('button', { name: 'Change my password' }).click();
      await page.waitForURL(/password=changed/);
      expect(await page.locator('.notice[role="status"]').innerText()).toContain('Your password is changed');
    });
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await signIn(page, ids.membershipId, 'a new long passphrase');
    });
    const ok = await svc.api('POST', '/api/v1/me/password', { json: { currentPassword: 'a new long passphrase', newPassword: PASSWORD }, headers: await sessionHeaders('a new long passphrase') });
    expect(ok.status).toBe(204);
    const saved = await (await svc.api('GET', `/api/v1/patrons/${ids.patron}`, { token: svc.adminToken })).json();
    expect(saved).toMatchObject({ faculty: 'Engineering', phone: '+65 8109 3487', membershipId: ids.membershipId });
  });

  it('pays online: the page starts a Stripe Checkout for the whole balance and links to it', async () => {
    // A stand-in for api.stripe.com (the official SDK talks to STRIPE_API_BASE), in a service of its own.
    const sessions: URLSearchParams[] = [];
    const fake = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
          sessions.push(params);
          const id = `cs_test_${sessions.length}`;
          res.end(JSON.stringify({
            id, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid',
            amount_total: Number(params.get('line_items[0][price_data][unit_amount]')), currency: 'usd',
            client_reference_id: params.get('client_reference_id'), metadata: { shelfmark_checkout_id: params.get('metadata[shelfmark_checkout_id]') },
            url: `https://checkout.stripe.test/c/pay/${id}`,
          }));
          return;
        }
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'no route' } }));
      });
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
    const paying = await startTestService({}, {
      clock: () => new Date(),
      env: { STRIPE_SECRET_KEY: 'sk_test_shelfmark', STRIPE_WEBHOOK_SECRET: 'whsec_shelfmarktest', STRIPE_API_BASE: `http://127.0.0.1:${(fake.address() as AddressInfo).port}` },
    });
    try {
      const as = async (p: string, json: unknown) => {
        const res = await paying.api('POST', p, { token: paying.adminToken, json });
        if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
        return res.json();
      };
      const patron = await as('/api/v1/patrons', { name: 'Li Thales, Simon' });
      const record = await as('/api/v1/records', { title: 'Fen Drainage', authors: ['Reed, Warbler'], mediaType: 'Book', year: 1990 });
      const item = await as(`/api/v1/records/${record.id}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '1', replacementCostCents: 2500 });
      const loan = await as('/api/v1/loans', { itemId: item.id, patronId: patron.id, loanedAt: new Date(Date.now() - 20 * DAY).toISOString() });
      const fine = (await as(`/api/v1/loans/${loan.id}/return`, {})).fineCents as number;
      const invitation = await as(`/api/v1/patrons/${patron.id}/account`, {});
      await paying.api('POST', '/api/v1/account/activate', { json: { token: invitation.token, password: PASSWORD } });
      await withPage({ javaScriptEnabled: false }, async (page) => {
        await page.goto(`${paying.url}/sign-in?returnTo=${encodeURIComponent('/account/payments')}`);
        await page.getByLabel('Username').fill(patron.membershipId);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL(`${paying.url}/account/payments`);
        await page.getByRole('button', { name: `Pay ${money(fine)} online` }).click();
        const go = page.getByRole('link', { name: /^Continue to payment/ });
        expect(await go.getAttribute('href')).toBe('https://checkout.stripe.test/c/pay/cs_test_1');
        expect(sessions).toHaveLength(1);
        expect(sessions[0]!.get('line_items[0][price_data][unit_amount]')).toBe(String(fine));
        // Without PUBLIC_URL the provider sends the payer back to the address this service was reached at.
        expect(sessions[0]!.get('success_url')).toBe(`${paying.url}/account/payments?checkout=done`);
        await page.goto(`${paying.url}/account/payments?checkout=cancelled`);
        expect(await page.locator('.notice[role="status"]').innerText()).toContain('nothing was charged');
      });
    } finally {
      await paying.close();
      await new Promise<void>((resolve) => fake.close(() => resolve()));
    }
  });

  it('tells visitors to sign in, and staff without a library card that they have none', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/account`);
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(/\/sign-in\?returnTo=%2Faccount/);
      await signIn(page, 'admin', ADMIN_PASSWORD);
      expect(await page.locator('h1').innerText()).toBe('No library card on this account');
      await page.goto(`${svc.url}/account/payments`);
      expect(await page.locator('h1').innerText()).toBe('No library card on this account');
    });
  });

  it('renders a PDF in pdf.js: page 1 into a canvas, then page 2, zoom, all within the CSP', async () => {
    const [recordId, fileId] = ids.scanFile ? [ids.scan, ids.scanFile] : [ids.handmade, ids.handmadeFile];
    await withPage({}, async (page) => {
      const csp = cspReports(page);
      await page.goto(`${svc.url}/records/${recordId}`);
      await page.getByRole('link', { name: /^Read online/ }).click();
      await page.waitForURL(`**/records/${recordId}/read/${fileId}`);
      await page.locator('[data-canvas][data-rendered="1"]').waitFor({ timeout: 30_000 });
      expect(await inkOn(page)).toBeGreaterThan(50);
      expect(await page.locator('[data-total]').innerText()).toBe(ids.scanFile ? '6' : '2');
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.locator('[data-canvas][data-rendered="2"]').waitFor({ timeout: 30_000 });
      expect(await page.getByLabel('Page', { exact: true }).inputValue()).toBe('2');
      expect(await page.locator('[data-canvas]').getAttribute('aria-label')).toMatch(/^Page 2 of/);
      expect((await page.locator('[data-text]').textContent())!.length).toBeGreaterThan(ids.scanFile ? 500 : 10);
      expect(await inkOn(page)).toBeGreaterThan(50);
      // Keyboard: the page view takes focus; Home goes back to page 1, + zooms in.
      const before = await page.locator('output[data-zoom]').innerText();
      await page.locator('[data-stage]').focus();
      await page.keyboard.press('Home');
      await page.locator('[data-canvas][data-rendered="1"]').waitFor();
      await page.keyboard.press('+');
      await expect.poll(() => page.locator('output[data-zoom]').innerText()).not.toBe(before);
      expect(await page.getByRole('button', { name: 'Fit width' }).getAttribute('aria-pressed')).toBe('false');
      // The page number box jumps straight to a page.
      await page.getByLabel('Page', { exact: true }).fill('2');
      await page.getByLabel('Page', { exact: true }).press('Enter');
      await page.locator('[data-canvas][data-rendered="2"]').waitFor();
      expect(csp).toEqual([]);
    });
    // The hand-made PDF too, when the fixture was the one above.
    if (ids.scanFile) {
      await withPage({}, async (page) => {
        await page.goto(`${svc.url}/records/${ids.handmade}/read/${ids.handmadeFile}`);
        await page.locator('[data-canvas][data-rendered="1"]').waitFor({ timeout: 30_000 });
        expect(await page.locator('[data-total]').innerText()).toBe('2');
        // The text layer carries the page's words (selectable, found by the browser's find).
        expect(await page.locator('[data-text]').textContent()).toContain('The first page of two');
      });
    }
  });

  it('keeps plain links to the PDF and the image without JavaScript; a members-only holding asks to sign in', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/records/${ids.handmade}/read/${ids.handmadeFile}`);
      expect(await page.locator('[data-toolbar]').isVisible()).toBe(false);
      expect(await page.getByRole('link', { name: /^Open the PDF/ }).getAttribute('href')).toBe(`/api/v1/files/${ids.handmadeFile}/content`);
      expect(await page.getByRole('link', { name: /^Download/ }).getAttribute('download')).toBe('two-pages.pdf');
      await page.goto(`${svc.url}/records/${ids.plate}/read/${ids.plateFile}`);
      expect(await page.locator('.image-stage img').isVisible()).toBe(true);
      expect(await page.locator('.image-stage a').getAttribute('href')).toBe(`/api/v1/files/${ids.plateFile}/content`);
      // A holding for signed-in readers: the reader says so and links to sign in, back to the reader.
      const reader = `/records/${ids.handmade}/read/${ids.membersFile}`;
      const res = await page.goto(`${svc.url}${reader}`);
      expect(res!.status()).toBe(401);
      expect(await page.locator('.notice.lock').innerText()).toContain('for signed-in readers only');
      expect(await page.locator('.notice.lock').getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(`/sign-in?returnTo=${encodeURIComponent(reader)}`);
    });
  });

  it('zooms and pans the image with the buttons, the keyboard and the pointer', async () => {
    await withPage({}, async (page) => {
      const csp = cspReports(page);
      await page.goto(`${svc.url}/records/${ids.plate}`);
      await page.getByRole('link', { name: /^View and zoom/ }).click();
      await page.waitForURL(`**/read/${ids.plateFile}`);
      const stage = page.locator('[data-stage]');
      const img = stage.locator('img');
      await img.evaluate((el: { complete: boolean; decode(): Promise<void> }) => el.decode());
      expect(await img.getAttribute('src')).toBe(`/api/v1/files/${ids.plateFile}/content`);
      await page.getByRole('button', { name: 'Zoom in' }).click();
      expect(await stage.getAttribute('data-zoom')).toBe('1.5');
      expect(await page.locator('output[data-zoom]').innerText()).toBe('150%');
      await stage.focus();
      await page.keyboard.press('+');
      expect(Number(await stage.getAttribute('data-zoom'))).toBeCloseTo(2.25);
      const transform = () => img.evaluate((el: { style: { transform: string } }) => el.style.transform);
      const zoomed = await transform();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(transform).not.toBe(zoomed);
      const box = (await stage.boundingBox())!;
      const panned = await transform();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 40, { steps: 4 });
      await page.mouse.up();
      expect(await transform()).not.toBe(panned);
      await page.getByRole('button', { name: /^Reset/ }).click();
      expect(await stage.getAttribute('data-zoom')).toBe('1');
      expect(await transform()).toBe('translate(0px, 0px) scale(1)');
      expect(csp).toEqual([]);
    });
  });

  it('has no serious or critical axe violations on the account and reader pages', async () => {
    const found: Record<string, unknown> = {};
    const check = async (page: Page, name: string, p: string, ready?: string) => {
      await page.goto(`${svc.url}${p}`);
      if (ready) await page.locator(ready).waitFor({ timeout: 30_000 });
      const violations = await seriousAxeViolations(page);
      if (violations.length) found[name] = violations;
    };
    await withPage({ bypassCSP: true, signedIn: true }, async (page) => {
      await check(page, 'account', '/account');
      await check(page, 'payments', '/account/payments');
      await check(page, 'profile', '/account/profile');
      await check(page, 'record-with-hold-form', `/records/${ids.atlas}`);
      await check(page, 'pdf-reader', `/records/${ids.handmade}/read/${ids.handmadeFile}`, '[data-canvas][data-rendered="1"]');
      await check(page, 'image-viewer', `/records/${ids.plate}/read/${ids.plateFile}`, '.image-stage.zoomable');
      // A refusal on the page: the error summary and the message beside the loan.
      await page.goto(`${svc.url}/account`);
      await page.getByRole('button', { name: 'Renew A Marsh Diary' }).click();
      await page.getByRole('alert').waitFor();
      const violations = await seriousAxeViolations(page);
      if (violations.length) found['account-refusal'] = violations;
    });
    await withPage({ bypassCSP: true }, async (page) => {
      await check(page, 'account-anonymous', '/account');
      await check(page, 'activate', '/account/activate?token=0123456789abcdef');
      await check(page, 'reader-missing', `/records/${ids.plate}/read/${ids.handmadeFile}`);
    });
    expect(found).toEqual({});
  });

  it('under the als policy: no renewals, fines paid in full only, no holds on copies on the shelf', async () => {
    const shelf = await copy(ids.rivers);
    const put = await svc.api('PUT', '/api/v1/policy', { token: svc.adminToken, json: { preset: 'als' } });
    expect(put.status).toBe(200);
    try {
      await withPage({ signedIn: true, javaScriptEnabled: false }, async (page) => {
        const loans = page.getByRole('table', { name: /on loan to you/ });
        expect(await loans.locator('caption').innerText()).toContain('This library does not renew loans');
        expect(await loans.getByRole('button', { name: /^Renew/ }).count()).toBe(0);
        await page.goto(`${svc.url}/account/payments`);
        expect(await page.locator('#pay-hint').innerText()).toBe(`Fines are paid in full: the payment is exactly ${ids.balance}.`);
        await page.goto(`${svc.url}/records/${ids.rivers}`);
        const row = page.locator('table.copies tbody tr', { hasText: shelf.callNumber });
        expect(await row.innerText()).toContain('On the shelf: borrow it at the desk');
        expect(await row.getByRole('button').count()).toBe(0);
      });
    } finally {
      await svc.api('PUT', '/api/v1/policy', { token: svc.adminToken, json: { preset: 'standard' } });
    }
  });

  it('looks right at 390 px and 1280 px (screenshots in tests/e2e/artifacts)', async () => {
    const pages: Record<string, [string, string?]> = {
      account: ['/account'],
      'account-payments': ['/account/payments'],
      'account-profile': ['/account/profile'],
      'record-hold': [`/records/${ids.atlas}`],
      'reader-pdf': [`/records/${ids.scanFile ? ids.scan : ids.handmade}/read/${ids.scanFile || ids.handmadeFile}`, '[data-canvas][data-rendered="1"]'],
      'reader-image': [`/records/${ids.plate}/read/${ids.plateFile}`, '.image-stage.zoomable'],
    };
    for (const width of [390, 1280]) {
      await withPage({ width, signedIn: true }, async (page) => {
        for (const [name, [p, ready]] of Object.entries(pages)) {
          await page.goto(`${svc.url}${p}`, { waitUntil: 'networkidle' });
          if (ready) await page.locator(ready).waitFor({ timeout: 30_000 });
          const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
          expect(scrollWidth, `${name} at ${width}px`).toBeLessThanOrEqual(width);
          await screenshot(page, `${name}-${width}`);
        }
      });
    }
  });
});
