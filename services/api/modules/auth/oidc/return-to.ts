// Where the browser goes after signing in. Only a path on this site is accepted: anything that could
// name another origin ("//evil.example", "/\\evil.example", "https://...") becomes "/", so the
// sign-in link cannot be turned into an open redirect.

const BASE = 'http://shelfmark.invalid';

export function safeReturnTo(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return '/';
  // eslint-disable-next-line no-control-regex
  if (!raw.startsWith('/') || raw.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return '/';
  }
  if (url.origin !== BASE) return '/';
  // Returning to the sign-in routes themselves would loop.
  if (url.pathname.startsWith('/auth/oidc/')) return '/';
  const path = url.pathname + url.search + url.hash;
  // Normalising may percent-encode and lengthen it; what is stored must still fit.
  return path.length <= 2048 ? path : '/';
}
