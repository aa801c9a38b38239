import { Command } from 'commander';
import { migrateStore } from '../../store/migrate-store.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';

/** `tipster db …`: schema management. */
export function dbCommand(context: CliContext, run: CommandRunner): Command {
  const db = new Command('db').description('Manage the database (SQLite file by default, PostgreSQL by URL)');
  db.command('migrate')
    .description('Create or upgrade the schema to the latest version (safe to run any time)')
    .option('--json', 'print the result as JSON')
    .action((options: { json?: boolean }) =>
      run(async () => {
        const { report, target } = await withStore(
          context,
          async (store) => ({ report: await migrateStore(store), target: describeStoreTarget(store.target) }),
          { requireMigrated: false },
        );
        if (options.json) {
          println(context.stdout, JSON.stringify({ target, ...report }));
        } else if (report.applied.length > 0) {
          println(context.stdout, `${target}: applied ${report.applied.join(', ')}`);
        } else {
          println(context.stdout, `${target}: schema already up to date (${report.alreadyApplied} migration(s))`);
        }
        return 0;
      }),
    );
  return db;
}
