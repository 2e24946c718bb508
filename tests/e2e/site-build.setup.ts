import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** The e2e tests drive the built site: build it first when site/dist is missing or stale. */
export default function setup() {
  const script = path.resolve(import.meta.dirname, '../../scripts/build-site.mjs');
  execFileSync(process.execPath, [script], { stdio: 'inherit' });
}
