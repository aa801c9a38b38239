import { Command } from 'commander';
import { summarizeStore, type SeasonStatus, type StoreStatus } from '../../store/store-status.js';
import { describeStoreTarget } from '../../store/store-url.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

/** Renders the per-league, per-season table and the totals line. */
export function formatStoreStatus(status: StoreStatus, target: string): string {
  if (status.seasons.length === 0) {
    return `${target}: the store is empty. Load data with \`tipster ingest football-data data/football-data\` or \`npm start\`.`;
  }
  const table = formatTable<SeasonStatus>(status.seasons, [
    { header: 'League', value: (s) => s.competition },
    { header: 'Name', value: (s) => s.competitionName },
    { header: 'Season', value: (s) => s.seasonLabel },
    { header: 'Matches', value: (s) => s.matches, align: 'right' },
    { header: 'Played', value: (s) => s.finished, align: 'right' },
    { header: 'Upcoming', value: (s) => s.scheduled, align: 'right' },
    { header: 'Teams', value: (s) => s.teams, align: 'right' },
    { header: 'Odds', value: (s) => s.odds, align: 'right' },
    { header: 'Bookmakers', value: (s) => s.bookmakers, align: 'right' },
    { header: 'From', value: (s) => s.firstDate },
    { header: 'To', value: (s) => s.lastDate },
  ]);
  const t = status.totals;
  const n = (x: number) => x.toLocaleString('en-GB');
  return [
    `Store: ${target}`,
    '',
    table,
    '',
    `Total: ${n(t.competitions)} leagues, ${n(t.seasons)} seasons, ${n(t.teams)} teams, ${n(t.matches)} matches, ` +
      `${n(t.odds)} odds from ${n(t.bookmakers)} bookmakers, ${n(t.ingestedFiles)} files ingested`,
  ].join('\n');
}

/** `tipster status`: what the store holds, per league and season. */
export function statusCommand(context: CliContext, run: CommandRunner): Command {
  return new Command('status')
    .description('Show what is in the store, per league and season (matches, results, odds, bookmakers)')
    .option('--json', 'print the same figures as JSON for scripts')
    .action((options: { json?: boolean }) =>
      run(async () => {
        const { status, target } = await withStore(context, async (store) => ({
          status: await summarizeStore(store.db),
          target: describeStoreTarget(store.target),
        }));
        println(context.stdout, options.json ? JSON.stringify({ store: target, ...status }, null, 2) : formatStoreStatus(status, target));
        return 0;
      }),
    );
}
