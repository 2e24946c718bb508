// Runs before `npm start` and `npm test` on whatever Node the machine has (it may be Node 20), so
// it is plain JavaScript. It installs the locked dependencies, including the Node 24 binary that
// every other script runs on, when they are missing or older than the lock file.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import process from 'node:process';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || !existsSync('node_modules/.bin/node') ||
  (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
if (stale) {
  process.stdout.write('shelfmark: installing dependencies (first run)...\n');
  // npm ci can refuse the lock when a platform-specific optional package is missing from the
  // registry (Astro's compiler bindings for other systems); npm install then uses the lock as is.
  try {
    execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', { stdio: 'inherit' });
  } catch {
    execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
  }
}
