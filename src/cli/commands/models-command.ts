import os from 'node:os';
import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { ModelRegistry, type ModelVersion, type RegisteredModel } from '../../tracking/model-registry.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** Who a CLI action is recorded as in the alias audit trail. */
function cliActor(): string {
  return `cli:${os.userInfo().username}`;
}

function versionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '<version>', reason: `"${value}" is not a version number` });
  return n;
}

/** `tipster models …`: the model registry. */
export function modelsCommand(context: CliContext, run: CommandRunner): Command {
  const models = new Command('models').description('The model registry: registered models, versions, aliases (production, challenger)');
  models
    .command('list')
    .description('Registered models with the version each alias points at')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) =>
      run(async () => {
        const listing = await withStore(context, async (store) => {
          const registry = new ModelRegistry(store);
          const registered = await registry.listRegisteredModels();
          return Promise.all(
            registered.map(async (m) => ({ ...m, production: (await registry.getModelVersionByAlias(m.name, 'production'))?.version ?? null, versions: (await registry.listModelVersions(m.name)).length })),
          );
        });
        if (options.json) println(context.stdout, JSON.stringify(listing, null, 2));
        else if (listing.length === 0) println(context.stdout, 'No registered models yet.');
        else
          println(
            context.stdout,
            formatTable<RegisteredModel & { production: number | null; versions: number }>(listing, [
              { header: 'model', value: (m) => m.name },
              { header: 'task', value: (m) => m.task },
              { header: 'metric', value: (m) => `${m.primaryMetric} (${m.higherIsBetter ? 'higher' : 'lower'} is better)` },
              { header: 'versions', value: (m) => m.versions, align: 'right' },
              { header: 'production', value: (m) => m.production, align: 'right' },
            ]),
          );
        return 0;
      }),
    );
  models
    .command('versions')
    .description("A model's versions, newest first, with tags and aliases")
    .argument('<model>', 'registered model name, e.g. football-1x2-E0')
    .option('--json', 'print as JSON')
    .action((model: string, options: { json?: boolean }) =>
      run(async () => {
        const versions = await withStore(context, (store) => new ModelRegistry(store).listModelVersions(model));
        if (options.json) println(context.stdout, JSON.stringify(versions, null, 2));
        else
          println(
            context.stdout,
            formatTable<ModelVersion>(versions, [
              { header: 'version', value: (v) => v.version, align: 'right' },
              { header: 'aliases', value: (v) => v.aliases.join(', ') },
              { header: 'run', value: (v) => v.runId.slice(0, 8) },
              { header: 'created', value: (v) => new Date(v.createdAtMs).toISOString().slice(0, 19).replace('T', ' ') },
              { header: 'tags', value: (v) => Object.entries(v.tags).filter(([k]) => k !== 'promotion_reason').map(([k, val]) => `${k}=${val}`).join(' ') },
            ]),
          );
        return 0;
      }),
    );
  models
    .command('promote')
    .description('Point an alias (default production) at a version, by hand; recorded in the audit trail')
    .argument('<model>', 'registered model name')
    .argument('<version>', 'version number')
    .option('--alias <alias>', 'alias to move', 'production')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .action((model: string, version: string, options: { alias: string; reason: string }) =>
      run(async () => {
        await withStore(context, (store) => new ModelRegistry(store).setModelAlias(model, options.alias, versionNumber(version), { actor: cliActor(), reason: options.reason }));
        println(context.stdout, `${model}: ${options.alias} → version ${version}`);
        return 0;
      }),
    );
  models
    .command('rollback')
    .description('Move an alias (default production) back to the version it pointed at before its last move')
    .argument('<model>', 'registered model name')
    .option('--alias <alias>', 'alias to move back', 'production')
    .option('--reason <text>', 'why (kept in the audit trail)')
    .action((model: string, options: { alias: string; reason?: string }) =>
      run(async () => {
        const version = await withStore(context, (store) =>
          new ModelRegistry(store).rollback(model, options.alias, { actor: cliActor(), ...(options.reason ? { reason: options.reason } : {}) }),
        );
        println(context.stdout, `${model}: ${options.alias} rolled back to version ${version.version}`);
        return 0;
      }),
    );
  return models;
}
