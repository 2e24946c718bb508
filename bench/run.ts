// `npm run bench`: runs every bench/*.bench.ts in turn, each as its own process (they start and
// measure child processes of their own). Arguments pick benches by name: `npm run bench -- upload`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).filter((f) => !wanted.length || wanted.some((w) => f.includes(w))).sort();
if (!benches.length) {
  process.stderr.write(`no bench matches ${wanted.join(' ')}; have: ${readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).join(', ')}\n`);
  process.exit(1);
}
let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n=== ${bench} ===\n`);
  const run = spawnSync(process.execPath, [path.join(dir, bench)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
