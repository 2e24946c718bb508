import { ConfigError, loadConfig } from '../config.ts';
import { migrate, openOrm } from '../db/orm.ts';
import { loadFieldCipher } from './key-ring.ts';
import { patronContactRewriter } from '../modules/patrons/patron-contact-rewriter.ts';

// `npm run rotate-keys`: after putting a new key first in SHELFMARK_ENCRYPTION_KEYS (keeping the old
// one after it), rewrites every encrypted value with the new key. When it reports 0 left, the old key
// can be removed from the list. Stop the service first when it runs on the embedded database.
try {
  const config = loadConfig();
  const orm = await openOrm(config.database);
  await migrate(orm);
  const cipher = loadFieldCipher(config);
  const n = await patronContactRewriter({ orm, cipher });
  process.stdout.write(`rotate-keys: ${n} patron record(s) re-encrypted with key ${cipher.currentKeyId}; 0 left on older keys\n`);
  await orm.close();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`rotate-keys: configuration error: ${err.problems.join('; ')}\n`);
    process.exit(1);
  }
  throw err;
}
