// Builds the Astro site (site/ -> site/dist) when the build is missing or older than its sources.
// `npm run build:site` forces a build; `npm start` and the e2e tests call it to build only when
// needed. Plain JavaScript like ensure-install.mjs; the build itself runs on the project's Node 24.
//
// "Stale" is decided by content, not by file times (a git checkout rewrites times): a hash of every
// source file under site/ plus the Astro and adapter versions, kept in site/dist/.source-hash.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const site = path.join(root, 'site');
const dist = path.join(site, 'dist');
const stampFile = path.join(dist, '.source-hash');
const SKIP = new Set(['dist', 'node_modules', '.astro']);

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(full);
    else if (entry.isFile()) yield full;
  }
}

const versionOf = (pkg) => {
  try {
    return JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'missing';
  }
};

/** The hash the current sources would stamp on a build. */
export function siteSourceHash() {
  const h = createHash('sha256');
  h.update(`astro@${versionOf('astro')} @astrojs/node@${versionOf('@astrojs/node')}\n`);
  for (const file of sourceFiles(site)) {
    h.update(path.relative(site, file).split(path.sep).join('/'));
    h.update('\0');
    h.update(readFileSync(file));
    h.update('\0');
  }
  return h.digest('hex');
}

export function siteBuildIsCurrent() {
  return existsSync(path.join(dist, 'server', 'entry.mjs')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === siteSourceHash();
}

/** Builds the site unless the build in site/dist matches its sources (or always, with force). */
export function ensureSiteBuilt({ force = false, quiet = false } = {}) {
  if (!force && siteBuildIsCurrent()) return false;
  const hash = siteSourceHash();
  if (!quiet) process.stdout.write('shelfmark: building the site (site/ -> site/dist)...\n');
  // The project's Node 24 when installed (Astro 7 refuses Node below 22.12), else the running one.
  const nodeBin = existsSync(path.join(root, 'node_modules/.bin/node')) ? path.join(root, 'node_modules/.bin/node') : process.execPath;
  const astro = path.join(root, 'node_modules/astro/bin/astro.mjs');
  execFileSync(nodeBin, [astro, 'build', '--root', site, '--silent'], {
    cwd: root,
    stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  writeFileSync(stampFile, `${hash}\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureSiteBuilt({ force: process.argv.includes('--force') });
}
