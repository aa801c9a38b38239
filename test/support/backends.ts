import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { migrateStore } from '../../src/store/migrate-store.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

/** A real backend a suite runs against. */
export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** A brand-new empty database URL; dropped by `cleanup`. */
  freshUrl(): Promise<string>;
  cleanup(): Promise<void>;
}

const postgresUrl = process.env.TIPSTER_TEST_POSTGRES_URL;

function sqliteBackend(): Backend {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tipster-test-'));
  let n = 0;
  return {
    name: 'sqlite',
    freshUrl: async () => `sqlite:${path.join(dir, `store-${++n}.db`)}`,
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresBackend(adminUrl: string): Backend {
  const created: string[] = [];
  const admin = () => new pg.Client({ connectionString: adminUrl });
  return {
    name: 'postgres',
    freshUrl: async () => {
      const name = `tipster_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const client = admin();
      await client.connect();
      try {
        await client.query(`create database ${name}`);
      } finally {
        await client.end();
      }
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    cleanup: async () => {
      const client = admin();
      await client.connect();
      try {
        for (const name of created.splice(0)) await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Every backend this run can reach: always SQLite, PostgreSQL when TIPSTER_TEST_POSTGRES_URL is set. */
export function availableBackends(): Backend[] {
  return postgresUrl ? [sqliteBackend(), postgresBackend(postgresUrl)] : [sqliteBackend()];
}

/** Runs the same suite once per backend; the PostgreSQL one is reported as skipped when no server is configured. */
export function describePerBackend(title: string, suite: (backend: Backend) => void): void {
  describe.each(['sqlite', 'postgres'] as const)(`${title} [%s]`, (name) => {
    if (name === 'postgres' && !postgresUrl) {
      describe.skip('PostgreSQL not configured (set TIPSTER_TEST_POSTGRES_URL)', () => suite(postgresBackend('postgres://unused')));
      return;
    }
    suite(name === 'sqlite' ? sqliteBackend() : postgresBackend(postgresUrl!));
  });
}

/** Opens a fresh, migrated store on `backend`. */
export async function freshStore(backend: Backend): Promise<Store> {
  const store = await openStore(await backend.freshUrl());
  await migrateStore(store);
  return store;
}
