import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/test-service.ts';
import { FIXTURES, fixturesPresent, minimalPdf, wavBytes, elfHeader, warnIfNoFixtures } from '../../services/api/modules/files/test-inputs.ts';

let svc: TestService;
let recordId: string;
beforeAll(async () => {
  svc = await startTestService({ uploadMaxBytes: 5 * 1024 * 1024 });
  recordId = (await (await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { title: 'Holdings', authors: ['Keeper, A'] } })).json()).id;
});
afterAll(async () => { await svc?.close(); });

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function upload(bytes: Buffer, name: string, fields: Record<string, string> = {}, token: string | null = svc.adminToken) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('file', new Blob([new Uint8Array(bytes)]), name);
  return svc.api('POST', `/api/v1/records/${recordId}/files`, { token, body: form });
}

async function processed(id: string) {
  await svc.worker?.drain();
  if (!svc.worker) {
    const { workerFor } = await import('../../services/api/service.ts');
    await workerFor(svc.deps).drain();
  }
  return (await svc.api('GET', `/api/v1/files/${id}`, { token: svc.adminToken })).json();
}

/** Everything the store holds and every temp file: the "nothing left behind" check. */
async function leftovers() {
  const conn = svc.deps.orm.em.fork().getConnection();
  const rows = await conn.execute<Array<{ storage_key: string }>>(`select storage_key from files`);
  const blobs: string[] = [];
  for await (const k of svc.deps.blobs.list('originals/')) blobs.push(k);
  const tmp = existsSync(svc.deps.config.tmpDir) ? readdirSync(svc.deps.config.tmpDir) : [];
  const intents = await conn.execute<Array<{ n: number }>>(`select count(*)::int as n from blob_intents`);
  return { keys: rows.map((r: { storage_key: string }) => r.storage_key).sort(), blobs: blobs.sort(), tmp, intents: intents[0]!.n };
}

describe('upload', () => {
  it('stores a PDF, returns its SHA-256, then extracts its text and page count', async () => {
    const pdf = minimalPdf(['Shelfmark keeps the words of a book', 'Second page']);
    const res = await upload(pdf, 'report.pdf', { access: 'public' });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ sha256: sha256(pdf), size: pdf.length, mediaType: 'application/pdf', status: 'processing' });
    const done = await processed(body.id);
    expect(done.status).toBe('ready');
    expect(done.derivatives.pageCount).toBe(2);
    const text = await (await svc.api('GET', `/api/v1/files/${body.id}/text`)).text();
    expect(text).toContain('Shelfmark keeps the words of a book');
    // Page 1 drawn by pdf.js, as the WebP thumbnail (the upload page and results show it).
    expect(done.derivatives.thumbnail).toBeTruthy();
    const thumb = await svc.api('GET', `/api/v1/files/${body.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.height!).toBeGreaterThan(meta.width!); // a portrait page
  });

  it('makes a WebP thumbnail for a JPEG', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3a6' } }).jpeg().toBuffer();
    const body = await (await upload(jpeg, 'cover.jpg')).json();
    const done = await processed(body.id);
    expect(done.status).toBe('ready');
    const thumb = await svc.api('GET', `/api/v1/files/${body.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width).toBeLessThanOrEqual(320);
  });

  it('refuses an executable renamed book.pdf with 415 and leaves no row, blob or temp file', async () => {
    const before = await leftovers();
    const res = await upload(Buffer.concat([elfHeader(), Buffer.alloc(4096, 7)]), 'book.pdf');
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()).code).toBe('unsupported-media-type');
    expect(await leftovers()).toEqual(before);
  });

  it('keeps the client file name as metadata only: ../../etc/passwd is harmless', async () => {
    const wav = wavBytes({ seconds: 0.2 });
    const body = await (await upload(wav, '../../etc/passwd')).json();
    expect(body.originalName).toBe('passwd');
    expect(body.mediaType).toBe('audio/wav');
    const got = await svc.deps.orm.em.fork().getConnection().execute<Array<{ storage_key: string }>>(`select storage_key from files where id = ?`, [body.id]);
    expect(got[0]!.storage_key).toBe(`originals/${body.sha256.slice(0, 2)}/${body.sha256.slice(2, 4)}/${body.sha256}`);
    expect(existsSync('/etc/passwd.pdf')).toBe(false);
  });

  it('refuses a file over the size limit with 413 and leaves nothing behind', async () => {
    const before = await leftovers();
    const big = Buffer.concat([minimalPdf(['x']), Buffer.alloc(6 * 1024 * 1024, 1)]);
    const res = await upload(big, 'big.pdf');
    expect(res.status).toBe(413);
    expect((await res.json()).code).toBe('file-too-large');
    expect(await leftovers()).toEqual(before);
  });

  it('refuses anonymous and patron uploads and uploads to an unknown record', async () => {
    expect((await upload(minimalPdf(['x']), 'a.pdf', {}, null)).status).toBe(401);
    const res = await svc.api('POST', `/api/v1/records/00000000-0000-0000-0000-000000000000/files`, { token: svc.adminToken, body: new FormData() });
    expect(res.status).toBe(404);
  });

  it('validates the access fields and stores nothing on error', async () => {
    const before = await leftovers();
    const res = await upload(minimalPdf(['x']), 'a.pdf', { access: 'embargoed' });
    expect(res.status).toBe(422);
    expect(await leftovers()).toEqual(before);
  });

  it('treats the empty fields an HTML form sends as not given', async () => {
    const res = await upload(minimalPdf(['form']), 'form.pdf', { access: 'signed-in', embargoUntil: '', accessGroup: '', lendableCopies: '', tags: '' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ access: 'signed-in', embargoUntil: null, accessGroup: null, lendableCopies: null });
    expect((await upload(minimalPdf(['form']), 'e.pdf', { access: 'embargoed', embargoUntil: ' ' })).status).toBe(422);
  });
});

describe('streaming', () => {
  let id: string;
  let bytes: Buffer;
  beforeAll(async () => {
    bytes = Buffer.concat([minimalPdf(['range me']), Buffer.from('%% padding '.repeat(1000))]);
    id = (await (await upload(bytes, 'Čapek.pdf')).json()).id;
  });

  it('a 2-byte range request gets 206 with exactly those bytes', async () => {
    const res = await svc.api('GET', `/api/v1/files/${id}/content`, { headers: { range: 'bytes=0-1' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-1/${bytes.length}`);
    expect(res.headers.get('content-length')).toBe('2');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(0, 2));
  });

  it('serves the whole file with type, length, disposition, ETag and protective headers', async () => {
    const res = await svc.api('GET', `/api/v1/files/${id}/content`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="_apek.pdf"; filename*=UTF-8''%C4%8Capek.pdf`);
    expect(res.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('last-modified')).toBeTruthy();
  });

  it('answers HEAD with the status and headers of GET and no body (whole file and range)', async () => {
    const whole = await svc.api('HEAD', `/api/v1/files/${id}/content`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(bytes.length));
    expect(whole.headers.get('content-type')).toBe('application/pdf');
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    const part = await svc.api('HEAD', `/api/v1/files/${id}/content`, { headers: { range: 'bytes=0-1' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-1/${bytes.length}`);
    expect((await part.arrayBuffer()).byteLength).toBe(0);
  });

  it('answers If-None-Match with 304 and an unsatisfiable range with 416', async () => {
    const etag = `"${sha256(bytes)}"`;
    expect((await svc.api('GET', `/api/v1/files/${id}/content`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const r416 = await svc.api('GET', `/api/v1/files/${id}/content`, { headers: { range: `bytes=${bytes.length}-` } });
    expect(r416.status).toBe(416);
    expect(r416.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  });

  it('a stale If-Range gets the whole file, a matching one the range', async () => {
    const stale = await svc.api('GET', `/api/v1/files/${id}/content`, { headers: { range: 'bytes=0-1', 'if-range': '"other"' } });
    expect(stale.status).toBe(200);
    const fresh = await svc.api('GET', `/api/v1/files/${id}/content`, { headers: { range: 'bytes=0-1', 'if-range': `"${sha256(bytes)}"` } });
    expect(fresh.status).toBe(206);
  });

  it('enforces access levels on metadata and bytes', async () => {
    const signedIn = (await (await upload(minimalPdf(['members only']), 'm.pdf', { access: 'signed-in' })).json()).id;
    const embargo = (await (await upload(minimalPdf(['later']), 'e.pdf', { access: 'embargoed', embargoUntil: '2026-06-01T00:00:00Z' })).json()).id;
    expect((await svc.api('GET', `/api/v1/files/${signedIn}/content`)).status).toBe(401);
    expect((await svc.api('GET', `/api/v1/files/${signedIn}`)).status).toBe(401);
    expect((await svc.api('GET', `/api/v1/files/${signedIn}/content`, { token: svc.adminToken })).status).toBe(200);
    expect((await svc.api('GET', `/api/v1/files/${embargo}/content`)).status).toBe(401);
    const listed = await (await svc.api('GET', `/api/v1/records/${recordId}`)).json();
    expect(listed.files.map((f: { id: string }) => f.id)).not.toContain(signedIn);
    svc.clock.set('2026-06-02T00:00:00Z');
    expect((await svc.api('GET', `/api/v1/files/${embargo}/content`)).status).toBe(200);
    svc.clock.set('2026-03-02T10:00:00Z');
  });

  it('deleting a file removes its row and blob (shared blobs stay while another row uses them)', async () => {
    const data = minimalPdf(['twice']);
    const a = (await (await upload(data, 'a.pdf')).json()).id;
    const b = (await (await upload(data, 'b.pdf')).json()).id;
    expect((await svc.api('GET', `/api/v1/files/${a}/content`)).status).toBe(200); // its row is now cached (file-row-cache.ts)
    expect((await svc.api('DELETE', `/api/v1/files/${a}`, { token: svc.adminToken })).status).toBe(204);
    // Gone at once, although its bytes stay for b: deletion forgets the cached row.
    expect((await svc.api('GET', `/api/v1/files/${a}/content`)).status).toBe(404);
    expect((await svc.api('GET', `/api/v1/files/${b}/content`)).status).toBe(200);
    expect((await svc.api('DELETE', `/api/v1/files/${b}`, { token: svc.adminToken })).status).toBe(204);
    const l = await leftovers();
    expect(l.blobs).toEqual(l.keys.filter((k: string, i: number, all: string[]) => all.indexOf(k) === i));
    expect(l.intents).toBe(0);
  });
});

describe.skipIf(!fixturesPresent)('the real-world corpus (../shared/fixtures)', () => {
  warnIfNoFixtures('files integration corpus');
  const folders = ['pdf', 'audio', 'video', 'image'];
  // Corrupt and encrypted inputs: stored, then marked failed with a reason (never a crash).
  const expectedFailed = new Set(['pdf/libreoffice-writer-password.pdf']);
  const files = fixturesPresent ? folders.flatMap((f) => readdirSync(path.join(FIXTURES, f)).filter((n) => !n.endsWith('.txt')).map((n) => `${f}/${n}`)) : [];

  it.each(files)('%s is accepted and processed, or failed with a reason', async (rel) => {
    const bytes = readFileSync(path.join(FIXTURES, rel));
    const res = await upload(bytes, path.basename(rel));
    expect(res.status).toBe(201);
    const done = await processed((await res.json()).id);
    if (expectedFailed.has(rel)) {
      expect(done.status).toBe('failed');
      expect(done.reason).toMatch(/encrypt/i);
    } else {
      expect(['ready', 'failed']).toContain(done.status);
      if (done.status === 'failed') expect(done.reason).toBeTruthy();
    }
    if (rel.startsWith('image/') || rel === 'pdf/crazyones.pdf') expect(done.derivatives.thumbnail).toBeTruthy();
    if (rel.startsWith('audio/') || rel.startsWith('video/')) expect(done.derivatives.durationSeconds).toBeGreaterThan(0);
  });

  it('the Vicksburg scan gets 6 pages and searchable text', async () => {
    const body = await (await upload(readFileSync(path.join(FIXTURES, 'pdf/Seige_of_Vicksburg_Sample_OCR.pdf')), 'vicksburg.pdf')).json();
    const done = await processed(body.id);
    expect(done.derivatives.pageCount).toBe(6);
    expect(await (await svc.api('GET', `/api/v1/files/${body.id}/text`)).text()).toMatch(/Vicksburg/);
    // Its pages are JPEG 2000, which pdf.js on the server draws blank: no thumbnail rather than a white one.
    expect(done.derivatives.thumbnail).toBeNull();
  });

  const refused = ['billionlaughs.svg', 'javascriptalert.svg', 'html.htm', 'only_js.html', 'pe32.exe', 'elf.elf', 'zbsm.zip', 'zip-slip.zip'];
  it.each(refused)('bad/%s is refused with 415 and leaves nothing', async (name) => {
    const before = await leftovers();
    const res = await upload(readFileSync(path.join(FIXTURES, 'bad', name)), name.replace(/\.\w+$/, '.pdf'));
    expect(res.status).toBe(415);
    expect(await leftovers()).toEqual(before);
  });

  it.each([
    ['xss_polyglot.gif', 'image/gif'],
    ['xss_pdf_alert.pdf', 'application/pdf'],
  ])('bad/%s is stored but served only under the protections (nosniff, CSP, never HTML)', async (name, type) => {
    const res = await upload(readFileSync(path.join(FIXTURES, 'bad', name)), name.replace(/\.\w+$/, '.html'));
    expect(res.status).toBe(201);
    const id = (await res.json()).id;
    await processed(id);
    const got = await svc.api('GET', `/api/v1/files/${id}/content`);
    expect(got.headers.get('content-type')).toBe(type);
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    if (type !== 'application/pdf') expect(got.headers.get('content-security-policy')).toMatch(/sandbox/);
  });

  it.each(['truncated.jpg', 'truncated.png'])('bad/%s is stored, then marked failed with a reason', async (name) => {
    const res = await upload(readFileSync(path.join(FIXTURES, 'bad', name)), name);
    expect(res.status).toBe(201);
    const done = await processed((await res.json()).id);
    expect(done.status).toBe('failed');
    expect(done.reason).toBeTruthy();
  });
});
