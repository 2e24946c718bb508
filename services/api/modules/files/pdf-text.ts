import { Worker } from 'node:worker_threads';
import { DerivativeError, assertReadable, briefMessage } from './derivative-error.ts';
import type { PdfWorkerInput, PdfWorkerReply } from './pdf-text-worker.ts';

export interface PdfText {
  /** Normalised text (see normalise-extracted-text.ts), pages separated by a blank line. */
  text: string;
  pages: number;
  /** True when the text was cut at `maxBytes`. */
  truncated: boolean;
  /** Page 1 as PNG, for the thumbnail (null when it could not be drawn). */
  firstPagePng: Buffer | null;
}

export interface PdfTextOptions {
  /** Default 60 s. The worker thread is terminated when it runs out. */
  timeoutMs?: number;
  /** Cap on stored text, in UTF-8 bytes. Default 5 MiB. */
  maxBytes?: number;
  /** V8 heap limit for the worker thread. Default 1024 MB. */
  memoryLimitMb?: number;
}

const DEFAULTS = { timeoutMs: 60_000, maxBytes: 5 * 1024 * 1024, memoryLimitMb: 1024 } as const;

const WORKER_URL = new URL('./pdf-text-worker.ts', import.meta.url);

// pdf.js runs on the calling thread in Node (its "fake worker"), where a timer cannot interrupt a
// synchronous parse loop. Extraction therefore runs in its own worker thread, which is terminated
// on timeout. The thread's stdout is swallowed (pdf.js logs through console); stderr is kept for
// the failure reason if the thread dies.
export async function extractPdfText(filePath: string, opts: PdfTextOptions = {}): Promise<PdfText> {
  await assertReadable(filePath);
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const input: PdfWorkerInput = { filePath, maxBytes: opts.maxBytes ?? DEFAULTS.maxBytes };
  const worker = new Worker(WORKER_URL, {
    workerData: input,
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: opts.memoryLimitMb ?? DEFAULTS.memoryLimitMb },
  });
  worker.stdout.resume();
  let stderr = '';
  worker.stderr.setEncoding('utf8');
  worker.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });

  return new Promise<PdfText>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
      void worker.terminate();
    };
    const timer = setTimeout(() => {
      settle(() => reject(new DerivativeError(`PDF text extraction timed out after ${formatDuration(timeoutMs)}`)));
    }, timeoutMs);

    worker.once('message', (reply: PdfWorkerReply) => {
      settle(() => (reply.ok ? resolve({ text: reply.text, pages: reply.pages, truncated: reply.truncated, firstPagePng: reply.firstPagePng ? Buffer.from(reply.firstPagePng) : null }) : reject(toError(reply))));
    });
    worker.once('error', (e: Error & { code?: string }) => {
      const why = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'ran out of memory' : e.message;
      settle(() => reject(new DerivativeError(`PDF text extraction failed: ${why}`, { cause: e })));
    });
    worker.once('exit', (code) => {
      const detail = stderr.trim().split('\n').pop() ?? '';
      settle(() => reject(new DerivativeError(`PDF text extraction failed: worker exited with code ${code}${detail ? ` (${detail})` : ''}`)));
    });
  });
}

function toError(reply: Extract<PdfWorkerReply, { ok: false }>): DerivativeError {
  const message = briefMessage(reply.message);
  switch (reply.kind) {
    case 'encrypted':
      return new DerivativeError('PDF is encrypted');
    case 'damaged':
      return new DerivativeError(`PDF is damaged: ${message}`);
    default:
      return new DerivativeError(`PDF text extraction failed: ${message}`);
  }
}

const formatDuration = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);
