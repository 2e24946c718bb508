import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, usingPostgres, type TestService } from '../support/test-service.ts';
import { FieldCipher } from '../../services/api/security/field-encryption.ts';
import { patronContactRewriter } from '../../services/api/modules/patrons/patron-contact-rewriter.ts';

// Issue 5: "The database dump contains no plain-text phone, email or address." The dump is the real
// one: PGlite's data directory as a tarball, or pg_dump of the test database on PostgreSQL.
let svc: TestService;
beforeAll(async () => { svc = await startTestService(); });
afterAll(async () => { await svc?.close(); });

const PHONE = '(416) 555-7319';
const EMAIL = 'Ariadne.Quillfeather@Example.edu';
const ADDRESS = '4242 Zanzibar Crescent, Wolverhampton';

async function databaseDump(): Promise<string> {
  if (usingPostgres()) {
    const url = (svc.deps.config.database as { url: string }).url;
    return execFileSync('pg_dump', ['--no-owner', url], { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
  }
  const pg = await (svc.deps.orm.em.getConnection() as unknown as { getNativeClient(): Promise<{ exec(s: string): Promise<unknown>; dumpDataDir(c: 'none'): Promise<Blob> }> }).getNativeClient();
  await pg.exec('checkpoint');
  return Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()).toString('latin1');
}

describe('patron personal data at rest', () => {
  let patronId: string;
  beforeAll(async () => {
    const res = await svc.api('POST', '/api/v1/patrons', { token: svc.adminToken, json: { name: 'Quillfeather, Ariadne', phone: PHONE, email: EMAIL, address: ADDRESS } });
    expect(res.status).toBe(201);
    patronId = (await res.json()).id;
  });

  it('reads back in clear through the API', async () => {
    const p = await (await svc.api('GET', `/api/v1/patrons/${patronId}`, { token: svc.adminToken })).json();
    expect(p).toMatchObject({ phone: PHONE, email: EMAIL.toLowerCase(), address: ADDRESS });
  });

  it('the database dump contains no plain-text phone, email or address (nor their words)', async () => {
    const dump = await databaseDump();
    expect(dump).toContain('Quillfeather, Ariadne'); // names are not encrypted: the dump is real
    for (const secret of [PHONE, '4165557319', '555-7319', EMAIL, EMAIL.toLowerCase(), 'Zanzibar', 'zanzibar', 'Wolverhampton', 'wolverhampton']) {
      expect(dump.includes(secret), `dump contains ${secret}`).toBe(false);
    }
  });

  it('is still found by phone in any format, by email, and by words of the address (blind indexes)', async () => {
    const ids = async (q: string) => (await (await svc.api('GET', `/api/v1/patrons?${q}`, { token: svc.adminToken })).json()).items.map((p: { id: string }) => p.id);
    expect(await ids('phone=4165557319')).toEqual([patronId]);
    expect(await ids(`phone=${encodeURIComponent('416 555 7319')}`)).toEqual([patronId]);
    expect(await ids(`email=${encodeURIComponent('ariadne.quillfeather@example.edu')}`)).toEqual([patronId]);
    expect(await ids('address=zanzibar%20crescent')).toEqual([patronId]);
    expect(await ids('q=wolverhampton')).toEqual([patronId]);
    expect(await ids('address=zanzibar%20road')).toEqual([]);
  });

  it('key rotation: rows are rewritten with the new key and stay readable and searchable', async () => {
    const old = svc.deps.cipher;
    const next = new FieldCipher({
      current: 'k-next',
      keys: new Map([['k-next', randomBytes(32)], [old.currentKeyId, (old as unknown as { ring: { keys: Map<string, Buffer> } }).ring.keys.get(old.currentKeyId)!]]),
      indexKey: (old as unknown as { ring: { indexKey: Buffer } }).ring.indexKey,
    });
    expect(await patronContactRewriter({ orm: svc.deps.orm, cipher: next })).toBeGreaterThanOrEqual(1);
    expect(await patronContactRewriter({ orm: svc.deps.orm, cipher: next })).toBe(0);
    const [row] = await svc.deps.orm.em.fork().getConnection().execute<Array<{ phone: string }>>(`select phone from patrons where id = ?`, [patronId]);
    expect(row!.phone.split(':')[1]).toBe('k-next');
    expect(next.decrypt(row!.phone)).toBe(PHONE);
  });
});
