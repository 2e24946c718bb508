import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('with nothing set runs the embedded default', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.database.kind).toBe('pglite');
    expect(c.storage.kind).toBe('fs');
    expect(c.dataDir.endsWith('/data')).toBe(true);
    expect(c.uploadMaxBytes).toBe(2 * 1024 ** 3);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('switches each part to the distributed service by environment', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@db/x', S3_BUCKET: 'books', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's', S3_ENDPOINT: 'http://minio:9000' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x' });
    expect(c.storage).toMatchObject({ kind: 's3', bucket: 'books', endpoint: 'http://minio:9000', forcePathStyle: true });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ UPLOAD_MAX_BYTES: 'lots' }, 'UPLOAD_MAX_BYTES'],
    [{ S3_BUCKET: 'books' }, 'S3_ACCESS_KEY_ID'],
    [{ SHELFMARK_ADMIN_PASSWORD: 'short' }, 'SHELFMARK_ADMIN_PASSWORD'],
    [{ WORKER: 'sometimes' }, 'WORKER'],
  ])('names the variable in the message for %o', (env, variable) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems.join('\n')).toContain(variable);
  });

  it('lists every problem at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' })).toHaveLength(2);
  });

  it('reads sizes with units', () => {
    expect(loadConfig({ UPLOAD_MAX_BYTES: '500MB' }).uploadMaxBytes).toBe(500_000_000);
    expect(loadConfig({ UPLOAD_MAX_BYTES: '1GiB' }).uploadMaxBytes).toBe(1024 ** 3);
  });
});
