// Runs inside a worker thread started by pdf-text.ts, so a PDF that sends pdf.js into a long
// synchronous loop or a memory blow-up can be killed (Worker#terminate, resourceLimits) without
// taking the job runner down. Replies with exactly one PdfWorkerReply message.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { FormatError, InvalidPDFException, PasswordException, PDFParse, VerbosityLevel } from 'pdf-parse';
import { normaliseExtractedText, truncateUtf8 } from './normalise-extracted-text.ts';

export interface PdfWorkerInput {
  filePath: string;
  maxBytes: number;
}

export type PdfWorkerReply =
  | { ok: true; text: string; pages: number; truncated: boolean; firstPagePng: Uint8Array | null }
  | { ok: false; kind: 'encrypted' | 'damaged' | 'failed'; message: string };

// Pages are read in batches so extraction stops once the text cap is reached instead of walking
// every page of a 5,000-page scan.
const BATCH = 25;

async function extract({ filePath, maxBytes }: PdfWorkerInput): Promise<PdfWorkerReply> {
  const data = new Uint8Array(await readFile(filePath));
  // ERRORS only: pdf.js prints "Warning: ..." lines through console.log for every odd font.
  const parser = new PDFParse({ data, verbosity: VerbosityLevel.ERRORS });
  try {
    const parts: string[] = [];
    let bytes = 0;
    let pages = 0;
    for (let first = 1; pages === 0 || first <= pages; first += BATCH) {
      const result = await parser.getText({ first, last: first + BATCH - 1, pageJoiner: '' });
      pages = result.total;
      if (pages === 0) break;
      for (const page of result.pages) {
        const text = normaliseExtractedText(page.text);
        if (text === '') continue;
        parts.push(text);
        bytes += Buffer.byteLength(text, 'utf8') + 2;
      }
      if (bytes > maxBytes) break;
    }
    const { text, truncated } = truncateUtf8(parts.join('\n\n'), maxBytes);
    return { ok: true, text, pages, truncated, firstPagePng: pages > 0 ? await firstPageImage(parser) : null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof PasswordException) return { ok: false, kind: 'encrypted', message };
    if (e instanceof InvalidPDFException || e instanceof FormatError) return { ok: false, kind: 'damaged', message };
    return { ok: false, kind: 'failed', message };
  } finally {
    await parser.destroy();
  }
}

/**
 * Page 1 drawn by pdf.js on @napi-rs/canvas (pdf-parse's screenshot), 480 px wide, as PNG: the
 * thumbnail's source. A page that cannot be drawn only means no thumbnail, never a failed file.
 */
async function firstPageImage(parser: PDFParse): Promise<Uint8Array | null> {
  try {
    const shot = await parser.getScreenshot({ partial: [1], desiredWidth: 480, imageDataUrl: false, imageBuffer: true });
    const data = shot.pages[0]?.data;
    return data && data.length ? data : null;
  } catch {
    return null;
  }
}

const reply = await extract(workerData as PdfWorkerInput).catch(
  (e: unknown): PdfWorkerReply => ({ ok: false, kind: 'failed', message: e instanceof Error ? e.message : String(e) }),
);
parentPort?.postMessage(reply);
