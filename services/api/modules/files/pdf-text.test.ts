import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DerivativeError } from './derivative-error.ts';
import { normaliseExtractedText, truncateUtf8 } from './normalise-extracted-text.ts';
import { extractPdfText } from './pdf-text.ts';
import type { PdfText } from './pdf-text.ts';
import type { Scratch } from './test-inputs.ts';
import { fixture, fixturesPresent, minimalPdf, scratchDir, warnIfNoFixtures } from './test-inputs.ts';

// Compare by words so line breaks, spacing, ligatures and dropped apostrophes do not matter.
const settle = (p: Promise<PdfText>) =>
  p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

const words = (s: string) => normaliseExtractedText(s).toLowerCase().match(/[\p{L}\p{N}]+/gu)?.join(' ') ?? '';

describe('normaliseExtractedText', () => {
  it('folds ligatures, drops NUL, maps controls and odd line breaks, collapses spacing', () => {
    const raw = '  The mis\uFB01ts\u0000 and\u00A0\u00A0the\tdi\uFB00erent \r\nones\f\n\n\n\nnext\u0007page \u2028 end  ';
    expect(normaliseExtractedText(raw)).toBe('The misfits and the different\nones\n\nnext page\nend');
  });

  it('replaces lone surrogates so the text is valid UTF-8', () => {
    const out = normaliseExtractedText('a\uD800b');
    expect(out).toBe('a\uFFFDb');
    expect(out.isWellFormed()).toBe(true);
  });

  it('truncateUtf8 never splits a character', () => {
    expect(truncateUtf8('héllo', 100)).toEqual({ text: 'héllo', truncated: false });
    expect(truncateUtf8('héllo', 2)).toEqual({ text: 'h', truncated: true }); // é is 2 bytes
    expect(truncateUtf8('日本語', 7)).toEqual({ text: '日本', truncated: true });
  });
});

describe('extractPdfText on generated PDFs', () => {
  let scratch: Scratch;
  beforeAll(async () => {
    scratch = await scratchDir();
  });
  afterAll(() => scratch.cleanup());

  it('reads every page of a hand-made PDF', async () => {
    const path = await scratch.write('two.pdf', minimalPdf(['Hello Shelfmark (page one)', 'Second page text']));
    const result = await extractPdfText(path);
    expect(result).toMatchObject({ text: 'Hello Shelfmark (page one)\n\nSecond page text', pages: 2, truncated: false });
  });

  it('draws page 1 as a PNG for the thumbnail', async () => {
    const path = await scratch.write('cover.pdf', minimalPdf(['A cover page']));
    const { firstPagePng } = await extractPdfText(path);
    expect(firstPagePng?.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('caps the stored text at maxBytes', async () => {
    const pages = Array.from({ length: 60 }, (_, i) => `Page ${i + 1} ${'lorem ipsum '.repeat(20)}`);
    const path = await scratch.write('long.pdf', minimalPdf(pages));
    const result = await extractPdfText(path, { maxBytes: 1000 });
    expect(result.pages).toBe(60);
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.text)).toBeLessThanOrEqual(1000);
    expect(result.text.startsWith('Page 1 lorem ipsum')).toBe(true);
  });

  it('refuses an encrypted PDF', async () => {
    const path = await scratch.write('locked.pdf', minimalPdf(['secret'], { encrypt: true }));
    await expect(extractPdfText(path)).rejects.toThrow(new DerivativeError('PDF is encrypted'));
  });

  it('reports a file that is not a PDF as damaged', async () => {
    const path = await scratch.write('junk.pdf', '%PDF-1.7\nthis is not really a pdf at all\n');
    const err = await extractPdfText(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DerivativeError);
    expect((err as DerivativeError).reason).toMatch(/^PDF is damaged: /);
  });

  it('gives up with a DerivativeError when the time limit runs out', async () => {
    const path = await scratch.write('slow.pdf', minimalPdf(['anything']));
    await expect(extractPdfText(path, { timeoutMs: 1 })).rejects.toThrow(/timed out after 1 ms/);
  });

  it('reports a missing file as a plain fs error', async () => {
    const err = await extractPdfText(`${scratch.dir}/missing.pdf`).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(DerivativeError);
    expect(String(err)).toMatch(/ENOENT/);
  });
});

warnIfNoFixtures('pdf-text');
describe.skipIf(!fixturesPresent)('extractPdfText on the shared corpus', () => {
  it('crazyones.pdf matches pypdf’s expected text', async () => {
    const result = await extractPdfText(fixture('pdf/crazyones.pdf'));
    expect(result.pages).toBe(1);
    const expected = await readFile(fixture('pdf/crazyones.expected.txt'), 'utf8');
    expect(words(result.text)).toContain('the ones who see things differently');
    expect(words(result.text)).toContain(words(expected.split('\n').slice(2, 6).join(' ')));
    expect(result.text).toContain('misfits'); // the ﬁ ligature is folded
  });

  it('Seige_of_Vicksburg_Sample_OCR.pdf: 6 pages of OCR text', async () => {
    const result = await extractPdfText(fixture('pdf/Seige_of_Vicksburg_Sample_OCR.pdf'));
    expect(result.pages).toBe(6);
    expect(result.text).toMatch(/Vicksburg/i);
    expect(result.text.length).toBeGreaterThan(6 * 1000);
  });

  it('multilang.pdf keeps non-Latin scripts', async () => {
    const result = await extractPdfText(fixture('pdf/multilang.pdf'));
    expect(result.text).toContain('Hello World');
    expect(result.text).toContain('Привет, мир');
    expect(result.text).toContain('こんにちは世界');
  });

  it('libreoffice-writer-password.pdf is refused as encrypted', async () => {
    await expect(extractPdfText(fixture('pdf/libreoffice-writer-password.pdf'))).rejects.toThrow(/^PDF is encrypted$/);
  });

  // pdf.js recovers both today; either outcome is fine as long as the promise settles.
  it.each(['pdf/zen_of_python_corrupted.pdf', 'pdf/issue-297.pdf'])('%s settles with text or a DerivativeError', async (file) => {
    const outcome = await settle(extractPdfText(fixture(file)));
    if (outcome.ok) expect(typeof outcome.value.text).toBe('string');
    else expect(outcome.error).toBeInstanceOf(DerivativeError);
  });

  it('issue-297.pdf is recovered as "test example"', async () => {
    const outcome = await settle(extractPdfText(fixture('pdf/issue-297.pdf')));
    if (outcome.ok) expect(outcome.value.text).toBe('test example');
  });

  it('bad/xss_pdf_alert.pdf yields its visible text; its JavaScript is never run', async () => {
    const result = await extractPdfText(fixture('bad/xss_pdf_alert.pdf'));
    expect(result.text).toContain('app.alert(1)'); // the page text describes the payload
  });

  it('a PNG handed over as a PDF is reported as damaged', async () => {
    await expect(extractPdfText(fixture('bad/truncated.png'))).rejects.toThrow(/^PDF is damaged: /);
  });
});
