import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_ROLE_MAP, parseRoleMap, type RoleMap } from './modules/auth/oidc/role-map.ts';
import { DEFAULT_BOOKSTORE_LINKS, parseBookstoreLinks, type BookstoreLink } from './modules/acquisitions/buy-links.ts';

// The only module that reads the environment. It is parsed once, every problem is listed, and the
// result is frozen: the rest of the code receives `Config` and never touches process.env.

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const bytes = z.string().regex(/^\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib)?$/i, 'expected a size such as 2GiB, 500MB or 1048576')
  .transform((v) => {
    const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim())!;
    const unit = (m[2] ?? '').toLowerCase();
    const mult: Record<string, number> = { '': 1, b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };
    return Math.floor(Number(m[1]) * mult[unit]!);
  });
const url = z.string().url();

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: url.optional(),
  TRUST_PROXY: bool.default(false),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL').optional(),
  S3_ENDPOINT: url.optional(),
  S3_BUCKET: z.string().min(3, 'bucket names need at least 3 characters').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),
  UPLOAD_MAX_BYTES: bytes.default(2 * 1024 ** 3),
  SHELFMARK_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  WORKER: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  DEMO_DATA: bool.default(true),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(12),
  // Personal-data encryption: "id:base64key,id2:base64key" (the first encrypts new values; the others
  // stay for reading until `npm run rotate-keys` has rewritten every row). Unset: a key ring is
  // generated on first start and kept in DATA_DIR/secrets/keys.json.
  SHELFMARK_ENCRYPTION_KEYS: z.string().regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]{43,44})*$/, 'expected id:base64key[,id:base64key...] with 32-byte keys').optional(),
  SHELFMARK_BLIND_INDEX_KEY: z.string().regex(/^[A-Za-z0-9+/=]{43,44}$/, 'expected a base64 32-byte key').optional(),
  LOCAL_ACCOUNTS: bool.default(true),
  // OpenID Connect single sign-on (Keycloak or any provider); docs/identity.md explains each one.
  OIDC_ISSUER: url.optional(),
  OIDC_DISCOVERY_URL: url.optional(),
  OIDC_CLIENT_ID: z.string().min(1).max(255).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_AUDIENCE: z.string().regex(/^[^,\s]+(\s*,\s*[^,\s]+)*$/, 'expected one audience or several separated by commas').optional(),
  OIDC_ROLE_MAP: z.string().optional(),
  OIDC_CLIENT_ROLES_FROM: z.string().min(1).max(255).optional(),
  OIDC_SCOPES: z.string().regex(/(^|\s)openid(\s|$)/, 'must include the scope openid').default('openid profile email'),
  OIDC_PATRON_CLAIM: z.string().regex(/^[A-Za-z0-9_:.-]{1,100}$/, 'expected a claim name such as membership_id').optional(),
  OIDC_LINK_PATRON_BY_EMAIL: bool.default(true),
  OIDC_ALLOW_HTTP: bool.default(false),
  // Crash points for the recovery tests (comma-separated); refused outside NODE_ENV=test.
  FAULT_INJECTION: z.string().regex(/^[a-z-]+(,[a-z-]+)*$/).optional(),
  // Search: PostgreSQL full text in the same database unless ELASTICSEARCH_URL is set (docs/search.md).
  ELASTICSEARCH_URL: url.optional(),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  ELASTICSEARCH_INDEX: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,100}$/, 'lowercase letters, digits, ".", "_" and "-"').default('shelfmark-records'),
  // Postgres engine: matches a query counts, facets and ranks exactly (more costs latency; docs/search.md).
  SEARCH_CANDIDATE_CAP: z.coerce.number().int().min(100).max(10_000).default(1000),
  // Analytics, notices by email, online payments and bookstore links (docs/analytics.md).
  ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(730),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://host:port or smtps://user:pass@host:port').optional(),
  MAIL_FROM: z.string().max(320).regex(/^[^\r\n]*@[^\r\n]*$/, 'expected an address such as "Library <library@example.org>"').optional(),
  NOTICE_DUE_SOON_DAYS: z.coerce.number().int().min(0).max(60).default(2),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_[A-Za-z0-9_]+$/, 'expected a Stripe secret key (sk_... or rk_...)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=_]+$/, 'expected a webhook signing secret (whsec_...)').optional(),
  STRIPE_API_BASE: url.optional(),
  STRIPE_CURRENCY: z.string().regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code such as usd').default('usd'),
  BOOKSTORE_LINKS: z.string().max(4000).optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  port: number;
  publicUrl: string | undefined;
  trustProxy: boolean;
  dataDir: string;
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  storage: { kind: 'fs'; root: string } | { kind: 's3'; endpoint: string | undefined; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
  tmpDir: string;
  uploadMaxBytes: number;
  adminPassword: string | undefined;
  worker: { mode: 'inline' | 'off'; concurrency: number };
  demoData: boolean;
  sessionTtlHours: number;
  encryption: { keys: Array<{ id: string; key: string }>; blindIndexKey: string | undefined } | null;
  /** Password sign-in with local accounts (LOCAL_ACCOUNTS); off when everyone signs in through OIDC. */
  localAccounts: boolean;
  oidc: OidcConfig | null;
  faults: ReadonlySet<string>;
  search: { kind: 'postgres'; candidateCap: number } | { kind: 'elasticsearch'; url: string; apiKey: string | undefined; alias: string };
  analytics: { retentionDays: number };
  /** SMTP for notices; null: notices are recorded with status unsent-no-mailer. */
  mail: { smtpUrl: string; from: string } | null;
  notices: { dueSoonDays: number };
  /** Stripe Checkout for fines; null: payments are recorded at the desk only. */
  stripe: StripeConfig | null;
  bookstoreLinks: readonly BookstoreLink[];
}

export interface OidcConfig {
  /** Exactly as the provider writes `iss`, e.g. https://kc.example.org/realms/library. */
  issuer: string;
  /** Where the discovery document is fetched, when the service reaches the provider by another address. */
  discoveryUrl: string | undefined;
  clientId: string;
  clientSecret: string | undefined;
  /** Accepted `aud` values for bearer tokens (a token whose `azp` is clientId is accepted too). */
  audiences: readonly string[];
  roleMap: RoleMap;
  /** The client whose `resource_access.{client}.roles` are read besides the realm roles. */
  clientRolesFrom: string;
  scopes: string;
  /** PUBLIC_URL + /auth/oidc/callback. */
  redirectUri: string;
  /** A claim holding the patron's membership id, used to link a signed-in person to their patron record. */
  patronClaim: string | undefined;
  linkPatronByEmail: boolean;
  /** The provider is reached over http:// (a loopback address, or allowed with OIDC_ALLOW_HTTP). */
  allowHttp: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const isLoopbackOrHttps = (u: string) => { const url = new URL(u); return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)); };

function oidcSettings(e: Env, problems: string[]): OidcConfig | null {
  const dependent = ['OIDC_DISCOVERY_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_AUDIENCE', 'OIDC_ROLE_MAP', 'OIDC_CLIENT_ROLES_FROM', 'OIDC_PATRON_CLAIM'] as const;
  if (!e.OIDC_ISSUER) {
    for (const k of dependent) if (e[k]) problems.push(`${k}: has no effect without OIDC_ISSUER; set the issuer too or remove it`);
    if (!e.LOCAL_ACCOUNTS) problems.push('LOCAL_ACCOUNTS: false needs OIDC_ISSUER, or nobody could sign in');
    return null;
  }
  const before = problems.length;
  const issuer = new URL(e.OIDC_ISSUER);
  if (issuer.search || issuer.hash) problems.push('OIDC_ISSUER: must not carry a query or fragment');
  for (const k of ['OIDC_ISSUER', 'OIDC_DISCOVERY_URL'] as const) {
    const v = e[k];
    if (!v) continue;
    if (!/^https?:$/.test(new URL(v).protocol)) problems.push(`${k}: expected an https:// URL`);
    else if (!e.OIDC_ALLOW_HTTP && !isLoopbackOrHttps(v)) problems.push(`${k}: must be https:// (http:// is accepted for loopback addresses, or with OIDC_ALLOW_HTTP=true on a trusted network)`);
  }
  if (!e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  if (!e.PUBLIC_URL) problems.push('PUBLIC_URL: required when OIDC_ISSUER is set (the redirect URI is PUBLIC_URL/auth/oidc/callback)');
  const roleMap = parseRoleMap(e.OIDC_ROLE_MAP ?? DEFAULT_ROLE_MAP);
  if (!roleMap.ok) problems.push(`OIDC_ROLE_MAP: ${roleMap.error}`);
  if (problems.length > before || !roleMap.ok) return null;
  const clientId = e.OIDC_CLIENT_ID!;
  return {
    issuer: e.OIDC_ISSUER,
    discoveryUrl: e.OIDC_DISCOVERY_URL,
    clientId,
    clientSecret: e.OIDC_CLIENT_SECRET,
    audiences: e.OIDC_AUDIENCE ? e.OIDC_AUDIENCE.split(',').map((a) => a.trim()) : [clientId],
    roleMap: roleMap.map,
    clientRolesFrom: e.OIDC_CLIENT_ROLES_FROM ?? clientId,
    scopes: e.OIDC_SCOPES.trim().split(/\s+/).join(' '),
    redirectUri: `${e.PUBLIC_URL!.replace(/\/+$/, '')}/auth/oidc/callback`,
    patronClaim: e.OIDC_PATRON_CLAIM,
    linkPatronByEmail: e.OIDC_LINK_PATRON_BY_EMAIL,
    // Validated above: an http:// URL here is loopback or explicitly allowed.
    allowHttp: [e.OIDC_ISSUER, e.OIDC_DISCOVERY_URL].some((u) => u?.startsWith('http:')),
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** Parses an environment (process.env in production, a literal in tests) into a frozen Config. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Empty strings mean "unset": docker-compose and .env files write `VAR=` for optional settings.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const s3Keys = ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
  const s3Wanted = Boolean(e.S3_BUCKET || e.S3_ENDPOINT);
  if (s3Wanted) for (const k of s3Keys) if (!e[k]) problems.push(`${k}: required when S3 storage is configured (S3_BUCKET or S3_ENDPOINT is set)`);
  if (e.FAULT_INJECTION && e.NODE_ENV !== 'test') problems.push('FAULT_INJECTION: only allowed with NODE_ENV=test');
  const oidc = oidcSettings(e, problems);
  if (e.SHELFMARK_ENCRYPTION_KEYS && !e.SHELFMARK_BLIND_INDEX_KEY) problems.push('SHELFMARK_BLIND_INDEX_KEY: required when SHELFMARK_ENCRYPTION_KEYS is set');
  const operations = operationsSettings(e, problems);
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(e.DATA_DIR);
  const config: Config = {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    dataDir,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: path.join(dataDir, 'db') },
    storage: s3Wanted
      ? { kind: 's3', endpoint: e.S3_ENDPOINT, bucket: e.S3_BUCKET!, region: e.S3_REGION, accessKeyId: e.S3_ACCESS_KEY_ID!, secretAccessKey: e.S3_SECRET_ACCESS_KEY!, forcePathStyle: e.S3_FORCE_PATH_STYLE }
      : { kind: 'fs', root: path.join(dataDir, 'files') },
    tmpDir: path.join(dataDir, 'tmp'),
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    adminPassword: e.SHELFMARK_ADMIN_PASSWORD,
    worker: { mode: e.WORKER, concurrency: e.WORKER_CONCURRENCY },
    demoData: e.DEMO_DATA,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    encryption: e.SHELFMARK_ENCRYPTION_KEYS
      ? { keys: e.SHELFMARK_ENCRYPTION_KEYS.split(',').map((pair) => { const [id, key] = pair.split(':') as [string, string]; return { id, key }; }), blindIndexKey: e.SHELFMARK_BLIND_INDEX_KEY }
      : null,
    localAccounts: e.LOCAL_ACCOUNTS,
    oidc: oidc ? Object.freeze(oidc) : null,
    faults: new Set(e.FAULT_INJECTION?.split(',') ?? []),
    search: e.ELASTICSEARCH_URL ? { kind: 'elasticsearch', url: e.ELASTICSEARCH_URL, apiKey: e.ELASTICSEARCH_API_KEY, alias: e.ELASTICSEARCH_INDEX } : { kind: 'postgres', candidateCap: e.SEARCH_CANDIDATE_CAP },
    ...operations!,
  };
  return Object.freeze(config);
}

export interface StripeConfig {
  secretKey: string;
  webhookSecret: string;
  /** STRIPE_API_BASE split for the SDK (tests point it at a local stand-in); undefined: api.stripe.com. */
  api: { host: string; port: number; protocol: 'http' | 'https' } | undefined;
  currency: string;
}

type OperationsConfig = Pick<Config, 'analytics' | 'mail' | 'notices' | 'stripe' | 'bookstoreLinks'>;

/** Issue 6 settings: mail, payments and bookstore links, checked together. */
function operationsSettings(e: Env, problems: string[]): OperationsConfig | null {
  const before = problems.length;
  if (e.SMTP_URL && !e.MAIL_FROM) problems.push('MAIL_FROM: required when SMTP_URL is set (the sender of notices)');
  if (e.MAIL_FROM && !e.SMTP_URL) problems.push('MAIL_FROM: has no effect without SMTP_URL');
  if (Boolean(e.STRIPE_SECRET_KEY) !== Boolean(e.STRIPE_WEBHOOK_SECRET)) problems.push('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: set both or neither (payments are confirmed only by signed webhooks)');
  if (e.STRIPE_API_BASE && !e.STRIPE_SECRET_KEY) problems.push('STRIPE_API_BASE: has no effect without STRIPE_SECRET_KEY');
  const api = e.STRIPE_API_BASE ? new URL(e.STRIPE_API_BASE) : null;
  if (api && api.protocol !== 'https:' && !(api.protocol === 'http:' && LOOPBACK.has(api.hostname))) problems.push('STRIPE_API_BASE: must be https:// (http:// only on a loopback address, for tests)');
  const links = parseBookstoreLinks(e.BOOKSTORE_LINKS ?? DEFAULT_BOOKSTORE_LINKS);
  if (!links.ok) problems.push(`BOOKSTORE_LINKS: ${links.error}`);
  if (problems.length > before || !links.ok) return null;
  return {
    analytics: { retentionDays: e.ANALYTICS_RETENTION_DAYS },
    mail: e.SMTP_URL ? Object.freeze({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM! }) : null,
    notices: { dueSoonDays: e.NOTICE_DUE_SOON_DAYS },
    stripe: e.STRIPE_SECRET_KEY ? Object.freeze({
      secretKey: e.STRIPE_SECRET_KEY,
      webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
      api: api ? { host: api.hostname, port: Number(api.port || (api.protocol === 'https:' ? 443 : 80)), protocol: api.protocol === 'http:' ? 'http' as const : 'https' as const } : undefined,
      currency: e.STRIPE_CURRENCY.toLowerCase(),
    }) : null,
    bookstoreLinks: Object.freeze(links.links),
  };
}
