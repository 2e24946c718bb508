import type { SiteLocals } from '../../../services/api/http/site-api.ts';

/** The service's hand-over to the pages (Astro.locals.shelfmark), set by the Koa mount. */
export function shelfmark(locals: App.Locals): SiteLocals {
  const s = (locals as { shelfmark?: SiteLocals }).shelfmark;
  if (!s) throw new Error('The Shelfmark site runs inside the service: build it with `npm run build:site` and start the service (`npm start`).');
  return s;
}

/** Only a path on this site: anything that could name another origin becomes "/" (no open redirect). */
export function safeReturnTo(raw: string | null | undefined): string {
  // eslint-disable-next-line no-control-regex
  if (!raw || raw.length > 2048 || !raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) return '/';
  try {
    const u = new URL(raw, 'http://shelfmark.invalid');
    if (u.origin !== 'http://shelfmark.invalid' || u.pathname === '/sign-in' || u.pathname.startsWith('/auth/')) return '/';
    return u.pathname + u.search + u.hash;
  } catch {
    return '/';
  }
}

export const signInHref = (returnTo: string) => `/sign-in?returnTo=${encodeURIComponent(safeReturnTo(returnTo))}`;
