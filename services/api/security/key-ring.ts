import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { FieldCipher, generateKey } from './field-encryption.ts';

interface StoredKeys { current: string; keys: Record<string, string>; indexKey: string }

/**
 * The key ring for personal data: from the environment when configured (production), otherwise
 * generated once and kept in DATA_DIR/secrets/keys.json, readable by the service's user only. Losing
 * that file makes encrypted contact details unreadable: back it up with the database.
 */
export function loadFieldCipher(config: Pick<Config, 'encryption' | 'dataDir'>, onGenerated?: (file: string) => void): FieldCipher {
  if (config.encryption) {
    return new FieldCipher({
      current: config.encryption.keys[0]!.id,
      keys: new Map(config.encryption.keys.map((k) => [k.id, Buffer.from(k.key, 'base64')])),
      indexKey: Buffer.from(config.encryption.blindIndexKey!, 'base64'),
    });
  }
  const file = path.join(config.dataDir, 'secrets', 'keys.json');
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const stored: StoredKeys = { current: 'k1', keys: { k1: generateKey() }, indexKey: generateKey() };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    onGenerated?.(file);
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredKeys;
  return new FieldCipher({
    current: stored.current,
    keys: new Map(Object.entries(stored.keys).map(([id, k]) => [id, Buffer.from(k, 'base64')])),
    indexKey: Buffer.from(stored.indexKey, 'base64'),
  });
}
