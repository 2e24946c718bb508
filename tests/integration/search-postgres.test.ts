import { startTestService, usingPostgres } from '../support/test-service.ts';
import { describeSearchContract } from './search-contract.ts';

// The contract on the embedded default: PGlite under `npm test`, PostgreSQL under `npm run test:pg`.
describeSearchContract(usingPostgres() ? 'Postgres engine on PostgreSQL' : 'Postgres engine on PGlite', async () => {
  const svc = await startTestService();
  return { svc, settle: () => svc.deps.search.indexer.settle() };
});
