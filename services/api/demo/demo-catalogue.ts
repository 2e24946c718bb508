import type { Deps } from '../app-context.ts';
import { itemCreator, recordCreator } from '../modules/catalog/catalog.service.ts';
import { RecordEntity, DeletionLogEntity } from '../modules/catalog/catalog.entities.ts';

// A small demo catalogue so a first `npm start` shows something. Loaded once, into an empty
// database that has never deleted anything (a library that emptied its catalogue keeps it empty).
const DEMO = [
  { title: 'The Pragmatic Programmer', authors: ['Hunt, Andrew', 'Thomas, David'], publisher: 'Addison-Wesley', year: 1999, isbn: '9780201616224', subjects: ['Computer programming', 'Software engineering'], tags: ['classic'], copies: [['two-week', 2599], ['overnight', 2599]] },
  { title: 'Structure and Interpretation of Computer Programs', authors: ['Abelson, Harold', 'Sussman, Gerald Jay'], publisher: 'MIT Press', year: 1996, isbn: '0262510871', edition: '2nd', subjects: ['Computer programming', 'LISP (Computer program language)'], tags: ['classic'], copies: [['two-week', 5500]] },
  { title: 'A History of the Siege of Vicksburg', authors: ['Greene, Francis Vinton'], publisher: "Charles Scribner's Sons", year: 1882, subjects: ['History', 'Vicksburg (Miss.) -- History -- Siege, 1863'], tags: ['civil war'], copies: [['reserved', 12000]] },
  { title: 'Batman: Year One', authors: ['Miller, Frank'], publisher: 'DC Comics', year: 1987, isbn: '9781401207526', subjects: ['Comic books, strips, etc.'], tags: ['graphic novel'], copies: [['two-week', 1999]] },
  { title: 'The Man Who Mistook His Wife for a Hat', authors: ['Sacks, Oliver'], publisher: 'Summit Books', year: 1985, isbn: '0671554719', subjects: ['Neurology', 'Case studies'], tags: [], copies: [['two-week', 1650], ['two-week', 1650]] },
  { title: 'Introduction to Algorithms', authors: ['Cormen, Thomas H.', 'Leiserson, Charles E.', 'Rivest, Ronald L.', 'Stein, Clifford'], publisher: 'MIT Press', year: 2009, isbn: '9780262033848', edition: '3rd', subjects: ['Computer algorithms', 'Computer programming'], tags: ['textbook'], copies: [['overnight', 9500], ['reserved', 9500]] },
  { title: 'A Brief History of Time', authors: ['Hawking, Stephen'], publisher: 'Bantam', year: 1988, isbn: '055305340X', subjects: ['Cosmology', 'History'], tags: ['popular science'], copies: [['two-week', 1800]] },
  { title: 'Histoire de la littérature française', authors: ['Lanson, Gustave'], publisher: 'Hachette', year: 1912, language: 'fre', subjects: ['French literature -- History and criticism'], tags: [], copies: [['reserved', 4000]] },
  { title: 'Field Recordings of Birdsong', authors: ['Shelfmark Demo'], publisher: null, year: 2024, mediaType: 'Audio', subjects: ['Birdsong', 'Sound recordings'], tags: ['digital'], copies: [] },
  { title: 'Journal of Library Automation, vol. 1', authors: ['American Library Association'], publisher: 'ALA', year: 1968, mediaType: 'Journal', subjects: ['Libraries -- Automation'], tags: ['periodical'], copies: [['reserved', 3000]] },
] as const;

export async function demoCatalogueLoader(deps: Deps): Promise<number> {
  const em = deps.orm.em.fork();
  if ((await em.count(RecordEntity, {})) > 0 || (await em.count(DeletionLogEntity, {})) > 0) return 0;
  for (const d of DEMO) {
    const record = await recordCreator(deps, em.fork(), {
      title: d.title, authors: [...d.authors], publisher: d.publisher ?? null, year: d.year, isbn: 'isbn' in d ? d.isbn : null,
      edition: 'edition' in d ? d.edition : null, version: null, subjects: [...d.subjects], tags: [...d.tags],
      mediaType: 'mediaType' in d ? d.mediaType : 'Book', language: 'language' in d ? d.language : 'eng', description: null,
    });
    for (const [loanCategory, cost] of d.copies) {
      await itemCreator(deps, em.fork(), record.id, { loanCategory, location: 'Central Branch', floor: '2', mediaType: 'Book', replacementCostCents: cost, status: 'available' });
    }
  }
  deps.log.info({ records: DEMO.length }, 'demo catalogue loaded');
  return DEMO.length;
}
