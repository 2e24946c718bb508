/* global fetch, setTimeout, clearTimeout */
// Lighthouse scores of the public site: `npm run lighthouse`.
//
// Starts the service in a child process on a free port with a throwaway DATA_DIR and the demo
// catalogue, builds the site first when it is missing or stale, then runs Lighthouse (accessibility
// and performance) in Debian's Chromium on the home page, a search that finds records and a record
// page, with both presets: "mobile" (Lighthouse's default: a mid-range phone, simulated slow 4G and
// 4x CPU slowdown) and "desktop" (Lighthouse's desktop config). Prints a table and exits non-zero
// when any accessibility score is below 100 or any performance score below 90.
//
// Options: --preset=mobile|desktop|both (default both), --json=<file> to keep the scores.
// Chromium: CHROMIUM_PATH or /usr/bin/chromium. Lighthouse contacts nothing but the local service.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true']));
const presets = args.preset === 'mobile' ? ['mobile'] : args.preset === 'desktop' ? ['desktop'] : ['mobile', 'desktop'];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MIN = { accessibility: 100, performance: 90 };

function say(s) { process.stdout.write(`${s}\n`); }

// 1. The site, built when stale (the same check `npm start` makes).
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-site.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// 2. The service, on a free port, with its own data directory and the demo catalogue.
const dataDir = mkdtempSync(path.join(tmpdir(), 'shelfmark-lighthouse-'));
const env = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'true', LOG_LEVEL: 'warn', WORKER: 'inline', SHELFMARK_ADMIN_PASSWORD: 'lighthouse-admin-password' };
delete env.DATABASE_URL;
const child = spawn(process.execPath, ['services/api/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let chrome = null;
const cleanup = async () => {
  try {
    await chrome?.kill();
  } catch { /* already gone */ }
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  rmSync(dataDir, { recursive: true, force: true });
};

let exitCode = 0;
try {
  const base = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the service did not start within 120 s')), 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /running at http:\/\/localhost:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(`http://127.0.0.1:${m[1]}`); }
    });
    child.once('exit', (c) => { clearTimeout(timer); reject(new Error(`the service exited (${c}) before it was ready`)); });
  });
  for (let i = 0; i < 120; i++) {
    const r = await fetch(`${base}/ready`).catch(() => null);
    if (r?.status === 200) break;
    await new Promise((res) => setTimeout(res, 500));
  }

  // 3. The pages: a search that returns records, and the first record it finds.
  const query = 'programming';
  const found = await (await fetch(`${base}/api/v1/records?q=${query}&pageSize=1`)).json();
  if (!found.items?.length) throw new Error(`the demo catalogue has no record for "${query}"`);
  const pages = [
    { name: 'home', url: `${base}/` },
    { name: 'search', url: `${base}/search?q=${query}` },
    { name: 'record', url: `${base}/records/${found.items[0].id}` },
  ];
  // Warm the service (first renders compile templates and fill caches) so the scores are the steady state.
  for (const p of pages) await (await fetch(p.url)).arrayBuffer();

  chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS, logLevel: 'silent' });
  const rows = [];
  for (const preset of presets) {
    for (const p of pages) {
      const result = await lighthouse(p.url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'performance'] },
        preset === 'desktop' ? desktopConfig : undefined);
      const lhr = result.lhr;
      const score = (c) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
      const failing = Object.values(lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && (a.scoreDisplayMode === 'binary' || a.scoreDisplayMode === 'numeric') && lhr.categories.accessibility.auditRefs.some((r) => r.id === a.id && r.weight > 0))
        .map((a) => a.id);
      rows.push({
        page: p.name, preset, accessibility: score('accessibility'), performance: score('performance'),
        fcp: lhr.audits['first-contentful-paint']?.displayValue ?? '', lcp: lhr.audits['largest-contentful-paint']?.displayValue ?? '',
        tbt: lhr.audits['total-blocking-time']?.displayValue ?? '', cls: lhr.audits['cumulative-layout-shift']?.displayValue ?? '',
        a11yIssues: failing,
        perfHints: lhr.categories.performance.auditRefs.filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 0.9).map((r) => `${r.id} (${lhr.audits[r.id].displayValue ?? lhr.audits[r.id].score})`),
      });
    }
  }

  // 4. The table.
  const cols = ['page', 'preset', 'accessibility', 'performance', 'fcp', 'lcp', 'tbt', 'cls'];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(c.length, ...rows.map((r) => String(r[c]).length))]));
  const line = (r) => `| ${cols.map((c) => String(r[c]).padEnd(width[c])).join(' | ')} |`;
  say('');
  say(line(Object.fromEntries(cols.map((c) => [c, c]))));
  say(`|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`);
  for (const r of rows) say(line(r));
  say('');
  for (const r of rows) {
    if (r.a11yIssues.length) say(`${r.page} (${r.preset}) accessibility audits not passed: ${r.a11yIssues.join(', ')}`);
    if (r.performance < MIN.performance && r.perfHints.length) say(`${r.page} (${r.preset}) performance: ${r.perfHints.join(', ')}`);
  }
  const below = rows.filter((r) => r.accessibility < MIN.accessibility || r.performance < MIN.performance);
  if (args.json) writeFileSync(args.json, JSON.stringify({ lighthouse: JSON.parse(readFileSync(path.join(root, 'node_modules/lighthouse/package.json'), 'utf8')).version, rows }, null, 2));
  if (below.length) {
    say(`FAILED: ${below.map((r) => `${r.page}/${r.preset}`).join(', ')} below accessibility ${MIN.accessibility} or performance ${MIN.performance}`);
    exitCode = 1;
  } else {
    say(`All ${rows.length} runs at accessibility ${MIN.accessibility} and performance ${MIN.performance} or better.`);
  }
} catch (err) {
  process.stderr.write(`lighthouse: ${err instanceof Error ? err.message : String(err)}\n`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
