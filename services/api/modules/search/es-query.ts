import { visibleAccessLevels, type SearchDocument } from './search-document.ts';
import { AUDIENCE, FACET_LIMITS, INVALID_ISBN, TOTAL_CAP, type Audience, type SearchQuery } from './search-index.ts';
import { valueKey, words } from './search-text.ts';

// Request bodies of the Elasticsearch engine, as pure functions: the engine sends them, and the unit
// tests check every field they name against search-mappings/records.v1.json.

type Json = Record<string, unknown>;

/** The document as stored in Elasticsearch (field names as in the mapping). */
export function esDocument(doc: SearchDocument): Json {
  return {
    id: doc.id,
    title: doc.title,
    title_sort: doc.titleSort,
    suggest: [doc.title, ...doc.authors],
    authors: doc.authors,
    publisher: doc.publisher,
    identifiers: [doc.isbn, doc.year === null ? null : String(doc.year)].filter((v): v is string => v !== null),
    year: doc.year,
    decade: doc.decade,
    isbn: doc.isbn,
    media_type: doc.mediaType,
    subjects: doc.subjects,
    subject_keys: doc.subjects.map(valueKey),
    tags: doc.tags,
    tag_keys: doc.tags.map(valueKey),
    call_number: doc.callNumber,
    accession_number: doc.accessionNumber,
    copies: doc.copies,
    available_copies: doc.availableCopies,
    availability: doc.availability,
    access: doc.access,
    audience: doc.audience,
    record_created_at: doc.createdAt,
    text_public: doc.text.public || null,
    text_signed_in: doc.text.signedIn || null,
    text_restricted: doc.text.restricted || null,
  };
}

/** Fields a keyword query looks in for this viewer, with boosts mirroring the Postgres weights A-D. */
export function keywordFields(viewer: Audience): string[] {
  const fields = ['title^8', 'identifiers^8', 'authors^4', 'subjects^4', 'tags^2', 'publisher^2', 'text_public'];
  if (viewer >= AUDIENCE.signedIn) fields.push('text_signed_in');
  if (viewer >= AUDIENCE.staff) fields.push('text_restricted');
  return fields;
}

const allWords = (field: string, ws: string[]) => ({ match: { [field]: { query: ws.join(' '), operator: 'and' } } });

export function queryFor(q: SearchQuery, viewer: Audience): Json {
  const must: Json[] = [];
  const filter: Json[] = [{ range: { audience: { lte: viewer } } }];
  const mustNot: Json[] = [];
  if (q.text) {
    const fields = keywordFields(viewer);
    if (q.text.terms.length) must.push({ combined_fields: { query: q.text.terms.join(' '), fields, operator: 'and' } });
    for (const phrase of q.text.phrases) must.push({ multi_match: { query: phrase.join(' '), type: 'phrase', fields } });
  }
  if (q.title.length) filter.push(allWords('title', q.title));
  if (q.author.length) filter.push(allWords('authors', q.author));
  if (q.publisher.length) filter.push(allWords('publisher', q.publisher));
  // Several words: one subject (tag) with exactly these words; one word: any subject containing it.
  if (q.subject.length > 1) filter.push({ term: { subject_keys: q.subject.join(' ') } });
  else if (q.subject.length) filter.push(allWords('subjects', q.subject));
  if (q.tag.length > 1) filter.push({ term: { tag_keys: q.tag.join(' ') } });
  else if (q.tag.length) filter.push(allWords('tags', q.tag));
  if (q.isbn) filter.push({ term: { isbn: q.isbn === INVALID_ISBN ? 'none' : q.isbn } });
  if (q.mediaType) filter.push({ term: { media_type: q.mediaType } });
  if (q.available === true) filter.push({ term: { availability: 'available' } });
  if (q.available === false) mustNot.push({ term: { availability: 'available' } });
  if (q.access) {
    if (!visibleAccessLevels(viewer).includes(q.access)) mustNot.push({ match_all: {} });
    filter.push({ term: { access: q.access } });
  }
  if (q.year) filter.push({ range: { year: { gte: q.year.from, lte: q.year.to } } });
  return { bool: { ...(must.length ? { must } : {}), filter, ...(mustNot.length ? { must_not: mustNot } : {}) } };
}

export function sortFor(q: Pick<SearchQuery, 'sort' | 'text'>): Json[] {
  const sort = q.sort === 'relevance' && !q.text ? 'added' : q.sort;
  const tie = { id: { order: 'asc' } };
  switch (sort) {
    case 'relevance': return [{ _score: { order: 'desc' } }, tie];
    case 'title': return [{ title_sort: { order: 'asc' } }, tie];
    case 'year': return [{ year: { order: 'asc', missing: '_last' } }, tie];
    case '-year': return [{ year: { order: 'desc', missing: '_last' } }, tie];
    case 'added':
    default: return [{ record_created_at: { order: 'desc' } }, tie];
  }
}

const byCount = [{ _count: 'desc' }, { _key: 'asc' }];
export function aggsFor(viewer: Audience): Json {
  return {
    subject: { terms: { field: 'subjects.raw', size: FACET_LIMITS.subject, order: byCount } },
    tag: { terms: { field: 'tags.raw', size: FACET_LIMITS.tag, order: byCount } },
    mediaType: { terms: { field: 'media_type.raw', size: 100, order: byCount } },
    year: { terms: { field: 'year', size: FACET_LIMITS.year, order: { _key: 'desc' } } },
    decade: { terms: { field: 'decade', size: 200, order: { _key: 'desc' } } },
    availability: { terms: { field: 'availability', size: 3, order: byCount } },
    access: { terms: { field: 'access', size: 4, include: visibleAccessLevels(viewer), order: byCount } },
  };
}

export const HIT_SOURCE = ['id', 'title', 'authors', 'publisher', 'year', 'isbn', 'media_type', 'call_number', 'accession_number', 'copies', 'available_copies', 'availability'];

export function searchBody(q: SearchQuery, viewer: Audience, withHits = true): Json {
  const from = (q.page - 1) * q.pageSize;
  const size = !withHits || from >= TOTAL_CAP ? 0 : Math.min(q.pageSize, TOTAL_CAP - from);
  return {
    query: queryFor(q, viewer),
    sort: sortFor(q),
    from: size ? from : 0,
    size,
    track_total_hits: TOTAL_CAP,
    _source: HIT_SOURCE,
    aggs: aggsFor(viewer),
  };
}

/** As you type: whole words then a prefix, or the same words with up to two typos each ("histroy"). */
export function suggestBody(prefix: string, viewer: Audience, limit: number): Json | null {
  const ws = words(prefix).slice(0, 6);
  if (!ws.length) return null;
  const text = ws.join(' ');
  return {
    query: {
      bool: {
        filter: [{ range: { audience: { lte: viewer } } }],
        should: [
          // Titles that begin with the typed words first, as the Postgres engine lists them.
          { prefix: { title_sort: { value: text, boost: 20 } } },
          { match_bool_prefix: { suggest: { query: text, operator: 'and' } } },
          { match: { suggest: { query: text, operator: 'and', fuzziness: 'AUTO' } } },
        ],
        minimum_should_match: 1,
      },
    },
    sort: [{ _score: { order: 'desc' } }, { title_sort: { order: 'asc' } }, { id: { order: 'asc' } }],
    size: limit,
    _source: ['id', 'title'],
    track_total_hits: false,
  };
}
