import { decadeRange, visibleAccessLevels } from './search-document.ts';
import { FACET_LIMITS, type Audience, type FacetValue, type Facets } from './search-index.ts';

// Turns raw (field, value, count) triples from either engine into the API's facet lists, with
// one ordering rule: most frequent first, ties by value; years and decades newest first.

export type FacetField = 'subject' | 'tag' | 'mediaType' | 'year' | 'decade' | 'availability' | 'access';

const byCount = (a: FacetValue, b: FacetValue) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);
const byValueDesc = (a: FacetValue, b: FacetValue) => Number(b.value.split('-')[0]) - Number(a.value.split('-')[0]);

export function facetsFrom(triples: Iterable<{ field: FacetField; value: string; count: number }>, viewer: Audience): Facets {
  const f: Facets = { subject: [], mediaType: [], year: [], decade: [], tag: [], availability: [], access: [] };
  const accessVisible = new Set<string>(visibleAccessLevels(viewer));
  for (const t of triples) {
    if (t.count <= 0) continue;
    if (t.field === 'access' && !accessVisible.has(t.value)) continue;
    f[t.field].push({ value: t.field === 'decade' ? decadeRange(Number(t.value)) : t.value, count: t.count });
  }
  f.subject = f.subject.sort(byCount).slice(0, FACET_LIMITS.subject);
  f.tag = f.tag.sort(byCount).slice(0, FACET_LIMITS.tag);
  f.mediaType.sort(byCount);
  f.availability.sort(byCount);
  f.access.sort(byCount);
  f.year = f.year.sort(byValueDesc).slice(0, FACET_LIMITS.year);
  f.decade.sort(byValueDesc);
  return f;
}
