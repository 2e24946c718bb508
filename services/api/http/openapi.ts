import { z } from 'zod';
import type { RouteSpec } from './route.ts';

const toOpenApiPath = (p: string) => p.replace(/:([A-Za-z_]+)/g, '{$1}');

function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input') {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  } catch {
    return {};
  }
}

/** The OpenAPI 3.1 document, built from the same route list the router mounts: it cannot drift. */
export function openApiDocument(specs: readonly RouteSpec<any, any>[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const s of specs) {
    const p = toOpenApiPath(s.path);
    const params = [...s.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const queryParams = s.query && s.query instanceof z.ZodObject
      ? Object.entries((s.query as z.ZodObject).shape).map(([name, sch]) => ({ name, in: 'query', required: !(sch as z.ZodType).safeParse(undefined).success, schema: jsonSchema(sch as z.ZodType) }))
      : [];
    const responses: Record<string, unknown> = {};
    for (const [code, description] of Object.entries(s.responses ?? { 200: 'OK' })) responses[code] = { description };
    responses.default = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    (paths[p] ??= {})[s.method] = {
      summary: s.summary,
      tags: [s.tag],
      'x-allowed-roles': s.allow,
      parameters: [...params, ...queryParams],
      ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(s.body) } } } } : {}),
      ...(s.requestContentType ? { requestBody: { required: true, content: { [s.requestContentType]: { schema: { type: 'object' } } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Shelfmark API', version, description: 'Digital library repository, search and circulation. Errors are RFC 9457 problem details with a stable `code`.' },
    paths,
    components: {
      schemas: {
        Problem: {
          type: 'object', required: ['type', 'title', 'status', 'code'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' } },
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token or an access token from the OIDC provider' },
        session: { type: 'apiKey', in: 'cookie', name: 'shelfmark_session', description: 'Writes also need the X-CSRF-Token header' },
      },
    },
  };
}
