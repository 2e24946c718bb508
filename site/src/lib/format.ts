// Small presentation helpers shared by the pages. Pure.

export function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

export function duration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 1) return null;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function longDate(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** ISBN-13 with the usual hyphen after the prefix, for reading; the digits stay searchable. */
export function isbnText(isbn: string | null): string | null {
  if (!isbn) return null;
  return /^\d{13}$/.test(isbn) ? `${isbn.slice(0, 3)}-${isbn.slice(3)}` : isbn;
}

export function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const ITEM_STATUS: Record<string, { label: string; tone: 'ok' | 'wait' | 'off' }> = {
  available: { label: 'Available', tone: 'ok' },
  'on-loan': { label: 'On loan', tone: 'wait' },
  overdue: { label: 'Overdue', tone: 'wait' },
  'on-hold': { label: 'On hold', tone: 'wait' },
  'out-of-circulation': { label: 'Out of circulation', tone: 'off' },
  'on-order': { label: 'On order', tone: 'off' },
};
export const itemStatus = (s: string) => ITEM_STATUS[s] ?? { label: capitalise(s.replace(/-/g, ' ')), tone: 'off' as const };

const LANGUAGES: Record<string, string> = { eng: 'English', fre: 'French', fra: 'French', ger: 'German', deu: 'German', spa: 'Spanish', ita: 'Italian', lat: 'Latin', por: 'Portuguese', dut: 'Dutch', nld: 'Dutch' };
export const languageName = (code: string | null) => (code ? LANGUAGES[code.toLowerCase()] ?? code : null);

/** What a search hit says about copies on the shelf. */
export function availabilityText(h: { copies: number; availableCopies: number; availability: string }): { text: string; tone: 'ok' | 'wait' | 'off' } {
  if (h.availability === 'no-copies' || h.copies === 0) return { text: 'No physical copy', tone: 'off' };
  if (h.availableCopies > 0) {
    return { text: h.copies === 1 ? 'Available' : `${h.availableCopies} of ${h.copies} copies available`, tone: 'ok' };
  }
  return { text: h.copies === 1 ? 'On loan' : `All ${h.copies} copies out`, tone: 'wait' };
}

export type HoldingKind = 'audio' | 'video' | 'image' | 'pdf' | 'epub' | 'other';
export function holdingKind(mediaType: string): HoldingKind {
  if (mediaType.startsWith('audio/')) return 'audio';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType === 'application/epub+zip') return 'epub';
  return 'other';
}

const KIND_LABEL: Record<HoldingKind, string> = { audio: 'Audio', video: 'Video', image: 'Image', pdf: 'PDF', epub: 'EPUB e-book', other: 'File' };
export const holdingKindLabel = (k: HoldingKind) => KIND_LABEL[k];

/** Browsers play these natively; TIFF images they cannot show inline. */
export function playableInline(mediaType: string): boolean {
  if (mediaType === 'image/tiff') return false;
  return /^(audio|video|image)\//.test(mediaType);
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Listen, view online" for the kinds of holdings a visitor may open; null when there are none. */
export function onlineText(kinds: readonly string[]): string | null {
  const verbs = [
    kinds.includes('text') ? 'read' : null,
    kinds.includes('audio') ? 'listen' : null,
    kinds.includes('video') ? 'watch' : null,
    kinds.includes('image') ? 'view' : null,
  ].filter((v): v is string => v !== null);
  if (!verbs.length) return kinds.length ? 'Online' : null;
  const list = verbs.length === 1 ? verbs[0]! : `${verbs.slice(0, -1).join(', ')} and ${verbs.at(-1)}`;
  return `${list[0]!.toUpperCase()}${list.slice(1)} online`;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
/** Integer cents from the API as money ($12.50, -$3.00), the way the circulation rules word it. */
export const money = (cents: number): string => USD.format(cents / 100);
