import sharp from 'sharp';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestService, type TestService } from '../support/test-service.ts';
import { wavBytes } from '../../services/api/modules/files/test-inputs.ts';
import { workerFor } from '../../services/api/service.ts';
import { SITE_CSP } from '../../services/api/http/site-mount.ts';
import { adminPosted, adminUploaded, inNewContext, type ContextOptions } from './seed.ts';
import { chromiumPresent, launchChromium, screenshot, seriousAxeViolations, warnIfNoChromium } from './browser.ts';

// The public site end to end in Debian Chromium, against a real service with the built site mounted
// (the e2e project's global setup builds site/ when site/dist is missing or stale).

warnIfNoChromium();

let svc: TestService;
let browser: Browser;
const ids = { chorus: '', winter: '', marsh: '', letters: '' };

const created = (p: string, json: unknown) => adminPosted(svc, p, json);

const uploaded = (recordId: string, bytes: Buffer, name: string, access = 'public') => adminUploaded(svc, recordId, bytes, name, access);

beforeAll(async () => {
  if (!chromiumPresent) return;
  // The real clock: the browser drops a session cookie whose expiry lies in the fixed test clock's past.
  [svc, browser] = await Promise.all([startTestService({}, { clock: () => new Date() }), launchChromium()]);
  ids.chorus = (await created('/api/v1/records', {
    title: 'Dawn Chorus at Wicken Fen', authors: ['Nightingale, Florence'], publisher: 'Fenland Sound Archive', year: 2021,
    subjects: ['Birdsong', 'Sound recordings'], tags: ['field recording'], mediaType: 'Audio', language: 'eng',
    description: 'Ten minutes of the dawn chorus recorded at first light in May.',
  })).id;
  ids.winter = (await created('/api/v1/records', {
    title: 'Birdsong in Winter', authors: ['Fenwick, Mary'], publisher: 'Country Books', year: 1998, isbn: '9780262033848',
    subjects: ['Birdsong', 'Natural history'], tags: [], mediaType: 'Book', language: 'eng',
  })).id;
  ids.marsh = (await created('/api/v1/records', {
    title: 'Songbirds of the Marsh', authors: ['Reed, Warbler'], publisher: 'Country Books', year: 2005,
    subjects: ['Birdsong', 'Wetlands'], tags: [], mediaType: 'Book', language: 'eng',
  })).id;
  ids.letters = (await created('/api/v1/records', {
    title: 'Letters of a Fenland Naturalist', authors: ['Nightingale, Florence'], year: 1902, subjects: ['Natural history'], mediaType: 'Manuscript',
  })).id;
  await created(`/api/v1/records/${ids.winter}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '2', replacementCostCents: 2500 });
  await created(`/api/v1/records/${ids.winter}/items`, { loanCategory: 'overnight', location: 'Central Branch', floor: '3', replacementCostCents: 2500, status: 'out-of-circulation' });
  await created(`/api/v1/records/${ids.marsh}/items`, { loanCategory: 'reserved', location: 'Central Branch', floor: '1', replacementCostCents: 1800 });
  // Ten minutes of 8 kHz mono PCM (9.6 MB): big enough that Chromium fetches it in ranges, not at once.
  await uploaded(ids.chorus, wavBytes({ seconds: 600 }), 'dawn-chorus.wav');
  const cover = await sharp({ create: { width: 600, height: 800, channels: 3, background: { r: 40, g: 90, b: 70 } } }).png().toBuffer();
  await uploaded(ids.chorus, cover, 'sleeve.png');
  await uploaded(ids.letters, wavBytes({ seconds: 2 }), 'reading.wav', 'signed-in');
  await workerFor(svc.deps).drain();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await svc?.close();
});

const withPage = <T>(opts: ContextOptions, fn: (page: Page, ctx: BrowserContext) => Promise<T>) => inNewContext(browser, opts, fn);

/** What the test touches of an <audio> element (the project's type check has no DOM library). */
interface MediaElement {
  muted: boolean;
  duration: number;
  currentTime: number;
  play(): Promise<void>;
  addEventListener(type: string, listener: (e: unknown) => void, opts?: { once?: boolean }): void;
}

/** Console messages about the Content-Security-Policy: the site must never trip its own policy. */
function cspReports(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text()); });
  return seen;
}

describe.skipIf(!chromiumPresent)('public site', () => {
  it('search, narrow by a facet, open the record and seek in the recording (Range, 206)', async () => {
    await withPage({}, async (page) => {
      const csp = cspReports(page);
      const home = await page.goto(`${svc.url}/`);
      expect(home!.headers()['content-security-policy']).toBe(SITE_CSP);
      await page.locator('#home-q').fill('birdsong');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/search\?q=birdsong/);
      const results = page.locator('ol.results > li');
      await expect.poll(() => results.count()).toBe(3);
      // The record with an image holding shows its thumbnail.
      await expect.poll(() => page.locator(`article[aria-labelledby="hit-${ids.chorus}"] img`).getAttribute('src')).toMatch(/\/api\/v1\/files\/.+\/thumbnail$/);

      await page.locator('aside.facets section', { hasText: 'Media type' }).getByRole('link', { name: /^Audio/ }).click();
      await page.waitForURL(/mediaType=/);
      await expect.poll(() => results.count()).toBe(1);
      expect(await page.locator('.active-filters').innerText()).toContain('Media type: Audio');

      await page.getByRole('link', { name: 'Dawn Chorus at Wicken Fen' }).click();
      await page.waitForURL(`**/records/${ids.chorus}`);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Dawn Chorus at Wicken Fen');

      const ranges: Array<{ range: string; status: number }> = [];
      page.on('response', (r) => {
        if (r.url().includes('/content')) ranges.push({ range: r.request().headers().range ?? '', status: r.status() });
      });
      const audio = page.locator('audio');
      await audio.evaluate(async (el: MediaElement) => {
        el.muted = true; // headless autoplay policy: muted playback needs no gesture
        await el.play();
        await new Promise((resolve) => setTimeout(resolve, 300));
        el.currentTime = el.duration * 0.9;
        await new Promise((resolve) => el.addEventListener('seeked', resolve, { once: true }));
      });
      const seek = ranges.find((r) => /^bytes=[1-9]\d*-/.test(r.range));
      expect(seek, `range requests: ${JSON.stringify(ranges)}`).toBeDefined();
      expect(seek!.status).toBe(206);
      expect(await audio.evaluate((el: MediaElement) => el.currentTime)).toBeGreaterThan(500);
      expect(csp).toEqual([]);
    });
  });

  it('suggests titles as you type and opens the chosen record', async () => {
    await withPage({}, async (page) => {
      await page.goto(`${svc.url}/`);
      const box = page.getByRole('combobox', { name: 'Search the catalogue' });
      await box.pressSequentially('songb', { delay: 20 });
      const option = page.getByRole('option', { name: 'Songbirds of the Marsh' });
      await option.waitFor();
      await box.press('ArrowDown');
      expect(await box.getAttribute('aria-activedescendant')).toBe(await page.getByRole('option').first().getAttribute('id'));
      await box.press('Enter');
      await page.waitForURL(/\/records\//);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(/Songbirds of the Marsh|Birdsong/);
    });
  });

  it('searches, filters and shows records without JavaScript', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/search`);
      await page.getByText('Advanced search').click();
      await page.getByLabel('Author').fill('Nightingale');
      await page.getByLabel('Year').fill('2000-2099');
      await page.getByRole('button', { name: 'Search', exact: true }).last().click();
      await page.waitForURL(/author=Nightingale/);
      expect(new URL(page.url()).searchParams.get('year')).toBe('2000-2099');
      // The letters (same author, 1902) fall outside the years; and their only holding is for signed-in readers.
      expect(await page.locator('ol.results h3').allInnerTexts()).toEqual(['Dawn Chorus at Wicken Fen']);

      // Facet on, facet off, sort and paging stay in the URL.
      await page.goto(`${svc.url}/search?q=birdsong`);
      await page.locator('aside.facets section', { hasText: 'Availability' }).getByRole('link', { name: /^Available now/ }).click();
      await page.waitForURL(/available=true/);
      expect(await page.locator('ol.results > li').count()).toBe(2);
      await page.getByRole('link', { name: /Availability: Available now/ }).click();
      await page.waitForURL((u) => !u.searchParams.has('available'));
      await page.getByRole('navigation', { name: 'Sort results' }).getByRole('link', { name: 'Newest first' }).click();
      await page.waitForURL(/sort=-year/);
      expect(await page.locator('ol.results h3').allInnerTexts()).toEqual(['Dawn Chorus at Wicken Fen', 'Songbirds of the Marsh', 'Birdsong in Winter']);

      await page.getByRole('link', { name: 'Birdsong in Winter' }).click();
      await page.waitForURL(`**/records/${ids.winter}`);
      const copies = page.getByRole('table');
      const text = await copies.innerText();
      expect(text).toMatch(/\d{10}/);
      expect(text).toContain('Central Branch');
      expect(text).toContain('Two Week Loan');
      expect(text).toContain('Available');
      expect(text).toContain('Out of circulation');
      expect(await page.locator('dl.details').innerText()).toContain('978-0262033848');

      await page.goto(`${svc.url}/records/${ids.chorus}`);
      expect(await page.locator('audio').getAttribute('src')).toMatch(/\/api\/v1\/files\/.+\/content$/);
    });
  });

  it('signs in with a local account without JavaScript, then shows the holdings for signed-in readers', async () => {
    await withPage({ javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/records/${ids.letters}`);
      expect(await page.locator('.notice.lock').innerText()).toContain('for signed-in readers only');
      await page.locator('.notice.lock').getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(/\/sign-in\?returnTo=/);

      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('alert').innerText()).toContain('Wrong username or password');

      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`**/records/${ids.letters}`);
      expect(await page.locator('.site-nav').innerText()).toContain('Signed in as admin');
      expect(await page.locator('audio').count()).toBe(1);
      expect(await page.locator('.notice.lock').count()).toBe(0);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${svc.url}/`);
      expect(await page.locator('.site-nav').innerText()).toContain('Sign in');
    });
  });

  it('refuses a form posted from another site and answers unknown pages with the 404 page', async () => {
    const forged = await svc.api('POST', '/sign-in', { headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=x' });
    expect(forged.status).toBe(403);
    const page404 = await svc.api('GET', '/no-such-page', { headers: { accept: 'text/html' } });
    expect(page404.status).toBe(404);
    expect(await page404.text()).toContain('Page not found');
    const api404 = await svc.api('GET', '/api/v1/no-such-route');
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toContain('application/problem+json');
    const html = await (await svc.api('GET', '/')).text();
    const asset = /href="(\/_astro\/[^"]+\.css)"/.exec(html)![1]!;
    const css = await svc.api('GET', asset);
    expect(css.status).toBe(200);
    expect(css.headers.get('cache-control')).toContain('immutable');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script: the CSP allows none
  });

  it('offers "Sign in with your library account" when single sign-on is configured', async () => {
    const sso = await startTestService({}, { env: { PUBLIC_URL: 'http://127.0.0.1:9', OIDC_ISSUER: 'http://127.0.0.1:9/realms/library', OIDC_CLIENT_ID: 'shelfmark' } });
    try {
      const html = await (await sso.api('GET', `/sign-in?returnTo=${encodeURIComponent(`/records/${ids.chorus}`)}`)).text();
      expect(html).toContain(`href="/auth/oidc/login?returnTo=${encodeURIComponent(`/records/${ids.chorus}`)}"`);
      expect(html).toContain('Sign in with your library account');
      expect(html).toContain('or with a Shelfmark account'); // local accounts stay on beside it by default
    } finally {
      await sso.close();
    }
    // The default service has no single sign-on: the password form only.
    const local = await (await svc.api('GET', '/sign-in')).text();
    expect(local).not.toContain('/auth/oidc/login');
    expect(local).toContain('type="password"');
  });

  it('has no serious or critical axe violations on the home, search, record and sign-in pages', async () => {
    const pages = {
      home: '/',
      search: '/search?q=birdsong&subject=Birdsong',
      'search-advanced': '/search?advanced=1&year=abc',
      record: `/records/${ids.chorus}`,
      'record-copies': `/records/${ids.winter}`,
      'sign-in': '/sign-in',
      'not-found': '/no-such-page',
    };
    const found: Record<string, unknown> = {};
    await withPage({ bypassCSP: true }, async (page) => {
      for (const [name, p] of Object.entries(pages)) {
        await page.goto(`${svc.url}${p}`);
        const violations = await seriousAxeViolations(page);
        if (violations.length) found[name] = violations;
      }
    });
    expect(found).toEqual({});
  });

  it('looks right at 390 px and 1280 px (screenshots in tests/e2e/artifacts)', async () => {
    const pages = {
      home: '/', search: '/search?q=birdsong', 'search-error': '/search?advanced=1&year=abc', record: `/records/${ids.chorus}`,
      copies: `/records/${ids.winter}`, restricted: `/records/${ids.letters}`, 'sign-in': '/sign-in', 'not-found': '/no-such-page',
    };
    for (const width of [390, 1280]) {
      await withPage({ width }, async (page) => {
        for (const [name, p] of Object.entries(pages)) {
          await page.goto(`${svc.url}${p}`, { waitUntil: 'networkidle' });
          // Nothing may scroll sideways on a phone.
          const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
          expect(scrollWidth, `${name} at ${width}px`).toBeLessThanOrEqual(width);
          await screenshot(page, `${name}-${width}`);
        }
      });
    }
    // The print stylesheet: the record without the site's furniture.
    await withPage({ width: 1280 }, async (page) => {
      await page.emulateMedia({ media: 'print' });
      await page.goto(`${svc.url}/records/${ids.winter}`, { waitUntil: 'networkidle' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.getByRole('table').isVisible()).toBe(true);
      await screenshot(page, 'copies-print');
    });
  });
});
