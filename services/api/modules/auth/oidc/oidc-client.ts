import * as client from 'openid-client';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Deps } from '../../../app-context.ts';
import type { OidcConfig } from '../../../config.ts';
import { problem, type Problem } from '../../../http/problem.ts';

// The configured OpenID Connect provider, as seen from Shelfmark: its discovered metadata, its signing
// keys, and the checks an access token must pass. Discovery is lazy (the service starts while the
// provider is still booting), cached once it succeeds, and retried on the next request after a
// failure, a few seconds apart so an outage does not turn every request into a discovery attempt.

/** Asymmetric signatures only: never `none`, never HS* (a shared secret would let the client mint tokens). */
export const ACCESS_TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'];
const CLOCK_TOLERANCE_SECONDS = 30;
const RETRY_DISCOVERY_AFTER_MS = 5_000;
const HTTP_TIMEOUT_SECONDS = 10;

export const providerUnavailable = (detail = 'The identity provider could not be reached; try again shortly.') =>
  problem(503, 'identity-provider-unavailable', 'Identity provider unavailable', detail);
const invalidToken = (detail: string) => problem(401, 'invalid-token', 'Invalid token', detail);

interface Discovered {
  configuration: client.Configuration;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

export class OidcProviderClient {
  readonly settings: OidcConfig;
  private readonly deps: Deps;
  private discovered: Promise<Discovered> | null = null;
  /** Monotonic time of the last failed discovery (a back-off, not a date: no clock needed). */
  private failedAt = 0;

  constructor(deps: Deps, settings: OidcConfig) {
    this.deps = deps;
    this.settings = settings;
  }

  /** The openid-client configuration; a 503 problem while the provider cannot be discovered. */
  async configuration(): Promise<client.Configuration> {
    return (await this.discover()).configuration;
  }

  private discover(): Promise<Discovered> {
    if (this.discovered) return this.discovered;
    if (this.failedAt && performance.now() - this.failedAt < RETRY_DISCOVERY_AFTER_MS) return Promise.reject(providerUnavailable());
    const attempt = this.runDiscovery().catch((err: unknown) => {
      this.discovered = null;
      this.failedAt = performance.now();
      this.deps.log.warn({ err: { message: (err as Error).message, code: (err as { code?: unknown }).code }, issuer: this.settings.issuer }, 'OIDC discovery failed');
      throw providerUnavailable();
    });
    this.discovered = attempt;
    return attempt;
  }

  private async runDiscovery(): Promise<Discovered> {
    const s = this.settings;
    const execute: Array<(c: client.Configuration) => void> = [client.enableNonRepudiationChecks];
    // openid-client refuses http:// unless told; config.ts only lets loopback (or OIDC_ALLOW_HTTP) through.
    if (s.allowHttp) execute.push(client.allowInsecureRequests);
    const configuration = await client.discovery(
      new URL(s.discoveryUrl ?? s.issuer), s.clientId, s.clientSecret,
      s.clientSecret ? client.ClientSecretBasic(s.clientSecret) : client.None(),
      { execute, timeout: HTTP_TIMEOUT_SECONDS },
    );
    const meta = configuration.serverMetadata();
    // With OIDC_DISCOVERY_URL openid-client skips its own issuer check; tokens must still carry OIDC_ISSUER.
    if (meta.issuer !== s.issuer) throw new Error(`the discovery document names the issuer ${meta.issuer}, but OIDC_ISSUER is ${s.issuer}`);
    if (!meta.jwks_uri) throw new Error('the discovery document has no jwks_uri');
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: HTTP_TIMEOUT_SECONDS * 1000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
    this.deps.log.info({ issuer: meta.issuer }, 'OIDC provider discovered');
    return { configuration, jwks };
  }

  /**
   * Verifies a JWT access token from the provider: signature against the provider's JWKS (an
   * asymmetric algorithm), issuer, expiry and not-before (30 s tolerance, on the service clock), and
   * audience. Keycloak puts the client in `azp` and often not in `aud` (which may say only
   * "account"), so a token whose `aud` names none of OIDC_AUDIENCE is still accepted when its `azp`
   * is our own client id: it was issued to Shelfmark. Keycloak ID and refresh tokens (`typ` "ID",
   * "Refresh") are refused even though they are signed by the same key.
   */
  async verifyAccessToken(token: string): Promise<JWTPayload> {
    const { jwks } = await this.discover();
    const s = this.settings;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: s.issuer,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.deps.clock(),
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (err) {
      throw tokenProblem(err);
    }
    const aud = typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud : [];
    const audienceOk = aud.some((a) => s.audiences.includes(a)) || payload.azp === s.clientId;
    if (!audienceOk) throw invalidToken('The token was issued for another audience.');
    if (typeof payload.typ === 'string' && payload.typ.toLowerCase() !== 'bearer') throw invalidToken('Only access tokens are accepted as bearer tokens.');
    return payload;
  }
}

const TOKEN_ERRORS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The token has expired.',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'The token signature does not verify.',
  ERR_JWKS_NO_MATCHING_KEY: 'The token is not signed by a key of the identity provider.',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'The token names no key the identity provider publishes unambiguously.',
  ERR_JOSE_ALG_NOT_ALLOWED: 'The token uses a signature algorithm that is not accepted.',
  ERR_JOSE_NOT_SUPPORTED: 'The token uses a signature algorithm that is not accepted.',
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'The token claims do not verify.',
  ERR_JWS_INVALID: 'The token is malformed.',
  ERR_JWT_INVALID: 'The token is malformed.',
};

/** A jose failure as a problem: 401 when the token is at fault, 503 when the provider's keys could not be fetched. */
function tokenProblem(err: unknown): Problem {
  if (err instanceof joseErrors.JOSEError) {
    const detail = TOKEN_ERRORS[err.code];
    if (detail) {
      const claim = err instanceof joseErrors.JWTClaimValidationFailed ? ` (${err.claim})` : '';
      return invalidToken(claim ? detail.replace(/\.$/, `${claim}.`) : detail);
    }
  }
  // JWKS timeouts, bad JWKS responses and network errors: the token may be fine.
  return providerUnavailable('The identity provider\'s signing keys could not be fetched; try again shortly.');
}

/** JWS compact serialisation: header.payload.signature (an empty signature still reaches jose, which refuses it). */
export const looksLikeJwt = (value: string) => /^[\w-]+\.[\w-]+\.[\w-]*$/.test(value);

const clients = new WeakMap<Deps, OidcProviderClient>();

/** The one provider client of a running service (shared by the bearer check and the sign-in routes), or null without OIDC. */
export function oidcFor(deps: Deps): OidcProviderClient | null {
  const settings = deps.config.oidc;
  if (!settings) return null;
  let c = clients.get(deps);
  if (!c) clients.set(deps, (c = new OidcProviderClient(deps, settings)));
  return c;
}
