import type { MappingDocument } from './elasticsearch-search-index.ts';

// Static checks of the Elasticsearch mapping and of the request bodies the engine builds, for a
// machine without a cluster: every field a query, sort, aggregation or document names exists in
// the mapping with a type that operation works on, and every analyser, normaliser, tokenizer and
// token filter the mapping names is defined or built in. Pure; returns a list of problems.

const BUILT_IN_ANALYZERS = new Set(['standard', 'simple', 'whitespace', 'stop', 'keyword', 'pattern', 'fingerprint', 'english']);
const BUILT_IN_TOKENIZERS = new Set(['standard', 'letter', 'lowercase', 'whitespace', 'keyword', 'pattern', 'classic', 'ngram', 'edge_ngram']);
const BUILT_IN_FILTERS = new Set(['lowercase', 'uppercase', 'asciifolding', 'trim', 'unique', 'stop', 'porter_stem', 'length', 'truncate']);
const EXACT_TYPES = new Set(['keyword', 'integer', 'long', 'short', 'byte', 'date', 'boolean']);
const RANGE_TYPES = new Set(['integer', 'long', 'short', 'byte', 'date', 'float', 'double']);
const TEXT_QUERIES = new Set(['match', 'match_phrase', 'match_phrase_prefix', 'match_bool_prefix']);
const MULTI_FIELD_QUERIES = new Set(['combined_fields', 'multi_match']);

interface FieldMapping { type: string; analyzer?: string; normalizer?: string; fields?: Record<string, FieldMapping> }

export function fieldMapping(mapping: MappingDocument, name: string): FieldMapping | null {
  const [root, sub] = name.split('.') as [string, string | undefined];
  const f = mapping.mappings.properties[root] as FieldMapping | undefined;
  if (!f) return null;
  if (sub === undefined) return f;
  return f.fields?.[sub] ?? null;
}

export function checkMapping(mapping: MappingDocument): string[] {
  const problems: string[] = [];
  const analysis = mapping.settings.analysis ?? {};
  const analyzers = analysis.analyzer ?? {};
  const normalizers = analysis.normalizer ?? {};
  for (const [name, a] of Object.entries<any>(analyzers)) {
    if (a.type !== 'custom') continue;
    if (!analysis.tokenizer?.[a.tokenizer] && !BUILT_IN_TOKENIZERS.has(a.tokenizer)) problems.push(`analyzer ${name}: unknown tokenizer ${a.tokenizer}`);
    for (const f of a.filter ?? []) if (!analysis.filter?.[f] && !BUILT_IN_FILTERS.has(f)) problems.push(`analyzer ${name}: unknown filter ${f}`);
  }
  for (const [name, n] of Object.entries<any>(normalizers)) {
    for (const f of n.filter ?? []) if (!analysis.filter?.[f] && !BUILT_IN_FILTERS.has(f)) problems.push(`normalizer ${name}: unknown filter ${f}`);
  }
  for (const [name, t] of Object.entries<any>(analysis.tokenizer ?? {})) {
    if (t.type === 'pattern') {
      try { new RegExp(t.pattern, 'u'); } catch (err) { problems.push(`tokenizer ${name}: pattern does not compile: ${(err as Error).message}`); }
    }
  }
  const visit = (path: string, f: FieldMapping) => {
    if (f.analyzer && !analyzers[f.analyzer] && !BUILT_IN_ANALYZERS.has(f.analyzer)) problems.push(`${path}: unknown analyzer ${f.analyzer}`);
    if (f.normalizer && !normalizers[f.normalizer]) problems.push(`${path}: unknown normalizer ${f.normalizer}`);
    if (f.normalizer && f.type !== 'keyword') problems.push(`${path}: a normalizer needs a keyword field`);
    if (f.analyzer && f.type !== 'text') problems.push(`${path}: an analyzer needs a text field`);
    for (const [sub, sf] of Object.entries(f.fields ?? {})) visit(`${path}.${sub}`, sf);
  };
  for (const [name, f] of Object.entries<FieldMapping>(mapping.mappings.properties)) visit(name, f);
  for (const ex of mapping.mappings._source?.excludes ?? []) if (!fieldMapping(mapping, ex)) problems.push(`_source.excludes names unknown field ${ex}`);
  return problems;
}

const stripBoost = (f: string) => f.replace(/\^[\d.]+$/, '');

/** Problems with one search request body against the mapping. */
export function checkSearchBody(mapping: MappingDocument, body: Record<string, any>): string[] {
  const problems: string[] = [];
  const need = (field: string, ok: (f: FieldMapping) => boolean, what: string) => {
    const f = fieldMapping(mapping, field);
    if (!f) problems.push(`${what}: unknown field ${field}`);
    else if (!ok(f)) problems.push(`${what}: field ${field} is ${f.type}`);
  };
  const visitQuery = (q: Record<string, any>, where: string) => {
    for (const [type, spec] of Object.entries(q)) {
      if (type === 'bool') {
        for (const clause of ['must', 'filter', 'should', 'must_not']) for (const sub of spec[clause] ?? []) visitQuery(sub, `${where}.bool.${clause}`);
      } else if (TEXT_QUERIES.has(type)) {
        for (const field of Object.keys(spec)) need(field, (f) => f.type === 'text', `${where}.${type}`);
      } else if (MULTI_FIELD_QUERIES.has(type)) {
        const fields = (spec.fields as string[]).map(stripBoost);
        for (const field of fields) need(field, (f) => f.type === 'text', `${where}.${type}`);
        if (type === 'combined_fields') {
          const analyzers = new Set(fields.map((field) => fieldMapping(mapping, field)?.analyzer));
          if (analyzers.size > 1) problems.push(`${where}.combined_fields: fields use different analyzers`);
          for (const f of spec.fields as string[]) {
            const boost = /\^([\d.]+)$/.exec(f)?.[1];
            if (boost !== undefined && Number(boost) < 1) problems.push(`${where}.combined_fields: boost of ${f} is below 1`);
          }
        }
      } else if (type === 'term' || type === 'terms' || type === 'prefix') {
        for (const field of Object.keys(spec)) need(field, (f) => EXACT_TYPES.has(f.type), `${where}.${type}`);
      } else if (type === 'range') {
        for (const field of Object.keys(spec)) need(field, (f) => RANGE_TYPES.has(f.type), `${where}.range`);
      } else if (type !== 'match_all' && type !== 'match_none') {
        problems.push(`${where}: query type ${type} is not checked here`);
      }
    }
  };
  if (body.query) visitQuery(body.query, 'query');
  for (const s of body.sort ?? []) {
    for (const field of Object.keys(s)) if (field !== '_score') need(field, (f) => EXACT_TYPES.has(f.type), 'sort');
  }
  for (const [name, agg] of Object.entries<any>(body.aggs ?? {})) {
    if (agg.terms) need(agg.terms.field, (f) => EXACT_TYPES.has(f.type), `aggs.${name}`);
    else problems.push(`aggs.${name}: aggregation type is not checked here`);
  }
  for (const field of Array.isArray(body._source) ? body._source : []) need(field, () => true, '_source');
  const window = mapping.settings.max_result_window ?? 10_000;
  if ((body.from ?? 0) + (body.size ?? 10) > window) problems.push(`from + size exceeds max_result_window ${window}`);
  return problems;
}

/** Problems with one document against the strict mapping (unknown fields, values of the wrong kind). */
export function checkDocument(mapping: MappingDocument, doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(doc)) {
    const f = fieldMapping(mapping, key);
    if (!f) { problems.push(`document field ${key} is not in the mapping (dynamic: strict refuses it)`); continue; }
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v === null) continue;
      const ok = f.type === 'text' || f.type === 'keyword' ? typeof v === 'string'
        : f.type === 'date' ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
          : ['integer', 'byte', 'short', 'long'].includes(f.type) ? Number.isInteger(v) : true;
      if (!ok) problems.push(`document field ${key} (${f.type}) holds ${JSON.stringify(v)}`);
      if (f.type === 'byte' && Number.isInteger(v) && ((v as number) < -128 || (v as number) > 127)) problems.push(`document field ${key} is out of byte range`);
    }
  }
  return problems;
}
