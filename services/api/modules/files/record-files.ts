import type { EntityManager } from '@mikro-orm/sql';
import type { AuthUser, Deps } from '../../app-context.ts';
import { FileEntity } from './file.entity.ts';
import { fileAccessChecker, presentFile } from './files.service.ts';

/** The holdings of a record that this viewer may see (others are left out, not merely locked). */
export async function recordFilesLister(deps: Deps, em: EntityManager, recordId: string, viewer: AuthUser | null) {
  const files = await em.find(FileEntity, { record: recordId }, { orderBy: { createdAt: 'asc' } });
  const now = deps.clock();
  return files.filter((f) => {
    try {
      fileAccessChecker(f, viewer, now);
      return true;
    } catch {
      return false;
    }
  }).map(presentFile);
}
