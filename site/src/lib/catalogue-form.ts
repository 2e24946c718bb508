// The catalogue editor's form <-> API body, pure. Seed 002 asks for every book field but version and
// edition ("only two (version and edition) are optional"); the API requires only a title and one
// author (a recording or a letter has no ISBN), so this form insists on the rest for books.
import { centsToDollars, dollarsToCents, list, text } from './staff-form.ts';

export interface RecordValues {
  title: string; authors: string; publisher: string; year: string; isbn: string; edition: string; version: string;
  subjects: string; tags: string; mediaType: string; mediaTypeNew: string; language: string; languageOther: string; description: string;
}

export interface CopyValues {
  callNumber: string; accessionNumber: string; loanCategory: string; loanCategoryNew: string; location: string; locationNew: string;
  floor: string; replacementCost: string; status: string;
}

/** Languages offered in the pick list (MARC/ISO 639-2 codes, as the records store them). */
export const LANGUAGES: ReadonlyArray<{ code: string; name: string }> = [
  { code: 'eng', name: 'English' }, { code: 'fre', name: 'French' }, { code: 'ger', name: 'German' }, { code: 'spa', name: 'Spanish' },
  { code: 'ita', name: 'Italian' }, { code: 'por', name: 'Portuguese' }, { code: 'dut', name: 'Dutch' }, { code: 'lat', name: 'Latin' },
  { code: 'chi', name: 'Chinese' }, { code: 'jpn', name: 'Japanese' }, { code: 'may', name: 'Malay' }, { code: 'tam', name: 'Tamil' },
  { code: 'ara', name: 'Arabic' }, { code: 'rus', name: 'Russian' }, { code: 'zxx', name: 'No linguistic content' },
];

export const COPY_STATUSES: ReadonlyArray<{ value: string; label: string }> = [
  { value: 'available', label: 'Available (on the shelf)' },
  { value: 'out-of-circulation', label: 'Out of circulation' },
  { value: 'on-order', label: 'On order (not arrived yet)' },
];

export const RECORD_LABELS: Record<string, string> = {
  title: 'Title', authors: 'Authors', publisher: 'Publisher', year: 'Year', isbn: 'ISBN', edition: 'Edition', version: 'Version',
  subjects: 'Subjects', tags: 'Tags', mediaType: 'Media type', language: 'Language', description: 'Description',
};
export const COPY_LABELS: Record<string, string> = {
  callNumber: 'Call number', accessionNumber: 'Accession number', loanCategory: 'Loan category', location: 'Location', floor: 'Floor',
  replacementCostCents: 'Replacement cost', status: 'Status',
};

export function recordValuesFrom(form: FormData): RecordValues {
  return {
    title: text(form, 'title'), authors: text(form, 'authors', 5000), publisher: text(form, 'publisher'), year: text(form, 'year', 10),
    isbn: text(form, 'isbn', 30), edition: text(form, 'edition', 100), version: text(form, 'version', 100), subjects: text(form, 'subjects', 10_000),
    tags: text(form, 'tags', 5000), mediaType: text(form, 'mediaType', 50), mediaTypeNew: text(form, 'mediaTypeNew', 50),
    language: text(form, 'language', 35), languageOther: text(form, 'languageOther', 35), description: text(form, 'description', 20_000),
  };
}

export function recordValuesOf(r: {
  title: string; authors: string[]; publisher: string | null; year: number | null; isbn: string | null; edition: string | null; version: string | null;
  subjects: string[]; tags: string[]; mediaType: string; language: string | null; description: string | null;
}): RecordValues {
  const known = LANGUAGES.some((l) => l.code === r.language);
  return {
    title: r.title, authors: r.authors.join('\n'), publisher: r.publisher ?? '', year: r.year === null ? '' : String(r.year), isbn: r.isbn ?? '',
    edition: r.edition ?? '', version: r.version ?? '', subjects: r.subjects.join('\n'), tags: r.tags.join(', '), mediaType: r.mediaType, mediaTypeNew: '',
    language: r.language && !known ? 'other' : (r.language ?? ''), languageOther: r.language && !known ? r.language : '', description: r.description ?? '',
  };
}

export const emptyRecordValues = (): RecordValues => ({
  title: '', authors: '', publisher: '', year: '', isbn: '', edition: '', version: '', subjects: '', tags: '', mediaType: 'Book', mediaTypeNew: '',
  language: 'eng', languageOther: '', description: '',
});

/** The media type chosen: a new choice typed in wins over the list. */
export const chosenMediaType = (v: RecordValues) => v.mediaTypeNew || v.mediaType;

/**
 * The body for POST/PATCH /api/v1/records and the problems the form finds first. `isbn` is sent only
 * when `withIsbn` (a new record, or one that has none yet: the ISBN never changes once set).
 */
export function recordBody(v: RecordValues, opts: { withIsbn: boolean; now: Date; creating?: boolean }): { body: Record<string, unknown>; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  const authors = list(v.authors, /\n|;/);
  const subjects = list(v.subjects, /\n|;/);
  const tags = list(v.tags, /\n|,|;/);
  const mediaType = chosenMediaType(v);
  const isBook = mediaType.toLowerCase() === 'book';
  if (!v.title) errors.set('title', 'Enter the title.');
  if (!authors.length) errors.set('authors', 'Enter at least one author, as "Last, First".');
  if (authors.some((a) => a.length > 255)) errors.set('authors', 'An author\'s name is at most 255 characters.');
  if (isBook && !v.publisher) errors.set('publisher', 'Enter the publisher (required for books).');
  let year: number | null = null;
  if (v.year) {
    if (!/^\d{1,4}$/.test(v.year) || Number(v.year) > opts.now.getUTCFullYear() + 1) errors.set('year', 'Enter a year of publication such as 1998.');
    else year = Number(v.year);
  }
  // A new book needs its ISBN; an older record without one can still be corrected (and given one later).
  if (opts.withIsbn && opts.creating !== false && isBook && !v.isbn) errors.set('isbn', 'Enter the ISBN from the book (required for books).');
  if (isBook && !subjects.length) errors.set('subjects', 'Enter at least one subject (required for books).');
  if (!mediaType) errors.set('mediaType', 'Choose a media type.');
  const language = v.language === 'other' ? v.languageOther : v.language;
  if (language && !/^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(language)) errors.set('language', 'Enter a language code such as "eng" or "fre".');
  const body: Record<string, unknown> = {
    title: v.title, authors, publisher: v.publisher || null, year, edition: v.edition || null, version: v.version || null,
    subjects, tags, mediaType, language: language || null, description: v.description || null,
  };
  if (opts.withIsbn) body.isbn = v.isbn || null;
  return { body, errors };
}

export function copyValuesFrom(form: FormData): CopyValues {
  return {
    callNumber: text(form, 'callNumber', 20), accessionNumber: text(form, 'accessionNumber', 50), loanCategory: text(form, 'loanCategory', 50),
    loanCategoryNew: text(form, 'loanCategoryNew', 50), location: text(form, 'location', 100), locationNew: text(form, 'locationNew', 100),
    floor: text(form, 'floor', 20), replacementCost: text(form, 'replacementCost', 20), status: text(form, 'status', 30),
  };
}

export const emptyCopyValues = (callNumber: string, loanCategory = 'two-week'): CopyValues => ({
  callNumber, accessionNumber: '', loanCategory, loanCategoryNew: '', location: 'Central Branch', locationNew: '', floor: '', replacementCost: '', status: 'available',
});

/** The body for POST /api/v1/records/{id}/items, with the form's own checks (seed 002's copy fields). */
export function copyBody(v: CopyValues, mediaType: string): { body: Record<string, unknown>; errors: Map<string, string> } {
  const errors = new Map<string, string>();
  if (v.callNumber && !/^\d{10}$/.test(v.callNumber)) errors.set('callNumber', 'A call number is exactly 10 digits, e.g. 0000000042. Leave it empty to use the next free one.');
  if (v.accessionNumber && !/^[A-Za-z0-9._/-]+$/.test(v.accessionNumber)) errors.set('accessionNumber', 'Use letters, digits and . _ / - only, or leave it empty to have one assigned.');
  const loanCategory = v.loanCategoryNew || v.loanCategory;
  const location = v.locationNew || v.location;
  if (!loanCategory) errors.set('loanCategory', 'Choose a loan category.');
  if (!location) errors.set('location', 'Choose a location.');
  if (!v.floor) errors.set('floor', 'Enter the floor the copy is shelved on.');
  const cents = dollarsToCents(v.replacementCost);
  if (cents === null) errors.set('replacementCostCents', 'Enter the replacement cost in dollars, e.g. 24.95.');
  const status = COPY_STATUSES.some((s) => s.value === v.status) ? v.status : 'available';
  return {
    body: {
      ...(v.callNumber ? { callNumber: v.callNumber } : {}), ...(v.accessionNumber ? { accessionNumber: v.accessionNumber } : {}),
      loanCategory, location, floor: v.floor || null, mediaType, replacementCostCents: cents ?? 0, status,
    },
    errors,
  };
}

export { centsToDollars };
