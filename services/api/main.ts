import './runtime-flags.ts'; // first: V8 flags must be set before the service allocates
import { ConfigError, loadConfig } from './config.ts';
import { startService } from './service.ts';

// Entry point of `npm start`. A wrong setting stops here with one line naming the variable.
let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`shelfmark: configuration error: ${err.problems.join('; ')}\n`);
    process.exit(1);
  }
  throw err;
}

const service = await startService(config);
service.deps.log.info({ url: `http://localhost:${config.port}`, database: config.database.kind, storage: config.storage.kind }, 'Shelfmark is serving');
process.stdout.write(`\n  Shelfmark is running at http://localhost:${(service.server.address() as { port: number }).port}\n\n`);

let shuttingDown = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (shuttingDown) process.exit(1);
    shuttingDown = true;
    service.deps.log.info({ signal }, 'shutting down');
    service.stop().then(() => process.exit(0), (err) => { service.deps.log.error({ err }, 'shutdown failed'); process.exit(1); });
  });
}
