import { access, constants } from 'node:fs/promises';

// A derivative (thumbnail, extracted text, media probe) could not be made from an upload that
// passed sniffing. It is an expected outcome for hostile or damaged files, not a bug: the job runner
// records `reason` on the file and carries on, so the reason must read well to a librarian.
export class DerivativeError extends Error {
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'DerivativeError';
    this.reason = reason;
  }
}

export const isDerivativeError = (e: unknown): e is DerivativeError => e instanceof DerivativeError;

// Library messages are often multi-line or very long (pdf.js, libvips); keep the stored reason short.
export function briefMessage(e: unknown, max = 200): string {
  const raw = e instanceof Error ? e.message : String(e);
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine || 'unknown error';
}

// A missing or unreadable input is a storage problem (worth a retry), not a property of the upload:
// check it first so it surfaces as the plain fs error rather than as a DerivativeError.
export async function assertReadable(filePath: string): Promise<void> {
  await access(filePath, constants.R_OK);
}
