import { Command } from 'commander';
import { buildApp } from '../../api/build-app.js';
import { TipsterError } from '../../core/errors.js';
import { migrateStore } from '../../store/migrate-store.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--port', reason: `"${value}" is not a port number (0–65535; 0 picks a free one)` });
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `tipster serve`: migrate, make sure an admin exists, and serve the HTTP API until SIGINT/SIGTERM. */
export function serveCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('serve')
    .description('Serve the HTTP API (docs at /docs): migrates the store first; on a store without an admin, creates one and prints its password once')
    .option('--port <port>', 'port to listen on (default TIPSTER_HTTP_PORT, 8080)')
    .option('--host <address>', 'address to listen on (default TIPSTER_HTTP_HOST, 127.0.0.1)')
    .action((options: { port?: string; host?: string }) =>
      run(async () => {
        const port = options.port === undefined ? context.config.http.port : portNumber(options.port);
        const host = options.host ?? context.config.http.host;
        return withStore(
          context,
          async (store) => {
            const migration = await migrateStore(store);
            if (migration.applied.length > 0) println(context.stdout, `Migrated ${describeStoreTarget(store.target)}: ${migration.applied.join(', ')}`);
            const app = await buildApp({ store, config: context.config, logger: context.logger });
            try {
              const first = await app.tipster.accounts.admin.ensureFirstAdmin();
              if (first.status === 'created') {
                // stdout, once: never the log, which may be shipped elsewhere.
                println(context.stdout, `First start: created administrator "${first.username}" with password ${first.password}`);
                println(context.stdout, 'It is shown only this once. Sign in and change it with POST /api/v1/me/password.');
              } else if (first.status === 'username-taken') {
                println(context.stdout, 'No active administrator: create one with `tipster users create-admin --username NAME`.');
              }
              const address = await app.listen({ port, host });
              println(context.stdout, `Tipster API listening on ${address} (docs: ${address}/docs, metrics: ${address}/metrics)`);
              const signal = await untilSignal();
              println(context.stdout, `${signal}: stopping (finishing requests in flight)…`);
            } finally {
              await app.close();
            }
            return 0;
          },
          { requireMigrated: false },
        );
      }),
    );
}
