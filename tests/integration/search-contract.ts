import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor, type TestService } from '../support/test-service.ts';
import { userCreator } from '../../services/api/modules/auth/auth.service.ts';
import { minimalPdf } from '../../services/api/modules/files/test-inputs.ts';
import { isbn10To13 } from '../../services/api/modules/catalog/isbn.ts';

// The one contract every SearchIndex engine passes (issue 4). It goes through the HTTP API and the
// outbox indexer, so it checks the whole path: triggers -> outbox -> indexer -> engine -> API.
// search-postgres.test.ts runs it on PGlite or PostgreSQL; search-elasticsearch.test.ts on a live
// Elasticsearch when ELASTICSEARCH_URL is set.

export interface SearchHarness {
  svc: TestService;
  /** Indexes everything pending and makes it visible to searches. */
  settle(): Promise<void>;
}

type Json = any;

export function describeSearchContract(engine: string, start: () => Promise<SearchHarness>) {
  describe(`SearchIndex contract: ${engine}`, () => {
    let h: SearchHarness;
    let svc: TestService;
    let patron: string;
    const ids: Record<string, string> = {};

    const api = (p: string, token: string | null = null) => svc.api('GET', p, { token });
    const search = async (query: string, token: string | null = null): Promise<Json> => {
      const res = await api(`/api/v1/records?pageSize=100&${query}`, token);
      expect(res.status, await res.clone().text()).toBe(200);
      return res.json();
    };
    const titles = async (query: string, token: string | null = null) => (await search(query, token)).items.map((i: Json) => i.title).sort();
    const sql = (text: string, params: unknown[] = []) => svc.deps.orm.em.fork().getConnection().execute(text, params, 'run');

    async function record(body: Record<string, unknown>, copies: Array<'available' | 'on-loan'> = []) {
      svc.clock.advance(1000); // distinct creation times, so "date added" has one answer
      const res = await svc.api('POST', '/api/v1/records', { token: svc.adminToken, json: { authors: ['Anon, A'], ...body } });
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = await res.json();
      for (const status of copies) {
        const item = await (await svc.api('POST', `/api/v1/records/${id}/items`, {
          token: svc.adminToken, json: { loanCategory: 'two-week', location: 'Central Branch', floor: 1, mediaType: 'Book', replacementCostCents: 1000 },
        })).json();
        if (status === 'on-loan') await sql(`update items set status = 'on-loan' where id = ?`, [item.id]);
      }
      return id as string;
    }

    /** A holding with already extracted text, written as the derive job writes it. */
    async function holding(recordId: string, access: string, text: string, embargoUntil: string | null = null) {
      await sql(
        `insert into files (id, record_id, original_name, media_type, size, sha256, storage_key, status, access, embargo_until, extracted_text, created_at)
         values (?, ?, 'text.pdf', 'application/pdf', 1, ?, ?, 'ready', ?, ?, ?, now())`,
        [randomUUID(), recordId, 'a'.repeat(64), `originals/${randomUUID()}`, access, embargoUntil, text]);
    }

    beforeAll(async () => {
      h = await start();
      svc = h.svc;
      await userCreator(svc.deps, svc.deps.orm.em.fork(), { username: 'reader', password: 'reader-password', roles: ['patron'] });
      patron = await tokenFor(svc.api, 'reader', 'reader-password');

      ids.batman = await record({ title: 'Batman: Year One', authors: ['Miller, Frank'], publisher: 'DC Comics', year: 1987, isbn: '9781401207526', subjects: ['Comic books'], tags: ['graphic novel'] }, ['available']);
      ids.man = await record({ title: 'The Man Who Mistook His Wife for a Hat', authors: ['Sacks, Oliver'], publisher: 'Summit Books', year: 1985, isbn: '0671554719', subjects: ['Neurology', 'Case studies'] }, ['on-loan']);
      ids.time = await record({ title: 'A Brief History of Time', authors: ['Hawking, Stephen'], publisher: 'Bantam', year: 1988, isbn: '0-553-05340-X', subjects: ['Cosmology', 'History'], tags: ['popular science'] }, ['available', 'on-loan']);
      ids.manhattan = await record({ title: 'Manhattan Transfer', authors: ['Dos Passos, John'], publisher: 'Harper', year: 1925, subjects: ['New York (N.Y.) -- Fiction'] }, ['available']);
      ids.robot = await record({ title: 'I, Robot', authors: ['Asimov, Isaac'], publisher: 'Gnome Press', year: 1950, subjects: ['Science fiction'], tags: ['classic'] }, ['available']);
      ids.rome = await record({ title: 'A History of Rome', authors: ['Livy'], publisher: 'Penguin', year: 1960, subjects: ['Rome -- History'], mediaType: 'Journal' });
      ids.birds = await record({ title: 'Field Recordings of Birdsong', authors: ['Shelfmark Demo'], year: 2024, mediaType: 'Audio', subjects: ['Birdsong'], tags: ['digital'] });
      ids.cafe = await record({ title: 'Café Society', authors: ['Ørsted, Hans'], year: 2001, subjects: ['Sociology'] }, ['available']);
      // Holdings with access levels.
      ids.private = await record({ title: 'Diaries of a Private Collector', authors: ['Collector, P'], year: 1901, subjects: ['Diaries'] });
      await holding(ids.private, 'restricted', 'The zanzibar manuscript and other secrets');
      ids.thesis = await record({ title: 'Embargoed Thesis on Glaciers', authors: ['Student, G'], year: 2025, subjects: ['Glaciology'] });
      await holding(ids.thesis, 'embargoed', 'Terminal moraine formation', '2026-06-01T00:00:00Z');
      ids.newsletter = await record({ title: 'Members Newsletter', authors: ['Society, L'], year: 2020, subjects: ['Newsletters'] });
      await holding(ids.newsletter, 'signed-in', 'The quarterly report of the society');
      ids.maps = await record({ title: 'Local Maps', authors: ['Surveyor, M'], year: 1890, subjects: ['Maps'] }, ['available']);
      await holding(ids.maps, 'restricted', 'An ornate cartouche in the corner');
      await holding(ids.maps, 'public', 'Scale one inch to the mile');
      // A real PDF through the upload pipeline and the derive job.
      ids.report = await record({ title: 'Annual Report', authors: ['Library, S'], year: 2023, subjects: ['Reports'] });
      const form = new FormData();
      form.set('access', 'public');
      form.set('file', new Blob([new Uint8Array(minimalPdf(['Shelfmark keeps the words of a book', 'Second page about lighthouses']))]), 'report.pdf');
      expect((await svc.api('POST', `/api/v1/records/${ids.report}/files`, { token: svc.adminToken, body: form })).status).toBe(201);
      const { workerFor } = await import('../../services/api/service.ts');
      await workerFor(svc.deps).drain();
      await h.settle();
    });
    afterAll(async () => { await svc?.close(); });

    describe('whole words (seed 003)', () => {
      it('"man" finds The Man Who..., never Batman or Manhattan; "batman" finds Batman', async () => {
        expect(await titles('title=man')).toEqual(['The Man Who Mistook His Wife for a Hat']);
        expect(await titles('q=man')).toEqual(['The Man Who Mistook His Wife for a Hat']);
        expect(await titles('title=batman')).toEqual(['Batman: Year One']);
        expect(await titles('q=BATMAN')).toEqual(['Batman: Year One']);
        expect(await titles('q=bat')).toEqual([]);
        expect(await titles('q=manhattan')).toEqual(['Manhattan Transfer']);
      });

      it('searches one word on each field of the seed form: author, year, publisher, ISBN', async () => {
        expect(await titles('author=Isaac')).toEqual(['I, Robot']);
        expect(await titles('year=2011')).toEqual([]);
        expect(await titles('year=1987')).toEqual(['Batman: Year One']);
        expect(await titles('publisher=bantam')).toEqual(['A Brief History of Time']);
        expect(await titles('publisher=Summit')).toEqual(['The Man Who Mistook His Wife for a Hat']);
        expect(await titles('author=sack')).toEqual([]);
      });

      it('folds case and accents the same way in documents and queries', async () => {
        expect(await titles('q=cafe')).toEqual(['Café Society']);
        expect(await titles('author=orsted')).toEqual(['Café Society']);
        expect(await titles('q=CAFÉ')).toEqual(['Café Society']);
      });
    });

    describe('keyword and fielded search', () => {
      it('finds a keyword in every indexed field: title, author, subject, tag, publisher, ISBN, year', async () => {
        expect(await titles('q=sacks')).toEqual(['The Man Who Mistook His Wife for a Hat']);
        expect(await titles('q=cosmology')).toEqual(['A Brief History of Time']);
        expect(await titles('q=popular')).toEqual(['A Brief History of Time']);
        expect(await titles('q=gnome')).toEqual(['I, Robot']);
        expect(await titles('q=9781401207526')).toEqual(['Batman: Year One']);
        expect(await titles('q=1950')).toEqual(['I, Robot']);
      });

      it('takes an ISBN with or without hyphens, as ISBN-10 or ISBN-13', async () => {
        const thirteen = isbn10To13('055305340X');
        for (const form of ['0-553-05340-X', '055305340x', thirteen, `978-0-553-05340-${thirteen.at(-1)}`]) {
          expect(await titles(`isbn=${encodeURIComponent(form)}`), form).toEqual(['A Brief History of Time']);
          expect(await titles(`q=${encodeURIComponent(form)}`), form).toEqual(['A Brief History of Time']);
        }
        expect(await titles('isbn=0-553-05340-1')).toEqual([]); // wrong check digit: no match, no error
      });

      it('requires every word, across fields, and combines fielded filters', async () => {
        expect(await titles('q=history+hawking')).toEqual(['A Brief History of Time']);
        expect(await titles('q=history')).toEqual(['A Brief History of Time', 'A History of Rome']);
        expect(await titles('q=history+zzzz')).toEqual([]);
        expect(await titles('title=history&year=1988')).toEqual(['A Brief History of Time']);
        expect(await titles('title=history&author=livy&mediaType=journal')).toEqual(['A History of Rome']);
        expect(await titles('subject=neurology&tag=classic')).toEqual([]);
        expect(await titles('subject=Comic+books&tag=graphic+novel')).toEqual(['Batman: Year One']);
        expect(await titles('year=1980-1989&available=true')).toEqual(['A Brief History of Time', 'Batman: Year One']);
        expect(await titles('year=1980-1989&available=false')).toEqual(['The Man Who Mistook His Wife for a Hat']);
        expect(await titles('mediaType=Audio')).toEqual(['Field Recordings of Birdsong']);
      });

      it('takes a subject or tag of several words as that exact value (a facet value), one word as any containing it', async () => {
        expect(await titles('subject=Rome+--+History')).toEqual(['A History of Rome']);
        expect(await titles('subject=history')).toEqual(['A Brief History of Time', 'A History of Rome']);
        expect(await titles('subject=history+rome')).toEqual([]); // not a subject of anything
        expect(await titles('tag=popular+science')).toEqual(['A Brief History of Time']);
        expect(await titles('tag=science+popular')).toEqual([]);
      });

      it('matches a quoted phrase only with its words together and in order', async () => {
        expect(await titles('q=%22history+of+time%22')).toEqual(['A Brief History of Time']);
        expect(await titles('q=%22time+history%22')).toEqual([]);
      });

      it('finds a record by a phrase inside its PDF\'s extracted text', async () => {
        expect(await titles('q=%22keeps+the+words+of+a+book%22')).toEqual(['Annual Report']);
        expect(await titles('q=lighthouses')).toEqual(['Annual Report']);
      });
    });

    describe('results, facets, sorting and paging', () => {
      it('shows call and accession number, title, authors, ISBN, publisher, year and availability', async () => {
        const res = await search('q=batman');
        expect(res).toMatchObject({ total: 1, totalRelation: 'eq', page: 1, pageSize: 100 });
        expect(res.items[0]).toMatchObject({
          id: ids.batman, title: 'Batman: Year One', authors: ['Miller, Frank'], isbn: '9781401207526', publisher: 'DC Comics', year: 1987,
          mediaType: 'Book', copies: 1, availableCopies: 1, availability: 'available',
        });
        expect(res.items[0].callNumber).toMatch(/^\d{10}$/);
        expect(res.items[0].accessionNumber).toMatch(/^A\d{6}$/);
        expect((await search('q=sacks')).items[0]).toMatchObject({ availability: 'unavailable', copies: 1, availableCopies: 0 });
        expect((await search('q=birdsong')).items[0]).toMatchObject({ availability: 'no-copies', callNumber: null });
      });

      it('counts facets over the matches: subject, media type, year, decade, tag, availability', async () => {
        const res = await search('q=history');
        expect(res.facetsExact).toBe(true);
        expect(res.facets.subject).toEqual([{ value: 'Cosmology', count: 1 }, { value: 'History', count: 1 }, { value: 'Rome -- History', count: 1 }]);
        expect(res.facets.mediaType).toEqual([{ value: 'Book', count: 1 }, { value: 'Journal', count: 1 }]);
        expect(res.facets.year).toEqual([{ value: '1988', count: 1 }, { value: '1960', count: 1 }]);
        expect(res.facets.decade).toEqual([{ value: '1980-1989', count: 1 }, { value: '1960-1969', count: 1 }]);
        expect(res.facets.tag).toEqual([{ value: 'popular science', count: 1 }]);
        expect(res.facets.availability).toEqual([{ value: 'available', count: 1 }, { value: 'no-copies', count: 1 }]);
        const decade = await search('year=1980-1989');
        expect(decade.facets.decade).toEqual([{ value: '1980-1989', count: 3 }]);
      });

      it('sorts by title, year (both ways) and date added, each a stable total order', async () => {
        const all = await search('sort=title');
        const sortKeys = all.items.map((i: Json) => i.title.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim());
        expect(sortKeys).toEqual([...sortKeys].sort());
        const years = (await search('sort=year')).items.map((i: Json) => i.year);
        expect(years).toEqual([...years].sort((a: number, b: number) => a - b));
        const down = (await search('sort=-year')).items.map((i: Json) => i.year);
        expect(down).toEqual([...down].sort((a: number, b: number) => b - a));
        const added = (await search('sort=added')).items.map((i: Json) => i.id);
        expect(added[0]).toBe(ids.report); // the newest record
      });

      it('pages through every result exactly once in the same order', async () => {
        for (const sort of ['relevance', 'title', 'year', '-year', 'added']) {
          const whole = (await search(`sort=${sort}`)).items.map((i: Json) => i.id);
          const paged: string[] = [];
          for (let page = 1; page <= Math.ceil(whole.length / 3); page++) {
            const res = await (await api(`/api/v1/records?sort=${sort}&pageSize=3&page=${page}`)).json();
            paged.push(...res.items.map((i: Json) => i.id));
          }
          expect(paged, sort).toEqual(whole);
        }
        const relevance = (await search('q=history&sort=relevance')).items.map((i: Json) => i.id);
        expect((await search('q=history&sort=relevance')).items.map((i: Json) => i.id)).toEqual(relevance);
      });

      it('ranks a title match above a match in file text only', async () => {
        await record({ title: 'Lighthouses of the North Sea', authors: ['Keeper, L'], year: 1999 });
        await h.settle();
        const order = (await search('q=lighthouses')).items.map((i: Json) => i.title);
        expect(order).toEqual(['Lighthouses of the North Sea', 'Annual Report']);
      });
    });

    describe('access: restricted and embargoed holdings', () => {
      it('never shows anonymous users a record whose only content is restricted, embargoed or for signed-in users', async () => {
        const anon = (await search('')).items.map((i: Json) => i.id);
        expect(anon).not.toContain(ids.private);
        expect(anon).not.toContain(ids.thesis);
        expect(anon).not.toContain(ids.newsletter);
        expect(anon).toContain(ids.maps); // it has a copy on the shelf
        expect(await titles('q=diaries')).toEqual([]);
        expect(await titles('subject=Diaries')).toEqual([]);
        expect((await search('')).facets.subject.map((f: Json) => f.value)).not.toContain('Diaries');
        const staff = (await search('', svc.adminToken)).items.map((i: Json) => i.id);
        expect(staff).toEqual(expect.arrayContaining([ids.private, ids.thesis, ids.newsletter]));
        const reader = (await search('', patron)).items.map((i: Json) => i.id);
        expect(reader).toContain(ids.newsletter);
        expect(reader).not.toContain(ids.private);
      });

      it('matches file text only for those who may read the file', async () => {
        expect(await titles('q=cartouche')).toEqual([]);
        expect(await titles('q=cartouche', patron)).toEqual([]);
        expect(await titles('q=cartouche', svc.adminToken)).toEqual(['Local Maps']);
        expect(await titles('q=mile')).toEqual(['Local Maps']);
        expect(await titles('q=quarterly')).toEqual([]);
        expect(await titles('q=quarterly', patron)).toEqual(['Members Newsletter']);
        expect(await titles('q=zanzibar', svc.adminToken)).toEqual(['Diaries of a Private Collector']);
        expect(await titles('q=moraine', patron)).toEqual([]);
      });

      it('counts in the access facet only the levels the viewer may open', async () => {
        const anon = (await search('')).facets.access;
        expect(anon).toEqual([{ value: 'public', count: 2 }]);
        expect(await titles('access=restricted')).toEqual([]);
        const staff = (await search('', svc.adminToken)).facets.access.map((f: Json) => f.value).sort();
        expect(staff).toEqual(['embargoed', 'public', 'restricted', 'signed-in']);
        expect(await titles('access=restricted', svc.adminToken)).toEqual(['Diaries of a Private Collector', 'Local Maps']);
      });

      it('opens an embargoed holding to everyone on its date (the indexer schedules the change)', async () => {
        expect(await titles('q=moraine')).toEqual([]);
        svc.clock.set('2026-06-01T00:00:01Z');
        await h.settle();
        expect(await titles('q=moraine')).toEqual(['Embargoed Thesis on Glaciers']);
        expect((await search('q=moraine')).facets.access).toEqual([{ value: 'public', count: 1 }]);
      });
    });

    describe('suggestions as you type', () => {
      const suggest = async (q: string, token: string | null = null) => {
        const res = await api(`/api/v1/records/suggest?q=${encodeURIComponent(q)}`, token);
        expect(res.status).toBe(200);
        return (await res.json()) as Array<{ id: string; title: string }>;
      };

      it('completes the last word as a prefix of a title or author word', async () => {
        expect((await suggest('batm')).map((s) => s.title)).toEqual(['Batman: Year One']);
        expect((await suggest('brief hist')).map((s) => s.title)).toEqual(['A Brief History of Time']);
        expect((await suggest('asim')).map((s) => s.title)).toEqual(['I, Robot']);
        expect(await suggest('')).toEqual([]);
      });

      it('forgives a typo: "histroy" suggests records about history', async () => {
        const got = (await suggest('histroy')).map((s) => s.title);
        expect(got).toEqual(expect.arrayContaining(['A History of Rome', 'A Brief History of Time']));
        expect(got.length).toBeLessThanOrEqual(10);
      });

      it('answers { id, title }, at most 10, and hides what the viewer may not find', async () => {
        const got = await suggest('a');
        expect(got.length).toBeLessThanOrEqual(10);
        for (const s of got) expect(Object.keys(s).sort()).toEqual(['id', 'title']);
        expect(await suggest('diaries')).toEqual([]);
        expect((await suggest('diaries', svc.adminToken)).map((s) => s.title)).toEqual(['Diaries of a Private Collector']);
      });
    });

    describe('consistency with the catalogue', () => {
      it('follows every kind of change: record fields, copies, tags, subjects, file text, deletion', async () => {
        await svc.api('PATCH', `/api/v1/records/${ids.robot}`, { token: svc.adminToken, json: { title: 'I, Robot (Collected)', tags: ['anthology'] } });
        await sql(`update items set status = 'on-loan' where record_id = ?`, [ids.robot]);
        await sql(`update subjects set name = 'Sociology and culture' where name = 'Sociology'`);
        await sql(`update files set extracted_text = 'A list of beacons' where record_id = ? and access = 'public'`, [ids.maps]);
        await h.settle();
        expect(await titles('q=collected')).toEqual(['I, Robot (Collected)']);
        expect(await titles('tag=classic')).toEqual([]);
        expect(await titles('tag=anthology')).toEqual(['I, Robot (Collected)']);
        expect((await search('q=robot')).items[0].availability).toBe('unavailable');
        expect(await titles('subject=culture')).toEqual(['Café Society']);
        expect(await titles('q=beacons')).toEqual(['Local Maps']);
        expect(await titles('q=mile')).toEqual([]);
        expect((await svc.api('DELETE', `/api/v1/records/${ids.cafe}`, { token: svc.adminToken })).status).toBe(204);
        await h.settle();
        expect(await titles('q=cafe')).toEqual([]);
      });

      it('rebuilds the whole index from the database with the same answers', async () => {
        const before = await search('q=history&sort=title', svc.adminToken);
        const progress: number[] = [];
        const { records } = await svc.deps.search.indexer.rebuild((p) => progress.push(p.done));
        await h.settle();
        const [row] = await svc.deps.orm.em.fork().getConnection().execute(`select count(*) as n from records`) as Array<{ n: string }>;
        const count = Number(row!.n);
        expect(records).toBe(count);
        expect(progress.at(-1)).toBe(count);
        const after = await search('q=history&sort=title', svc.adminToken);
        expect(after.items).toEqual(before.items);
        expect(after.facets).toEqual(before.facets);
        expect((await search('', svc.adminToken)).total).toBe(count);
      });
    });
  });
}
