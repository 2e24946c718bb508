// The public site, rendered on the server and mounted inside the Koa service (services/api/http/site-mount.ts).
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  // Pages take small forms only (sign-in); uploads go straight to the API.
  adapter: node({ mode: 'middleware', bodySizeLimit: 1024 * 1024 }),
  // Kept out of site/ so a build leaves no node_modules folder behind in the site.
  cacheDir: '../node_modules/.astro',
  // Koa checks the Origin of form posts itself (it knows TRUST_PROXY; Astro would compare the
  // browser's https:// origin with the http:// address behind a TLS-terminating proxy).
  security: { checkOrigin: false },
  // Every stylesheet and script is a file under /_astro/: the Content-Security-Policy has no
  // 'unsafe-inline' and no hashes to keep in step.
  build: { inlineStylesheets: 'never' },
  vite: { build: { assetsInlineLimit: 0 }, cacheDir: '../node_modules/.vite-site' },
  devToolbar: { enabled: false },
  compressHTML: true,
});
