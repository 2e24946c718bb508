import { EVERYONE } from './roles.ts';
import { route } from './route.ts';
import { problem } from './problem.ts';

const withTimeout = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms))]);

export function healthRoutes() {
  return [
    route({
      method: 'get', path: '/health', tag: 'service', summary: 'The process is running', allow: EVERYONE,
      handler: (ctx) => { ctx.body = { status: 'ok' }; },
    }),
    route({
      method: 'get', path: '/ready', tag: 'service', summary: 'Database, storage and search answer (503 names the part that does not)', allow: EVERYONE,
      responses: { 200: 'Ready', 503: 'Not ready' },
      handler: async (ctx) => {
        const checks: Record<string, 'ok' | string> = {};
        const check = async (name: string, fn: () => Promise<unknown>) => {
          try { await withTimeout(fn(), 3000); checks[name] = 'ok'; } catch (err) { checks[name] = (err as Error).message || 'failed'; }
        };
        await check('database', () => ctx.deps.orm.em.fork().getConnection().execute('select 1'));
        await check('storage', () => ctx.deps.blobs.ping());
        // Search runs on the database in the embedded default; the Elasticsearch engine adds its own check.
        checks.search = checks.database!;
        const failing = Object.entries(checks).filter(([, v]) => v !== 'ok').map(([k]) => k);
        if (failing.length) {
          throw problem(503, 'not-ready', 'Not ready', `Not answering: ${failing.join(', ')}.`, { checks });
        }
        ctx.body = { status: 'ready', checks };
      },
    }),
  ];
}
