import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.js';
import { JWT_SECRET_FILE } from '../../src/api/jwt-secret.js';
import { loadConfig } from '../../src/core/config.js';
import { describePerBackend } from '../support/backends.js';
import { FAST_HASH, bearer, signUp, startTestApp } from './support/test-app.js';

describePerBackend('JWT signing key', (backend) => {
  afterAll(() => backend.cleanup());

  it('is generated once under varDir with mode 0600, so tokens survive a restart', async () => {
    const t = await startTestApp(backend);
    try {
      const file = path.join(t.varDir, JWT_SECRET_FILE);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const session = await signUp(t.app, 'restart-user');
      // A second server on the same varDir and store (a restart) accepts the token.
      const again = await buildApp({ store: t.store, config: t.app.tipster.config, passwordHashCost: FAST_HASH, defaultMetrics: false, now: t.clock.now });
      try {
        expect((await again.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(session) })).statusCode).toBe(200);
      } finally {
        await again.close();
      }
      // A server with another key does not.
      const other = await buildApp({
        store: t.store,
        config: loadConfig({ TIPSTER_VAR_DIR: t.varDir, TIPSTER_JWT_SECRET: 'another-key-entirely-of-enough-length-000' }, process.cwd()),
        passwordHashCost: FAST_HASH,
        defaultMetrics: false,
        now: t.clock.now,
      });
      try {
        const refused = await other.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(session) });
        expect(refused.statusCode).toBe(401);
        expect(refused.json()).toMatchObject({ code: 'TIPSTER_ERR_AUTH_TOKEN_INVALID', detail: expect.stringMatching(/signature/) });
      } finally {
        await other.close();
      }
    } finally {
      await t.close();
    }
  });

  it('tightens a key file that others can read', async () => {
    const t = await startTestApp(backend);
    try {
      const file = path.join(t.varDir, JWT_SECRET_FILE);
      fs.chmodSync(file, 0o644);
      const again = await buildApp({ store: t.store, config: t.app.tipster.config, passwordHashCost: FAST_HASH, defaultMetrics: false });
      await again.close();
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await t.close();
    }
  });
});
