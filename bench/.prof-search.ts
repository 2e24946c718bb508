import { openOrm } from '../services/api/db/orm.ts';
import { systemClock } from '../services/api/clock.ts';
import { PostgresSearchIndex } from '../services/api/modules/search/postgres-search-index.ts';
import { searchQueryFrom } from '../services/api/modules/search/search-query.ts';
import { keywordQueries, suggestQueries, vocabulary } from './search-data.ts';
const orm = await openOrm({ kind: 'pglite', dataDir: '/tmp/shelfmark-bench-search/pglite-100000/db' });
const index = new PostgresSearchIndex(orm, systemClock, { cache: false });
const v = vocabulary();
const known = (await orm.em.fork().getConnection().execute(`select title, authors from records order by id limit 5000`)) as any[];
const kq = keywordQueries(300, v, known);
const times: Array<[number, string, string]> = [];
for (const p of kq) {
  const s = performance.now();
  const r = await index.search(searchQueryFrom({ ...p, sort: 'relevance', page: 1, pageSize: 20 } as any), 0);
  times.push([performance.now() - s, JSON.stringify(p), `${r.total}${r.totalRelation}`]);
}
times.sort((a, b) => b[0] - a[0]);
const sum = times.reduce((n, t) => n + t[0], 0);
console.log('keyword mean', (sum / times.length).toFixed(1), 'median', times[150]![0].toFixed(1));
for (const t of times.slice(0, 15)) console.log(t[0].toFixed(1), t[1], t[2]);
const broad = times.filter((t) => t[2].endsWith('gte'));
console.log('broad', broad.length, 'mean', (broad.reduce((n, t) => n + t[0], 0) / broad.length).toFixed(1));
const narrow = times.filter((t) => !t[2].endsWith('gte'));
console.log('narrow', narrow.length, 'mean', (narrow.reduce((n, t) => n + t[0], 0) / narrow.length).toFixed(1));
const sq = suggestQueries(300, known);
const st: Array<[number, string, number]> = [];
for (const q of sq) { const s = performance.now(); const r = await index.suggest(q, 0, 10); st.push([performance.now() - s, q, r.length]); }
st.sort((a, b) => b[0] - a[0]);
console.log('suggest mean', (st.reduce((n, t) => n + t[0], 0) / st.length).toFixed(1), 'median', st[150]![0].toFixed(1));
for (const t of st.slice(0, 12)) console.log(t[0].toFixed(1), JSON.stringify(t[1]), t[2]);
// a null query through the ORM: the fixed cost of one statement
const s = performance.now(); for (let i = 0; i < 200; i++) await orm.em.fork().getConnection().execute('select 1'); console.log('select 1 via ORM', ((performance.now() - s) / 200).toFixed(2), 'ms');
await orm.close();
