// What the catalogue editor's pick lists offer, and the call number it suggests for a new copy: read
// in one go by the "add a book" and "edit a record" pages.
import type { SiteLocals } from '../../../services/api/http/site-api.ts';
import type { Vocabulary } from './types.ts';
import type { ProblemLike } from './circulation-messages.ts';

export type Choice = Vocabulary['values'][number];

export interface CatalogueChoices {
  mediaTypes: Choice[];
  loanCategories: Choice[];
  locations: Choice[];
  /** The lowest unused call number (GET /api/v1/items/next-call-number), or null when it could not be read. */
  suggestedCallNumber: string | null;
}

export async function catalogueChoicesLoader(api: SiteLocals['api']): Promise<CatalogueChoices> {
  const [mediaTypes, loanCategories, locations, next] = await Promise.all([
    api<Vocabulary>('GET', '/api/v1/vocabularies/media-types'),
    api<Vocabulary>('GET', '/api/v1/vocabularies/loan-categories'),
    api<Vocabulary>('GET', '/api/v1/vocabularies/locations'),
    api<{ callNumber: string }>('GET', '/api/v1/items/next-call-number'),
  ]);
  const values = (v: typeof mediaTypes) => (v.ok ? v.body.values : []);
  return { mediaTypes: values(mediaTypes), loanCategories: values(loanCategories), locations: values(locations), suggestedCallNumber: next.ok ? next.body.callNumber : null };
}

export const noCatalogueChoices: CatalogueChoices = { mediaTypes: [], loanCategories: [], locations: [], suggestedCallNumber: null };

/** Adds a typed-in choice ("add a new choice") to its list; one already there is fine. */
export async function choiceEnsurer(api: SiteLocals['api'], vocabulary: string, value: string): Promise<ProblemLike | null> {
  if (!value) return null;
  const res = await api('POST', `/api/v1/vocabularies/${vocabulary}`, { value });
  return res.ok || res.problem.code === 'vocabulary-value-exists' ? null : res.problem;
}
