// Text pulled out of PDFs goes into PostgreSQL and the search index, so it is made safe for both and
// comparable across producers: NFKC folds ligatures (ﬁ → fi) and presentation forms, NUL is removed
// (PostgreSQL `text` rejects it), other control characters become spaces, lone surrogates become
// U+FFFD (they are not valid UTF-8), spacing is collapsed within lines and runs of blank lines are
// cut to one. Line breaks are kept: they carry paragraph and page structure for snippets.

// C0/C1 controls except TAB and LF (CR, FF and VT are turned into LF first).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Horizontal whitespace, including no-break and other Unicode spaces.
const HSPACE = /[\t \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

export function normaliseExtractedText(raw: string): string {
  return raw
    .toWellFormed()
    .normalize('NFKC')
    .replace(/\r\n?|[\f\v\u2028\u2029\u0085]/g, '\n')
    .replaceAll('\0', '')
    .replace(CONTROL, ' ')
    .split('\n')
    .map((line) => line.replace(HSPACE, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Cuts to at most `maxBytes` of UTF-8 without splitting a character.
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8');
  // A multi-byte character cut in half decodes as U+FFFD at the very end; drop it.
  return { text: cut.replace(/\uFFFD$/, ''), truncated: true };
}
