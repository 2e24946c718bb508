// Stripe signs the exact bytes it sends, so its webhook needs the body unparsed. Registered just
// before the JSON body parser for the listed paths only: it keeps the bytes (1 MiB at most) in
// ctx.request.rawBody and the parser then finds nothing left to read.
import type { Middleware } from 'koa';
import { problem } from '../../http/problem.ts';

const LIMIT = 1024 * 1024;

export function rawBodyFor(paths: readonly string[]): Middleware<any, any> {
  return async (ctx, next) => {
    if (ctx.method === 'POST' && paths.includes(ctx.path)) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of ctx.req) {
        size += (chunk as Buffer).length;
        if (size > LIMIT) throw problem(413, 'payload-too-large', 'Request body too large', 'Webhook bodies are limited to 1 MiB.');
        chunks.push(chunk as Buffer);
      }
      (ctx.request as { rawBody?: Buffer }).rawBody = Buffer.concat(chunks);
    }
    await next();
  };
}

export const STRIPE_WEBHOOK_PATH = '/api/v1/payments/stripe/webhook';
