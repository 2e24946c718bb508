import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startTestService, type TestService } from '../support/test-service.ts';
import { adminPosted, inNewContext, type ContextOptions } from './seed.ts';
import { chromiumPresent, launchChromium, screenshot, seriousAxeViolations, warnIfNoChromium } from './browser.ts';

// The staff workspace end to end in Debian Chromium against a real service: the catalogue editor
// (ISBN check, suggested call number), the circulation desk under the ALS preset (loan limit 2,
// refusal in plain words, override with a reason, book-drop return), patrons and the policy editor.

warnIfNoChromium();

let svc: TestService;
let browser: Browser;
const LIBRARIAN = { username: 'desk-librarian', password: 'librarian-password-1' };
const READER = { username: 'plain-reader', password: 'reader-password-1' };
const ADMIN = { username: 'admin', password: ADMIN_PASSWORD };
const fixtures = { recordId: '', copies: [] as Array<{ id: string; callNumber: string; accessionNumber: string }>, patron: { id: '', membershipId: '' }, other: { membershipId: '' } };

const created = <T = { id: string }>(p: string, json: unknown) => adminPosted<T>(svc, p, json);

beforeAll(async () => {
  if (!chromiumPresent) return;
  // The real clock: the browser drops a session cookie whose expiry lies in the fixed test clock's past.
  [svc, browser] = await Promise.all([startTestService({}, { clock: () => new Date() }), launchChromium()]);
  await created('/api/v1/users', { ...LIBRARIAN, roles: ['librarian'] });
  await created('/api/v1/users', { ...READER, roles: ['patron'] });
  fixtures.recordId = (await created('/api/v1/records', {
    title: 'Principles of Library Circulation', authors: ['Lim, Joan'], publisher: 'Fenland Press', year: 2011, isbn: '9780262033848',
    subjects: ['Libraries'], mediaType: 'Book', language: 'eng',
  })).id;
  for (let i = 0; i < 4; i++) {
    fixtures.copies.push(await created(`/api/v1/records/${fixtures.recordId}/items`, { loanCategory: 'two-week', location: 'Central Branch', floor: '2', replacementCostCents: 3000 }));
  }
  fixtures.patron = await created('/api/v1/patrons', { name: 'Tan, Jia Yu', faculty: 'Computing', phone: '(416) 555-0199', email: 'tan@example.edu', address: '12 Kent Ridge Road, Singapore' });
  fixtures.other = await created('/api/v1/patrons', { name: 'Li Thales, Simon', faculty: 'Science', phone: '81093487' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await svc?.close();
});

function withPage<T>(opts: ContextOptions & { as?: { username: string; password: string } | null }, fn: (page: Page, ctx: BrowserContext) => Promise<T>): Promise<T> {
  return inNewContext(browser, opts, async (page, ctx) => {
    if (opts.as) await signIn(page, opts.as);
    return fn(page, ctx);
  });
}

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.goto(`${svc.url}/sign-in?returnTo=%2Fstaff`);
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname !== '/sign-in');
}

/** Console messages about the Content-Security-Policy: the workspace must never trip the site's policy. */
function cspReports(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text()); });
  return seen;
}

const alertText = (page: Page) => page.getByRole('alert').first().innerText();

describe.skipIf(!chromiumPresent)('staff workspace', () => {
  it('asks anonymous visitors to sign in and turns away readers without a staff role', async () => {
    const anonymous = await svc.api('GET', '/staff/desk', { headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(401);
    const html = await anonymous.text();
    expect(html).toContain('Sign in to use the staff workspace');
    expect(html).toContain('href="/sign-in?returnTo=%2Fstaff%2Fdesk"');
    // A form posted without a session changes nothing.
    const posted = await svc.api('POST', '/staff/desk', { headers: { origin: svc.url, 'content-type': 'application/x-www-form-urlencoded' }, body: `action=checkout&patron=${fixtures.patron.membershipId}&copy=${fixtures.copies[0]!.callNumber}` });
    expect(posted.status).toBe(401);

    await withPage({ as: READER, javaScriptEnabled: false }, async (page) => {
      const res = await page.goto(`${svc.url}/staff/patrons`);
      expect(res!.status()).toBe(403);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This page is for library staff');
      expect(await page.locator('.site-nav').innerText()).not.toContain('Staff');
    });
    await withPage({ as: LIBRARIAN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff`);
      const tools = await page.getByRole('navigation', { name: 'Staff workspace' }).innerText();
      for (const t of ['Circulation desk', 'Catalogue', 'Patrons', 'Policy', 'Uploads', 'Reports']) expect(tools).toContain(t);
      expect(tools).not.toContain('Usage'); // supervisors only
    });
  });

  it('a librarian adds a book: an invalid ISBN is refused next to the field, then it is saved with the suggested call number on its copy', async () => {
    await withPage({ as: LIBRARIAN }, async (page) => {
      const csp = cspReports(page);
      await page.goto(`${svc.url}/staff/records/new`);
      const suggested = await page.getByLabel('Call number').inputValue();
      expect(suggested).toMatch(/^\d{10}$/);
      const next = await (await svc.api('GET', '/api/v1/items/next-call-number', { token: svc.adminToken })).json();
      expect(suggested).toBe(next.callNumber);

      await page.getByLabel('Title').fill('Cataloguing for Beginners');
      await page.getByLabel('Authors').fill('Reed, Warbler');
      await page.getByLabel('Publisher').fill('Country Books');
      await page.getByLabel('Year').fill('2019');
      await page.getByLabel('Subjects').fill('Cataloging\nLibraries');
      await page.getByLabel(/^Floor/).fill('3');
      await page.getByLabel('Replacement cost ($)').fill('24.95');
      // While typing: the check digit is judged in the browser with the API's own function.
      const isbn = page.getByRole('textbox', { name: 'ISBN' });
      await isbn.pressSequentially('9780262033847', { delay: 10 });
      await expect.poll(() => page.locator('#isbn-live').innerText()).toContain('The check digit should be 8, not 7.');
      expect(await isbn.getAttribute('aria-invalid')).toBe('true');

      // On save the server refuses it too, next to the field and in the summary.
      await page.getByRole('button', { name: 'Save the record' }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('The ISBN is not valid.');
      expect(await page.locator('#isbn-error').innerText()).toContain('The check digit should be 8, not 7.');
      expect(await page.getByRole('textbox', { name: 'ISBN' }).getAttribute('aria-describedby')).toContain('isbn-error');
      expect(await page.getByLabel('Title').inputValue()).toBe('Cataloguing for Beginners'); // nothing typed is lost

      await page.getByRole('textbox', { name: 'ISBN' }).fill('978-0-262-03384-8');
      await expect.poll(() => page.locator('#isbn-live').innerText()).toContain('Valid ISBN');
      await page.getByRole('button', { name: 'Save the record' }).click();
      await page.waitForURL(/\/staff\/records\/[0-9a-f-]{36}\/edit\?done=created/);
      expect(await page.getByRole('status').innerText()).toContain(`Its copy has call number ${suggested}.`);
      const copies = await page.getByRole('table').innerText();
      expect(copies).toContain(suggested);
      expect(copies).toContain('$24.95');
      expect(await page.getByRole('textbox', { name: 'ISBN' }).getAttribute('readonly')).not.toBeNull();
      expect(csp).toEqual([]);

      // Edit the copy: another floor, and out of circulation.
      await page.getByRole('link', { name: `Edit copy ${suggested}` }).click();
      await page.waitForURL(/\?copy=/);
      await page.locator('#edit-floor').fill('4');
      await page.locator('#edit-status').selectOption('out-of-circulation');
      await page.getByRole('button', { name: 'Save the copy' }).click();
      await page.waitForURL(/done=copy-saved/);
      expect(await page.getByRole('table').innerText()).toContain('Out of circulation');

      const recordId = /\/staff\/records\/([0-9a-f-]{36})\//.exec(page.url())![1]!;
      const record = await (await svc.api('GET', `/api/v1/records/${recordId}`)).json();
      expect(record).toMatchObject({ title: 'Cataloguing for Beginners', isbn: '9780262033848', subjects: ['Cataloging', 'Libraries'] });
      expect(record.items).toHaveLength(1);
      expect(record.items[0]).toMatchObject({ callNumber: suggested, floor: '4', replacementCostCents: 2495, status: 'out-of-circulation' });
    });
  });

  it('the desk refuses a checkout over the ALS loan limit with the rule\'s reason, an override with a reason succeeds, and a book-drop return (without JavaScript)', async () => {
    // A supervisor (the admin) applies the ALS preset on the policy page: two books per member.
    await withPage({ as: ADMIN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/policy`);
      await page.getByRole('button', { name: /Apply ALS/ }).click();
      await page.waitForURL(/done=preset/);
      expect(await page.getByRole('status').innerText()).toContain('The preset is now in force.');
      expect(await page.getByLabel('Max books on loan').first().inputValue()).toBe('2');
    });
    const [c1, c2, c3] = fixtures.copies as [typeof fixtures.copies[0], typeof fixtures.copies[0], typeof fixtures.copies[0]];
    const member = fixtures.patron.membershipId;

    await withPage({ as: LIBRARIAN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/desk`);
      const checkOut = async (copy: string) => {
        await page.getByLabel('Membership id').first().fill(member);
        await page.getByLabel('Copy', { exact: true }).fill(copy);
        await page.getByRole('button', { name: 'Check out', exact: true }).click();
        await page.waitForLoadState();
      };
      await checkOut(c1.callNumber);
      expect(await page.getByRole('status').innerText()).toContain(`Checked out. “Principles of Library Circulation” (call number ${c1.callNumber}) is due back on`);
      await checkOut(c2.accessionNumber); // by accession number (seed 003)
      expect(await page.getByRole('status').innerText()).toContain(`call number ${c2.callNumber}`);

      await checkOut(c3.callNumber);
      const refusal = await alertText(page);
      expect(refusal).toContain('The patron has reached the number of books they may borrow at one time.');
      expect(refusal).toContain('This would make 3 loans; this patron may have 2 at a time.');
      // The reason is required.
      await page.getByRole('button', { name: 'Override and check out' }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('Say why you are overriding');
      await page.getByLabel('Reason for the override').fill('Thesis submission this week; supervisor agreed');
      await page.getByRole('button', { name: 'Override and check out' }).click();
      await page.waitForURL(/done=checkout/);
      expect(await page.getByRole('status').innerText()).toContain(`call number ${c3.callNumber}`);
      const loans = page.getByRole('table', { name: /Books on loan to/ });
      expect(await loans.locator('tbody tr').count()).toBe(3);
      expect(await page.locator('.desk-patron').innerText()).toContain('$0.00');

      // ALS has no renewals: the refusal says so, with no override.
      await loans.getByRole('button', { name: /^Renew/ }).first().click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('This library does not renew loans.');
      expect(await page.getByRole('button', { name: /^Override/ }).count()).toBe(0);

      // A copy already on loan is never overridable: no override form is offered.
      await page.getByLabel('Membership id').first().fill(fixtures.other.membershipId);
      await page.getByLabel('Copy', { exact: true }).fill(c1.callNumber);
      await page.getByRole('button', { name: 'Check out', exact: true }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('This copy is already on loan to someone.');
      expect(await page.getByRole('button', { name: 'Override and check out' }).count()).toBe(0);

      // Return the first copy from the book drop, dated today.
      const today = new Date().toISOString().slice(0, 10);
      await page.getByLabel('Copy to return').fill(c1.accessionNumber);
      await page.getByLabel(/Book-drop date/).fill(today);
      await page.getByRole('button', { name: 'Return', exact: true }).click();
      await page.waitForURL(/done=return/);
      expect(await page.getByRole('status').innerText()).toMatch(/Returned\. “Principles of Library Circulation” \(call number \d{10}\) was checked in as of .* No fine\./);
      expect(await page.getByRole('table', { name: /Books on loan to/ }).locator('tbody tr').count()).toBe(2);
      // Returning it again says it is not on loan.
      await page.getByLabel('Copy to return').fill(c1.callNumber);
      await page.getByRole('button', { name: 'Return', exact: true }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('This copy is not on loan');

      // An overdue return charges the ALS fine ($1.00 a day); the desk takes the payment, in full only.
      const loanedAt = new Date(Date.now() - 20 * 86_400_000).toISOString();
      const lent = await svc.api('POST', '/api/v1/loans', { token: svc.adminToken, json: { callNumber: c1.callNumber, patronId: fixtures.other.membershipId, loanedAt } });
      expect(lent.status).toBe(201);
      await page.getByLabel('Copy to return').fill(c1.callNumber);
      await page.getByRole('button', { name: 'Return', exact: true }).click();
      await page.waitForURL(/done=return/);
      expect(await page.getByRole('status').innerText()).toContain('A late fine of $6.00 was charged.');
      expect(await page.locator('.desk-patron').innerText()).toContain('Fines block borrowing');
      expect(await page.getByLabel('Amount paid ($)').inputValue()).toBe('6.00');
      await page.getByLabel('Amount paid ($)').fill('4');
      await page.getByRole('button', { name: 'Record the payment' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#pay-amount-error').innerText()).toContain('Fines must be paid in full: exactly $6.00, not $4.00.');
      await page.getByLabel('Amount paid ($)').fill('6.00');
      await page.getByLabel('Paid by').selectOption('card');
      await page.getByRole('button', { name: 'Record the payment' }).click();
      await page.waitForURL(/done=pay/);
      expect(await page.getByRole('status').innerText()).toContain('Payment recorded. Li Thales, Simon now owes $0.00.');

      // Another member reserves a copy on loan; its return tells the desk to keep it for them.
      const held = await svc.api('POST', '/api/v1/holds', { token: svc.adminToken, json: { callNumber: c2.callNumber, patronId: fixtures.other.membershipId } });
      expect(held.status).toBe(201);
      await page.goto(`${svc.url}/staff/desk?patron=${member}`);
      await page.getByRole('table', { name: /Books on loan to/ }).locator('tr', { hasText: c2.callNumber }).getByRole('button', { name: /^Return/ }).click();
      await page.waitForURL(/done=return/);
      expect(await page.getByRole('status').innerText()).toMatch(new RegExp(`Put it on the hold shelf: it is reserved for Li Thales, Simon \\(${fixtures.other.membershipId}\\), who has been notified`));
      await checkOut(c1.callNumber);
      expect(await page.getByRole('status').innerText()).toContain(`call number ${c1.callNumber}`);

      // Reserve a copy on loan for a member at the desk, then cancel the hold.
      await page.goto(`${svc.url}/staff/desk?patron=${fixtures.other.membershipId}`);
      expect(await page.locator('.desk-holds').innerText()).toContain('ready to collect until');
      await page.getByLabel('Reserve a copy').fill(c1.callNumber);
      await page.getByRole('button', { name: 'Reserve', exact: true }).click();
      await page.waitForURL(/done=hold/);
      expect(await page.getByRole('status').innerText()).toContain(`Reserved. “Principles of Library Circulation” (call number ${c1.callNumber}) is on loan; the patron will be notified when it comes back.`);
      await page.getByRole('button', { name: /^Cancel the hold on/ }).last().click();
      await page.waitForURL(/done=hold-cancelled/);
      expect(await page.getByRole('status').innerText()).toContain('Hold cancelled.');
      expect(await page.locator('.desk-holds li').count()).toBe(1);

      // The catalogue checks circulation before a withdrawal or a deletion, and says why in plain words.
      // Staff reach the editor from the public record page.
      await page.goto(`${svc.url}/records/${fixtures.recordId}`);
      await page.getByRole('link', { name: 'Edit this record' }).click();
      await page.waitForURL(`${svc.url}/staff/records/${fixtures.recordId}/edit`);
      await page.getByRole('link', { name: `Withdraw copy ${c3.callNumber}` }).click();
      await page.getByLabel('Reason').first().fill('Damaged');
      await page.getByRole('button', { name: `Withdraw copy ${c3.callNumber}` }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('This copy is on loan, so it cannot be withdrawn.');
      await page.getByLabel(/Yes, delete/).check();
      await page.getByRole('button', { name: 'Delete the record' }).click();
      await page.waitForLoadState();
      const refused = await alertText(page);
      expect(refused).toContain('A copy of this record is on loan, so the record cannot be deleted.');
      expect(refused).toMatch(/Copy \d{10} must be returned before the record can be deleted\./);
    });

    const override = await svc.deps.orm.em.fork().getConnection().execute(`select action, codes, reason from circulation_overrides`);
    expect(override).toHaveLength(1);
    expect(override[0]).toMatchObject({ action: 'checkout', reason: 'Thesis submission this week; supervisor agreed' });
    const open = await (await svc.api('GET', `/api/v1/patrons/${member}/loans`, { token: svc.adminToken })).json();
    expect(open.items).toHaveLength(2);
  });

  it('finds patrons by name, phone in any format and membership id, and refuses to delete one with loans in plain words', async () => {
    await withPage({ as: LIBRARIAN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/patrons`);
      await page.getByLabel(/^Name/).fill('tan');
      await page.getByRole('button', { name: 'Find patrons' }).click();
      await page.waitForURL(/name=tan/);
      let rows = page.getByRole('table').locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(fixtures.patron.membershipId);
      // Max books / Max fine are for supervisors: the API leaves them out for a librarian.
      expect((await page.getByRole('table').innerText()).toLowerCase()).not.toContain('max books');

      await page.goto(`${svc.url}/staff/patrons?phone=${encodeURIComponent('416-555-0199')}`);
      rows = page.getByRole('table').locator('tbody tr');
      expect(await rows.count()).toBe(1);
      await page.goto(`${svc.url}/staff/patrons?membershipId=${fixtures.other.membershipId}`);
      expect(await page.getByRole('table').innerText()).toContain('Li Thales, Simon');
      await page.getByRole('link', { name: 'With books on loan' }).click();
      await page.waitForURL(/hasLoans=true/);
      expect(await page.getByRole('table').innerText()).toContain('Tan, Jia Yu');
      expect(await page.getByRole('table').innerText()).not.toContain('Li Thales, Simon');
      await page.goto(`${svc.url}/staff/patrons?q=nobody-like-this`);
      expect(await page.locator('main').innerText()).toContain('No patron matches');

      await page.goto(`${svc.url}/staff/patrons?q=tan`);
      await page.getByRole('link', { name: 'Tan, Jia Yu', exact: true }).click();
      await page.waitForURL(`**/staff/patrons/${fixtures.patron.membershipId}`);
      await page.getByLabel(/Yes, delete the membership/).check();
      await page.getByRole('button', { name: 'Delete the membership' }).click();
      await page.waitForLoadState();
      const refusal = await alertText(page);
      expect(refusal).toContain('The patron still has books on loan, so the membership cannot be deleted.');
      expect(refusal).toContain('2 loan(s) must be returned');

      // Edit: the name changes, the membership id does not.
      await page.getByLabel('Faculty').fill('Engineering');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForURL(/done=saved/);
      expect(await page.getByLabel('Faculty').inputValue()).toBe('Engineering');
      expect(await page.locator('.staff-lead').innerText()).toContain(fixtures.patron.membershipId);
    });
    // A supervisor adds a patron with their own limit, and sees Max books in the list.
    await withPage({ as: ADMIN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/patrons/new`);
      await page.getByRole('button', { name: 'Add the patron' }).click();
      await page.waitForLoadState();
      expect(await page.locator('#name-error').innerText()).toContain('Enter the patron\'s name');
      await page.getByLabel(/^Name/).fill('Yu, Tan Jia');
      await page.getByLabel('Phone').fill('92054981');
      await page.getByLabel('Max books').fill('1');
      await page.getByRole('button', { name: 'Add the patron' }).click();
      await page.waitForURL(/\/staff\/patrons\/M\d+[A-Z]\?done=created/);
      expect(await page.getByRole('status').innerText()).toMatch(/Patron added with membership id M\d+[A-Z]\./);
      await page.goto(`${svc.url}/staff/patrons?phone=92054981`);
      expect(await page.getByRole('table').innerText()).toMatch(/max books[\s\S]*\b1\b/i);
    });
  });

  it('the policy editor shows validation errors per field and saves a new version', async () => {
    await withPage({ as: ADMIN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/policy`);
      await page.getByLabel('Days to collect a hold').fill('0');
      await page.getByLabel('Fine per day ($)').first().fill('2.50');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.waitForLoadState();
      expect(await alertText(page)).toContain('Days to collect a hold: Enter a whole number from 1 to 60.');
      expect(await page.getByLabel('Days to collect a hold').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Fine per day ($)').first().inputValue()).toBe('2.50');
      await page.getByLabel('Days to collect a hold').fill('5');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.waitForURL(/done=saved/);
      const policy = await (await svc.api('GET', '/api/v1/policy')).json();
      expect(policy).toMatchObject({ holdPickupDays: 5, preset: null, loanCategories: { 'standard-loan': { finePerDayCents: 250 } } });
      expect(await page.getByRole('table', { name: /Every version/ }).locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    });
    // A librarian reads the rules but gets no editor.
    await withPage({ as: LIBRARIAN, javaScriptEnabled: false }, async (page) => {
      await page.goto(`${svc.url}/staff/policy`);
      expect(await page.locator('main').innerText()).toContain('Supervisors change the policy.');
      expect(await page.getByRole('button', { name: 'Save as a new version' }).count()).toBe(0);
    });
  });

  const templates = () => ({
    'staff-home': '/staff',
    'staff-desk': `/staff/desk?patron=${fixtures.patron.membershipId}`,
    'staff-records': '/staff/records?q=circulation',
    'staff-record-new': '/staff/records/new',
    'staff-record-edit': `/staff/records/${fixtures.recordId}/edit`,
    'staff-record-copy-edit': `/staff/records/${fixtures.recordId}/edit?copy=${fixtures.copies[1]!.id}`,
    'staff-patrons': '/staff/patrons?q=tan',
    'staff-patron-new': '/staff/patrons/new',
    'staff-patron': `/staff/patrons/${fixtures.patron.membershipId}`,
    'staff-policy': '/staff/policy',
  });

  it('has no serious or critical axe violations on any staff page, with and without errors shown', async () => {
    const found: Record<string, unknown> = {};
    const check = async (page: Page, name: string) => {
      const violations = await seriousAxeViolations(page);
      if (violations.length) found[name] = violations;
    };
    await withPage({ as: ADMIN, bypassCSP: true }, async (page) => {
      for (const [name, p] of Object.entries(templates())) {
        await page.goto(`${svc.url}${p}`);
        await check(page, name);
      }
      // Error states: a refused checkout with its override form, a record form with errors, policy errors.
      await page.goto(`${svc.url}/staff/desk`);
      await page.getByLabel('Membership id').first().fill(fixtures.patron.membershipId);
      await page.getByLabel('Copy', { exact: true }).fill(fixtures.copies[3]!.callNumber);
      await page.getByRole('button', { name: 'Check out', exact: true }).click();
      await page.waitForLoadState();
      expect(await page.getByRole('button', { name: 'Override and check out' }).count()).toBe(1);
      await check(page, 'desk-refusal');
      await page.goto(`${svc.url}/staff/records/new`);
      await page.getByRole('button', { name: 'Save the record' }).click();
      await page.waitForLoadState();
      await check(page, 'record-errors');
      await page.goto(`${svc.url}/staff/policy`);
      await page.getByLabel('Days to collect a hold').fill('x');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      await page.waitForLoadState();
      await check(page, 'policy-errors');
    });
    await withPage({ as: READER, bypassCSP: true }, async (page) => {
      await page.goto(`${svc.url}/staff`);
      await check(page, 'staff-forbidden');
    });
    expect(found).toEqual({});
  });

  it('looks right at 390 px and 1280 px (screenshots in tests/e2e/artifacts)', async () => {
    for (const width of [390, 1280]) {
      await withPage({ as: ADMIN, width }, async (page) => {
        for (const [name, p] of Object.entries(templates())) {
          await page.goto(`${svc.url}${p}`, { waitUntil: 'networkidle' });
          const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth);
          expect(scrollWidth, `${name} at ${width}px`).toBeLessThanOrEqual(width);
          await screenshot(page, `${name}-${width}`);
        }
        await page.goto(`${svc.url}/staff/desk`);
        await page.getByLabel('Membership id').first().fill(fixtures.patron.membershipId);
        await page.getByLabel('Copy', { exact: true }).fill(fixtures.copies[3]!.callNumber);
        await page.getByRole('button', { name: 'Check out', exact: true }).click();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `staff-desk-refusal-${width}`);
      });
      await withPage({ width }, async (page) => {
        await page.goto(`${svc.url}/staff`, { waitUntil: 'networkidle' });
        await screenshot(page, `staff-sign-in-needed-${width}`);
      });
    }
  });
});
