import type { EntityManager } from '@mikro-orm/sql';
import { notFound, problem } from '../../http/problem.ts';
import { VocabularyTermEntity } from './catalog.entities.ts';

// Seed 002 wants "lists of choices ... for the enumerated fields" and "it would be REAL nice if the
// user could add a new choice". These are those lists; values are stored as written.
export const VOCABULARIES = {
  locations: ['Central Branch'],
  'loan-categories': ['overnight', 'two-week', 'reserved'],
  'media-types': ['Book', 'CD', 'CD-ROM', 'Film', 'Laserdisk', 'Journal', 'E-book', 'Audio', 'Video', 'Image', 'Manuscript', 'Map'],
} as const;
export type VocabularyName = keyof typeof VOCABULARIES;
export const isVocabularyName = (n: string): n is VocabularyName => Object.hasOwn(VOCABULARIES, n);

const LABELS: Record<string, string> = { overnight: 'Overnight', 'two-week': 'Two Week Loan', reserved: 'Reserved' };

export async function vocabularySeeder(em: EntityManager): Promise<void> {
  for (const [vocabulary, values] of Object.entries(VOCABULARIES)) {
    let position = 0;
    for (const value of values) {
      await em.getConnection().execute(
        `insert into vocabulary_terms (vocabulary, value, label, position) values (?, ?, ?, ?) on conflict (vocabulary, value) do nothing`,
        [vocabulary, value, LABELS[value] ?? value, position++], 'run');
    }
  }
}

export async function vocabularyLister(em: EntityManager, name: string) {
  if (!isVocabularyName(name)) throw notFound('Vocabulary', name);
  const terms = await em.find(VocabularyTermEntity, { vocabulary: name }, { orderBy: { position: 'asc', id: 'asc' } });
  return terms.map((t) => ({ value: t.value, label: t.label }));
}

export async function vocabularyAdder(em: EntityManager, name: string, value: string, label?: string) {
  if (!isVocabularyName(name)) throw notFound('Vocabulary', name);
  const rows = await em.getConnection().execute<Array<{ n: number | null }>>(`select max(position) as n from vocabulary_terms where vocabulary = ?`, [name]);
  const inserted = await em.getConnection().execute<Array<{ value: string }>>(
    `insert into vocabulary_terms (vocabulary, value, label, position) values (?, ?, ?, ?) on conflict (vocabulary, value) do nothing returning value`,
    [name, value, label ?? value, Number(rows[0]?.n ?? 0) + 1]);
  if (!inserted.length) throw problem(409, 'vocabulary-value-exists', 'Already in the list', `"${value}" is already a choice in ${name}.`);
  return { value, label: label ?? value };
}

export async function vocabularyValueChecker(em: EntityManager, name: VocabularyName, value: string, field: string): Promise<void> {
  const found = await em.count(VocabularyTermEntity, { vocabulary: name, value });
  if (!found) {
    throw problem(422, 'unknown-vocabulary-value', `Unknown ${field}`, `"${value}" is not in the ${name} list; add it first (POST /api/v1/vocabularies/${name}).`, { field, vocabulary: name });
  }
}
