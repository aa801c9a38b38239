import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { resolveFootballDataSources } from '../../ingest/football-data/football-data-sources.js';
import { migrateStore } from '../../store/migrate-store.js';
import { summarizeStore } from '../../store/store-status.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { ingestWithProgress, printIngestSummary } from './ingest-command.js';
import { formatStoreStatus } from './status-command.js';

/** `tipster start` (what `npm start` runs): migrate, load the bundled data, report. */
export function startCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('start')
    .description('Run Tipster on the configured store: migrate, load the bundled sample data, print a summary')
    .action(() =>
      run(async () => {
        const footballDir = path.join(context.config.dataDir, 'football-data');
        if (!fs.existsSync(footballDir)) {
          throw new TipsterError('TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND', { source: footballDir });
        }
        return withStore(
          context,
          async (store) => {
            const target = describeStoreTarget(store.target);
            const migration = await migrateStore(store);
            println(
              context.stdout,
              `Tipster store: ${target} (${migration.applied.length > 0 ? `migrated: ${migration.applied.join(', ')}` : 'schema up to date'})`,
            );
            // A path relative to where the user stands keeps progress lines short.
            const input = path.relative(context.cwd, footballDir) || '.';
            const sources = await resolveFootballDataSources([input], context.cwd);
            println(context.stdout, `Loading bundled football-data: ${sources.length} files from ${input}`);
            const reports = await ingestWithProgress(context, store, sources, {});
            const exitCode = printIngestSummary(context, reports);
            println(context.stdout);
            println(context.stdout, formatStoreStatus(await summarizeStore(store.db), target));
            return exitCode;
          },
          { requireMigrated: false },
        );
      }),
    );
}
