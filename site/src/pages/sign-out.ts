import type { APIRoute } from 'astro';
import { shelfmark } from '../lib/shelfmark.ts';

// A form post (never a GET: a link or an image elsewhere must not sign anyone out).
export const POST: APIRoute = async ({ locals }) => {
  const res = await shelfmark(locals).api('DELETE', '/api/v1/session');
  const headers = new Headers({ Location: '/', 'Cache-Control': 'no-store' });
  for (const c of res.setCookies) headers.append('Set-Cookie', c);
  return new Response(null, { status: 303, headers });
};

export const GET: APIRoute = () => new Response(null, { status: 303, headers: { Location: '/' } });
