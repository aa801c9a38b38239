import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { migrateStore } from '../../store/migrate-store.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { serveUntilSignal } from '../serve-product.js';

export function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--port', reason: `"${value}" is not a port number (0–65535; 0 picks a free one)` });
  }
  return port;
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
            await serveUntilSignal(context, store, { port, host, scheduler: false });
            return 0;
          },
          { requireMigrated: false },
        );
      }),
    );
}
