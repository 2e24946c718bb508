// The circulation policy as data: every change is a new row in policy_versions (who and when), the
// newest is in force, and a fresh database lends under the `standard` preset (version 0, not stored)
// until a supervisor chooses otherwise. Validation is the colleague's schema in policy.ts.
import type { EntityManager } from '@mikro-orm/sql';
import { z } from 'zod';
import type { Deps } from '../../app-context.ts';
import { notFound, problem } from '../../http/problem.ts';
import { parseOrThrow } from '../../http/route.ts';
import type { Actor } from './actor.ts';
import { PolicyVersionEntity } from './circulation.entities.ts';
import { circulationPolicySchema, isPresetName, PRESET_NAMES, presetPolicy, type CirculationPolicy, type PresetName } from './policy.ts';

export const DEFAULT_PRESET: PresetName = 'standard';

export interface PolicyInForce {
  /** 0 for the built-in default of a fresh database; then 1, 2, ... for every stored change. */
  version: number;
  policy: CirculationPolicy;
  /** The preset the version was made from, when it was set with `{ preset }`. */
  preset: PresetName | null;
  createdAt: Date | null;
  createdBy: string | null;
}

const builtInDefault = (): PolicyInForce => ({ version: 0, policy: presetPolicy(DEFAULT_PRESET), preset: DEFAULT_PRESET, createdAt: null, createdBy: null });

function fromRow(row: { id: number; document: Record<string, unknown>; preset?: string | null; createdAt: Date; createdBy?: string | null }): PolicyInForce {
  return {
    version: row.id,
    // Validated when it was stored; a copy so callers can never alter what the identity map holds.
    policy: structuredClone(row.document) as unknown as CirculationPolicy,
    preset: row.preset && isPresetName(row.preset) ? row.preset : null,
    createdAt: row.createdAt,
    createdBy: row.createdBy ?? null,
  };
}

export async function policyInForceLoader(em: EntityManager): Promise<PolicyInForce> {
  const [row] = await em.find(PolicyVersionEntity, {}, { orderBy: { id: 'desc' }, limit: 1, refresh: true });
  return row ? fromRow(row) : builtInDefault();
}

// Versions are never changed once stored, so a parsed policy can be kept by its version number; every
// desk operation still reads which version is in force, inside its own transaction.
const parsedVersions = new Map<number, CirculationPolicy>();

/** The rules in force, for a circulation decision: one plain select of the newest version's number (and its document when new to this process). */
export async function policyInForce(em: EntityManager): Promise<CirculationPolicy> {
  const [head] = await em.execute<Array<{ id: number }>>(`select id from policy_versions order by id desc limit 1`);
  return policyOfVersion(em, head ? Number(head.id) : null);
}

/** A stored version's rules (null: none stored yet, the built-in default); parsed once per process. */
export async function policyOfVersion(em: EntityManager, version: number | null): Promise<CirculationPolicy> {
  if (version === null) return builtInDefault().policy;
  let policy = parsedVersions.get(version);
  if (!policy) {
    const [row] = await em.execute<Array<{ document: Record<string, unknown> | string }>>(`select document from policy_versions where id = ?`, [version]);
    if (!row) throw notFound('Policy version', version);
    policy = deepFrozen((typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as unknown as CirculationPolicy);
    if (parsedVersions.size > 100) parsedVersions.clear();
    parsedVersions.set(version, policy);
  }
  return policy;
}

/** Shared between requests, so nobody may change it in place. */
function deepFrozen<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFrozen(x);
    Object.freeze(v);
  }
  return v;
}

export async function policyVersionLoader(em: EntityManager, version: number): Promise<PolicyInForce> {
  if (version === 0) return builtInDefault();
  const row = await em.findOne(PolicyVersionEntity, { id: version });
  if (!row) throw notFound('Policy version', version);
  return fromRow(row);
}

export async function policyVersionsLister(em: EntityManager) {
  const rows = await em.find(PolicyVersionEntity, {}, { orderBy: { id: 'desc' } });
  const stored = rows.map((r) => ({ version: r.id, name: String(r.document.name ?? ''), preset: r.preset, createdAt: r.createdAt.toISOString(), createdBy: r.createdBy }));
  return { items: [...stored, { version: 0, name: DEFAULT_PRESET, preset: DEFAULT_PRESET, createdAt: null, createdBy: null }] };
}

/** Fields GET adds to the document; PUT accepts them back (a GET, edit, PUT round trip works) and checks `version`. */
const METADATA_KEYS = ['version', 'preset', 'createdAt', 'createdBy'] as const;
const presetChoice = z.strictObject({ preset: z.enum(PRESET_NAMES), version: z.int().min(0).optional() });

export const policyPutBody = z.union([
  presetChoice,
  z.record(z.string(), z.unknown()).describe('A whole circulation policy document, as GET /api/v1/policy returns it'),
]);

/** Stores a new version from a whole document or `{ preset }`. A stale `version` (someone changed it since) is refused. */
export async function policyReplacer(deps: Deps, em: EntityManager, body: Record<string, unknown>, actor: Actor): Promise<PolicyInForce> {
  let policy: CirculationPolicy;
  let preset: PresetName | null = null;
  const isPresetChoice = 'preset' in body && !('name' in body);
  if (isPresetChoice) {
    const choice = parseOrThrow(presetChoice, body, 'body');
    preset = choice.preset;
    policy = presetPolicy(choice.preset);
  } else {
    const document = Object.fromEntries(Object.entries(body).filter(([k]) => !(METADATA_KEYS as readonly string[]).includes(k)));
    policy = parseOrThrow(circulationPolicySchema, document, 'policy');
  }
  const expected = body.version;
  return em.transactional(async (tx) => {
    // One writer at a time, so the version check and the insert cannot interleave.
    await tx.execute(`select pg_advisory_xact_lock(74260001)`, []);
    const current = await policyInForceLoader(tx);
    if (typeof expected === 'number' && expected !== current.version) {
      throw problem(409, 'policy-version-conflict', 'The policy changed meanwhile', `You edited version ${expected}; version ${current.version} is now in force. Reload and apply your change again.`, { currentVersion: current.version });
    }
    const row = tx.create(PolicyVersionEntity, { document: policy as unknown as Record<string, unknown>, preset, createdAt: deps.clock(), createdBy: actor.userId });
    await tx.flush();
    return fromRow(row);
  }, { clear: true });
}

export function presentPolicy(p: PolicyInForce) {
  return { ...p.policy, version: p.version, preset: p.preset, createdAt: p.createdAt?.toISOString() ?? null, createdBy: p.createdBy };
}
