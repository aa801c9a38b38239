import { describe, expect, it } from 'vitest';
import { isTipsterError } from './errors.js';
import { loadConfig, redactUrl } from './config.js';

describe('loadConfig', () => {
  it('defaults to an embedded SQLite file under ./var and freezes the result', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toEqual({
      databaseUrl: 'sqlite:/srv/app/var/tipster.db',
      varDir: '/srv/app/var',
      dataDir: '/srv/app/data',
      logLevel: 'warn',
      pipelineExecutor: 'auto',
      asOfMs: null,
      busUrl: 'memory',
      http: { host: '127.0.0.1', port: 8080, jwtSecret: null, accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 1_209_600, trustProxy: false },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes a NATS bus URL and rejects anything but memory or nats://host:port', () => {
    expect(loadConfig({ TIPSTER_BUS_URL: 'nats://127.0.0.1:4222' }, '/').busUrl).toBe('nats://127.0.0.1:4222');
    expect(() => loadConfig({ TIPSTER_BUS_URL: 'kafka://x:9092' }, '/')).toThrow(/TIPSTER_BUS_URL.*memory or nats/);
  });

  it('takes a PostgreSQL URL as given', () => {
    const config = loadConfig({ TIPSTER_DATABASE_URL: 'postgres://u:p@db:5432/tipster' }, '/srv/app');
    expect(config.databaseUrl).toBe('postgres://u:p@db:5432/tipster');
  });

  it('rejects an unknown scheme without echoing the password', () => {
    let error: unknown;
    try {
      loadConfig({ TIPSTER_DATABASE_URL: 'mysql://root:hunter2@db/x' }, '/');
    } catch (e) {
      error = e;
    }
    expect(isTipsterError(error, 'TIPSTER_ERR_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).toContain('TIPSTER_DATABASE_URL');
  });

  it('takes TIPSTER_AS_OF as an ISO date and rejects anything else', () => {
    expect(loadConfig({ TIPSTER_AS_OF: '2023-03-01' }, '/').asOfMs).toBe(Date.UTC(2023, 2, 1));
    expect(loadConfig({ TIPSTER_AS_OF: '2023-03-01T12:00:00Z' }, '/').asOfMs).toBe(Date.UTC(2023, 2, 1, 12));
    expect(() => loadConfig({ TIPSTER_AS_OF: 'March 2023' }, '/')).toThrow(/TIPSTER_AS_OF.*ISO date/);
  });

  it('rejects an unknown log level, listing the valid ones', () => {
    expect(() => loadConfig({ TIPSTER_LOG_LEVEL: 'loud' }, '/')).toThrow(/loud.*fatal, error, warn, info/);
  });

  it('takes a pipeline executor choice and rejects an unknown one', () => {
    expect(loadConfig({ TIPSTER_PIPELINE_EXECUTOR: 'workers' }, '/').pipelineExecutor).toBe('workers');
    expect(() => loadConfig({ TIPSTER_PIPELINE_EXECUTOR: 'threads' }, '/')).toThrow(/threads.*auto, in-process, workers/);
  });
});

describe('redactUrl', () => {
  it('hides passwords in connection strings', () => {
    expect(redactUrl('postgres://tipster:s3cret@host:5432/db')).toBe('postgres://tipster:***@host:5432/db');
    expect(redactUrl('postgres://host/db')).toBe('postgres://host/db');
  });
});
