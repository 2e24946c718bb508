// Prints tests/integration/route-access.table.ts from the routes the app mounts. Run it when you add
// a route, then READ the diff: the table is the reviewed statement of who may call what.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { allRoutes } from '../services/api/app.ts';
import { loadConfig } from '../services/api/config.ts';
import { systemClock } from '../services/api/clock.ts';
import type { Deps } from '../services/api/app-context.ts';

const GROUPS: Record<string, string> = {
  'anonymous,patron,librarian,supervisor,admin': 'everyone',
  'patron,librarian,supervisor,admin': 'signed-in',
  'librarian,supervisor,admin': 'staff',
  'supervisor,admin': 'supervisors',
  admin: 'admins',
};
const deps = { config: loadConfig({ DATA_DIR: '/tmp/shelfmark-route-table' }), clock: systemClock } as unknown as Deps;
const rows = allRoutes(deps).map((r) => {
  const key = `${r.method.toUpperCase()} ${r.path.replace(/:([A-Za-z_]+)/g, '{$1}')}`;
  const group = GROUPS[[...r.allow].join(',')];
  if (!group) throw new Error(`${key}: roles ${r.allow.join(',')} are not one of the named groups in http/roles.ts`);
  return `  '${key}': '${group}',`;
}).sort();
const out = `// Who may call each route: generated once by scripts/route-access-table.ts, then reviewed by hand.
// tests/integration/route-access.test.ts fails when a route is missing here or allows other roles.
export const ROLE_GROUPS = {
  everyone: ['anonymous', 'patron', 'librarian', 'supervisor', 'admin'],
  'signed-in': ['patron', 'librarian', 'supervisor', 'admin'],
  staff: ['librarian', 'supervisor', 'admin'],
  supervisors: ['supervisor', 'admin'],
  admins: ['admin'],
} as const;

export const ROUTE_ACCESS: Record<string, keyof typeof ROLE_GROUPS> = {
${rows.join('\n')}
};
`;
writeFileSync(path.resolve(import.meta.dirname, '../tests/integration/route-access.table.ts'), out);
process.stdout.write(`${rows.length} routes\n`);
