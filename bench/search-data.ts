import { randomUUID } from 'node:crypto';

// Realistic catalogue records for the search benchmark, deterministic for a seed. Word, author,
// subject, tag and publisher frequencies follow Zipf-like laws (a few very common values, a long
// tail), as they do in real catalogues; a share of records carries extracted file text drawn from
// the same vocabulary. No data is downloaded: the vocabulary is common English words for the head
// and generated pronounceable words for the tail.

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples ranks 0..n-1 with P(k) proportional to 1/(k+1)^s. */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) { sum += 1 / (k + 1) ** s; cdf[k] = sum; }
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  };
}

const HEAD_WORDS = `the of and a in to history introduction for on guide new art world science life study theory book american modern
english time war people music social early story language practice age culture state public great english old national handbook
development university press essays american law english man women children from with life politics economic century light water
human design nature house city love death mind power systems american family second war church body love rome paris london
london research principles early first medieval ancient europe china india africa america british french german health medicine
computer programming data analysis management education philosophy religion poetry novel letters selected collected works
essays stories tales poems journal report survey review annual proceedings conference field notes study guide companion`.split(/\s+/);

const SYLLABLES = ['ba', 'ka', 'ro', 'mi', 'ten', 'dar', 'lo', 'vis', 'nor', 'el', 'an', 'tor', 'sel', 'mar', 'ki', 'pe', 'lu', 'go', 'ran', 'fi',
  'sha', 'tre', 'vo', 'den', 'gar', 'il', 'on', 'per', 'qua', 'rin', 'sto', 'ul', 'ver', 'wen', 'yo', 'zel', 'bri', 'cal', 'dun', 'fen'];

function makeWords(count: number, random: () => number, minSyllables: number, maxSyllables: number, exclude: Set<string>): string[] {
  const out: string[] = [];
  const seen = new Set(exclude);
  while (out.length < count) {
    const n = minSyllables + Math.floor(random() * (maxSyllables - minSyllables + 1));
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    if (!seen.has(w)) { seen.add(w); out.push(w); }
  }
  return out;
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

export interface Vocabulary {
  words: string[];
  lastNames: string[];
  firstNames: string[];
  subjects: string[];
  tags: string[];
  publishers: string[];
}

export function vocabulary(seed = 42): Vocabulary {
  const r = rng(seed);
  const head = [...new Set(HEAD_WORDS)];
  const words = [...head, ...makeWords(30_000 - head.length, r, 2, 4, new Set(head))];
  const lastNames = makeWords(8_000, r, 2, 3, new Set(words)).map(cap);
  const firstNames = makeWords(600, r, 2, 2, new Set()).map(cap);
  const wordZipf = zipf(2_000, 1.0, r);
  const subjects = [...new Set(Array.from({ length: 4_000 }, () => {
    const n = 1 + Math.floor(r() * 3);
    return Array.from({ length: n }, () => cap(words[wordZipf()]!)).join(' ') + (r() < 0.3 ? ` -- ${cap(words[wordZipf()]!)}` : '');
  }))].slice(0, 3_000);
  const tags = makeWords(400, r, 1, 3, new Set()).map((t, i) => (i < 40 ? words[i * 3 + 1]! : t));
  const publishers = makeWords(1_000, r, 2, 3, new Set()).map((p) => `${cap(p)} ${r() < 0.5 ? 'Press' : 'Books'}`);
  return { words, lastNames, firstNames, subjects, tags, publishers };
}

export interface GeneratedItem { id: string; callNumber: string; accessionNumber: string; status: string }
export interface GeneratedFile { id: string; access: 'public' | 'signed-in' | 'restricted'; text: string }
export interface GeneratedRecord {
  id: string; title: string; authors: string[]; publisher: string | null; year: number | null; isbn: string | null; mediaType: string;
  subjects: number[]; tags: number[]; items: GeneratedItem[]; files: GeneratedFile[]; createdAt: Date;
}

const MEDIA: Array<[string, number]> = [['Book', 0.8], ['Journal', 0.08], ['CD', 0.04], ['Film', 0.03], ['Audio', 0.03], ['CD-ROM', 0.02]];

function isbn13(r: () => number): string {
  let body = '978';
  for (let i = 0; i < 9; i++) body += Math.floor(r() * 10);
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (i % 2 === 0 ? 1 : 3) * Number(body[i]);
  return body + ((10 - (sum % 10)) % 10);
}

/** Records in batches; `textShare` of them carry extracted text (public mostly, some restricted). */
export function* records(total: number, v: Vocabulary, opts: { seed?: number; batch?: number; textShare?: number } = {}): Generator<GeneratedRecord[]> {
  const r = rng(opts.seed ?? 7);
  const word = zipf(v.words.length, 1.0, r);
  const last = zipf(v.lastNames.length, 0.9, r);
  const subject = zipf(v.subjects.length, 1.1, r);
  const tag = zipf(v.tags.length, 1.1, r);
  const publisher = zipf(v.publishers.length, 1.0, r);
  const textShare = opts.textShare ?? 0.12;
  const batch = opts.batch ?? 5_000;
  let seq = 0;
  const start = Date.UTC(2020, 0, 1);
  for (let done = 0; done < total;) {
    const out: GeneratedRecord[] = [];
    for (let i = 0; i < batch && done < total; i++, done++) {
      const titleLength = 2 + Math.floor(r() * 7);
      const title = cap(Array.from({ length: titleLength }, () => v.words[word()]!).join(' ')).slice(0, 255);
      const authors = Array.from({ length: 1 + (r() < 0.3 ? 1 : 0) + (r() < 0.1 ? 1 : 0) }, () => `${v.lastNames[last()]}, ${v.firstNames[Math.floor(r() * v.firstNames.length)]}`);
      const year = r() < 0.97 ? Math.max(1800, 2025 - Math.floor(Math.abs(gauss(r)) * 35)) : null;
      let m = r();
      const mediaType = MEDIA.find(([, p]) => (m -= p) < 0)?.[0] ?? 'Book';
      const copies = r() < 0.2 ? 0 : r() < 0.6 ? 1 : r() < 0.7 ? 2 : 3;
      const items = Array.from({ length: copies }, () => {
        seq++;
        const s = r();
        return { id: randomUUID(), callNumber: String(seq).padStart(10, '0'), accessionNumber: `A${String(seq).padStart(7, '0')}`, status: s < 0.85 ? 'available' : s < 0.97 ? 'on-loan' : 'out-of-circulation' };
      });
      const files: GeneratedFile[] = [];
      const t = r();
      if (t < textShare) {
        const n = 150 + Math.floor(r() * 650);
        const access = t < textShare * 0.8 ? 'public' : t < textShare * 0.9 ? 'signed-in' : 'restricted';
        files.push({ id: randomUUID(), access, text: Array.from({ length: n }, () => v.words[word()]!).join(' ') });
      }
      out.push({
        id: randomUUID(), title, authors, publisher: r() < 0.9 ? v.publishers[publisher()]! : null, year, isbn: r() < 0.6 ? isbn13(r) : null, mediaType,
        subjects: [...new Set(Array.from({ length: 1 + Math.floor(r() * 3) }, () => subject()))],
        tags: [...new Set(Array.from({ length: Math.floor(r() * 3) }, () => tag()))],
        items, files, createdAt: new Date(start + done * 1000),
      });
    }
    yield out;
  }
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r());
}

export interface KnownItem { title: string; authors: string[] }

const lowerWords = (t: string) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * What people type into the search box: a third look for a known item (two or three consecutive
 * words of a real title), some for an author (a surname, sometimes with a title word), half for a
 * topic (one or two words drawn with the catalogue's own Zipf law, so the commonest words are
 * searched most, and they match the most records). A fifth add a facet filter.
 */
export function keywordQueries(n: number, v: Vocabulary, known: KnownItem[], seed = 11): Array<Record<string, string>> {
  const r = rng(seed);
  const word = zipf(v.words.length, 1.0, r);
  const subject = zipf(v.subjects.length, 1.1, r);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const kind = r();
    let text: string;
    if (kind < 0.35) {
      const ws = lowerWords(pick(known).title);
      const len = Math.min(ws.length, 2 + Math.floor(r() * 2));
      const at = Math.floor(r() * (ws.length - len + 1));
      text = ws.slice(at, at + len).join(' ');
    } else if (kind < 0.5) {
      const item = pick(known);
      text = pick(item.authors).split(',')[0]!.toLowerCase() + (r() < 0.5 ? ` ${pick(lowerWords(item.title))}` : '');
    } else {
      text = Array.from({ length: r() < 0.6 ? 1 : 2 }, () => v.words[word()]!).join(' ');
    }
    const q: Record<string, string> = { q: text };
    const f = r();
    if (f < 0.08) q.mediaType = 'Book';
    else if (f < 0.14) q.year = '1990-1999';
    else if (f < 0.2) q.subject = v.subjects[subject()]!;
    return q;
  });
}

/**
 * As-you-type input: the start of a real title (whole words, then at least three letters of the
 * next), a tenth of it with two letters swapped in the word being typed, and some author surnames.
 */
export function suggestQueries(n: number, known: KnownItem[], seed = 13): string[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const item = pick(known);
    if (r() < 0.1) { const s = pick(item.authors).split(',')[0]!.toLowerCase(); return s.slice(0, Math.max(3, Math.ceil(s.length * r()))); }
    const ws = lowerWords(item.title);
    const k = Math.min(ws.length - 1, Math.floor(r() * 3));
    const w = ws[k]!;
    let typed = w.slice(0, Math.min(w.length, 3 + Math.floor(r() * Math.max(1, w.length - 2))));
    if (r() < 0.1 && typed.length >= 5) {
      const i = 1 + Math.floor(r() * (typed.length - 2));
      typed = typed.slice(0, i) + typed[i + 1] + typed[i] + typed.slice(i + 2);
    }
    return [...ws.slice(0, k), typed].join(' ');
  });
}
