import { openOrm } from '../services/api/db/orm.ts';
import { systemClock } from '../services/api/clock.ts';
import { PostgresSearchIndex } from '../services/api/modules/search/postgres-search-index.ts';
import { searchQueryFrom } from '../services/api/modules/search/search-query.ts';
const orm = await openOrm({ kind: 'pglite', dataDir: '/tmp/shelfmark-bench-search/pglite-100000/db' });
const conn: any = orm.em.getConnection();
const proto = Object.getPrototypeOf(conn);
const orig = proto.execute;
let captured = '';
proto.execute = function (q: string, p: unknown[] = [], ...rest: unknown[]) { if (/with /.test(q)) captured = this.getPlatform().formatQuery(q, p); return orig.call(this, q, p, ...rest); };
const index = new PostgresSearchIndex(orm, systemClock, { cache: false });
for (const q of process.argv.slice(2)) {
  await index.search(searchQueryFrom({ q, sort: 'relevance', page: 1, pageSize: 20 } as any), 0);
  const sql = captured;
  for (let i = 0; i < 2; i++) {
    const rows = await orig.call(conn, 'explain (analyze, buffers) ' + sql, []) as any[];
    const lines = rows.map((r) => r['QUERY PLAN'] as string);
    if (i === 1) console.log(q, '\n' + lines.filter((l) => !/Buffers: shared hit=\d+$/.test(l.trim()) || true).join('\n'));
  }
}
await orm.close();
