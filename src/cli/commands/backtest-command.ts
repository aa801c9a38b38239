import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { Command, Option } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { renderBacktestReport } from '../../football/backtest/backtest-report.js';
import { summarizeBacktest, type BacktestSummary } from '../../football/backtest/backtest-summary.js';
import { runLeagueBacktests } from '../../football/backtest/league-backtest.js';
import { describeModels, predictorSpec } from '../../football/predictors/predictor-catalogue.js';
import { parseSeasonCode } from '../../football/season-code.js';
import { loadFootballDataset } from '../../store/football-dataset-repository.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';
import { backtestValueBets, logarithmicBlend, type ValueBetBacktestResult } from '../../betting/value-bet-backtest.js';

const DEFAULT_MODELS = 'market-bet365,dixon-coles';

interface BacktestOptions {
  league: string;
  from: string;
  to?: string;
  models: string;
  reference: string;
  refitDays: string;
  windowYears: string;
  xi: string;
  report?: string;
  json?: boolean;
  threads?: string;
  burnInDays?: string;
}

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason: `"${value}" is not a positive number` });
  return n;
}

function seasonStartYear(code: string, option: string): number {
  const season = parseSeasonCode(code);
  if (!season) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason: `"${code}" is not a season code like 1516` });
  return season.startYear;
}

/** The comparison table printed by `tipster backtest football`. */
export function formatBacktestTable(summary: BacktestSummary, labels: Readonly<Record<string, string>>): string {
  const reference = summary.reference ? summary.overall[summary.reference] : undefined;
  return formatTable(summary.models, [
    { header: 'model', value: (m) => m },
    { header: 'RPS', value: (m) => summary.overall[m]!.rps.toFixed(4), align: 'right' },
    { header: 'vs ref', value: (m) => (reference ? (summary.overall[m]!.rps - reference.rps >= 0 ? '+' : '') + (summary.overall[m]!.rps - reference.rps).toFixed(4) : '-'), align: 'right' },
    { header: 'log loss', value: (m) => summary.overall[m]!.logLoss.toFixed(4), align: 'right' },
    { header: 'Brier', value: (m) => summary.overall[m]!.brier.toFixed(4), align: 'right' },
    { header: 'accuracy', value: (m) => `${(summary.overall[m]!.accuracy * 100).toFixed(1)}%`, align: 'right' },
    { header: 'ECE', value: (m) => summary.overall[m]!.ece.toFixed(4), align: 'right' },
    { header: 'fit ms', value: (m) => summary.fitMs[m]!.median.toFixed(1), align: 'right' },
    { header: 'what it is', value: (m) => labels[m] ?? '' },
  ]);
}

/** `tipster backtest football`: walk-forward evaluation of models against the bookmaker. */
export function backtestCommand(context: CliContext, run: CommandRunner): Command {
  const backtest = new Command('backtest').description('Evaluate models honestly: walk-forward, only data known before each kick-off');
  backtest
    .command('football')
    .description('Walk-forward 1X2 backtest on the stored matches: RPS, log loss, Brier, accuracy, calibration, per season and overall')
    .requiredOption('--league <codes>', 'division code(s), comma-separated, e.g. E0 or E0,SP1')
    .requiredOption('--from <season>', 'first season to evaluate, e.g. 1516 (earlier seasons are used for training)')
    .option('--to <season>', 'last season to evaluate (default: the latest stored)')
    .option('--models <names>', 'comma-separated models to compare', DEFAULT_MODELS)
    .option('--reference <model>', 'the model others are compared with (added if missing)', 'market-bet365')
    .option('--refit-days <n>', 'refit every n days', '7')
    .option('--window-years <n>', 'train on the previous n years at each refit', '3')
    .option('--xi <perDay>', 'Dixon-Coles time decay per day', '0.0019')
    .option('--threads <n>', 'worker threads to spread leagues over (default: up to 2)')
    .option('--burn-in-days <n>', 'predict (but do not score) this many days before --from, so the stacked ensemble starts warmed up', '365')
    .addOption(new Option('--report <file>', 'write the HTML report here (default: var/reports/backtest-<leagues>-<from>-<to>.html)'))
    .option('--json', 'print the figures as JSON instead of a table')
    .addHelpText('after', `\nModels:\n${describeModels().map((m) => `  ${m.name.padEnd(30)} ${m.summary}`).join('\n')}\n\nExample:\n  tipster backtest football --league E0 --from 1516 --to 2223 --models market-bet365,dixon-coles,elo\n`)
    .action((options: BacktestOptions) =>
      run(async () => {
        const leagues = options.league.split(',').map((s) => s.trim()).filter(Boolean);
        const fromYear = seasonStartYear(options.from, '--from');
        const toYear = options.to === undefined ? undefined : seasonStartYear(options.to, '--to');
        const windowYears = positive(options.windowYears, '--window-years');
        const refitDays = positive(options.refitDays, '--refit-days');
        const xi = positive(options.xi, '--xi');
        const names = [...new Set([...options.models.split(',').map((s) => s.trim()).filter(Boolean), options.reference])];
        const specs = names.map((name) => predictorSpec(name, { xi }));
        const threads = options.threads === undefined ? Math.min(2, os.availableParallelism()) : Math.floor(positive(options.threads, '--threads'));
        const burnInDays = options.burnInDays === undefined ? 365 : Number(options.burnInDays);
        if (!(burnInDays >= 0)) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--burn-in-days', reason: `"${options.burnInDays}" is not a number of days >= 0` });
        const labels = Object.fromEntries(specs.map((s) => [s.name, s.label]));

        const started = performance.now();
        const dataset = await withStore(context, (store) =>
          loadFootballDataset(store.db, {
            competitions: leagues,
            fromStartYear: fromYear - Math.ceil(windowYears),
            ...(toYear === undefined ? {} : { toStartYear: toYear }),
          }),
        );
        const evaluateFromMs = Date.UTC(fromYear, 6, 1);
        const evaluateToMs = toYear === undefined ? undefined : Date.UTC(toYear + 1, 6, 1);
        const evaluable = dataset.played.filter((m) => m.kickoffAtMs >= evaluateFromMs && (evaluateToMs === undefined || m.kickoffAtMs < evaluateToMs));
        if (evaluable.length === 0) {
          throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', {
            option: '--league/--from',
            reason: `the store has no finished ${leagues.join(', ')} matches from ${options.from}${options.to ? ` to ${options.to}` : ''}; load them with \`tipster ingest football-data\``,
          });
        }

        const bar = !options.json && context.stderr.isTTY
          ? new cliProgress.SingleBar({ format: 'backtest |{bar}| {value}/{total} refits | {leagues}', stream: context.stderr as NodeJS.WriteStream, hideCursor: true }, cliProgress.Presets.shades_classic)
          : undefined;
        // Leagues may run in parallel: the bar shows refits done over refits known so far.
        const progress = new Map<string, { done: number; total: number }>();
        const result = await runLeagueBacktests(dataset.played, names, { xi }, {
          evaluateFromMs,
          ...(evaluateToMs === undefined ? {} : { evaluateToMs }),
          refitEveryDays: refitDays,
          trainingWindowDays: Math.round(windowYears * 365),
          burnInDays,
          threads,
          onProgress: (league, done, total) => {
            if (!bar) return;
            const first = progress.size === 0;
            progress.set(league, { done, total });
            const sum = (pick: (p: { done: number; total: number }) => number) => [...progress.values()].reduce((n, p) => n + pick(p), 0);
            const running = [...progress].filter(([, p]) => p.done < p.total).map(([l]) => l).join(', ');
            if (first) bar.start(sum((p) => p.total), 0, { leagues: running });
            bar.setTotal(sum((p) => p.total));
            bar.update(sum((p) => p.done), { leagues: running });
          },
        });
        bar?.stop();
        const summary = summarizeBacktest(result, options.reference);
        const durationMs = performance.now() - started;

        const seasons = `${options.from}–${options.to ?? result.matches.at(-1)?.season ?? options.from}`;
        const reportPath = path.resolve(
          context.cwd,
          options.report ?? path.join(context.config.varDir, 'reports', `backtest-${leagues.join('-')}-${seasons.replace('–', '-')}.html`),
        );
        fs.mkdirSync(path.dirname(reportPath), { recursive: true });
        fs.writeFileSync(
          reportPath,
          renderBacktestReport(summary, {
            title: `Tipster backtest: ${leagues.join(', ')} ${seasons}`,
            competitions: leagues,
            seasons,
            refitEveryDays: refitDays,
            trainingWindowDays: Math.round(windowYears * 365),
            modelLabels: labels,
            generatedAt: new Date().toISOString(),
            durationMs,
          }),
        );
        if (options.json) {
          println(context.stdout, JSON.stringify({ leagues, seasons, refitDays, windowYears, xi, report: reportPath, durationMs: Math.round(durationMs), ...summary }, null, 2));
          return 0;
        }
        println(context.stdout, `${leagues.join(', ')} ${seasons}: ${summary.matches.toLocaleString('en-GB')} matches scored, ${summary.refits} refits, ${(durationMs / 1000).toFixed(1)} s`);
        if (summary.excluded > 0) println(context.stdout, `(${summary.excluded} matches left out: a model could not price them)`);
        println(context.stdout);
        println(context.stdout, formatBacktestTable(summary, labels));
        println(context.stdout);
        println(context.stdout, `Report: ${reportPath}`);
        return 0;
      }),
    );
  backtest
    .command('value-bets')
    .description("Walk-forward backtest of the API's value bets: edge = p × best real pre-match price − 1 ≥ min edge, one bet per match, Kelly × risk multiplier with the per-bet and total caps, settled at the pre-match price")
    .requiredOption('--league <codes>', 'division code(s), comma-separated; each league is also reported alone')
    .requiredOption('--from <season>', 'first season to bet, e.g. 1819 (earlier seasons are used for training)')
    .option('--to <season>', 'last season to bet (default: the latest stored)')
    .option('--models <names>', 'comma-separated models whose probabilities place the bets', 'dixon-coles')
    .option('--blend <a+b>', "also bet a 50/50 logarithmic pool of two models, e.g. dixon-coles+market-consensus (both are fitted)")
    .option('--min-edge <x>', 'smallest edge to bet', '0.02')
    .addOption(new Option('--risk <level>', 'risk level: its Kelly multiplier sizes the stakes').choices(['low', 'medium', 'high']).default('medium'))
    .option('--refit-days <n>', 'refit every n days', '7')
    .option('--window-years <n>', 'train on the previous n years at each refit', '3')
    .option('--xi <perDay>', 'Dixon-Coles time decay per day', '0.0019')
    .option('--threads <n>', 'worker threads to spread leagues over (default: up to 2)')
    .option('--json', 'print the figures as JSON (with the bankroll curves and every bet) instead of a table')
    .addHelpText('after', '\nExample:\n  tipster backtest value-bets --league E0,SP1 --from 1819 --to 2223 --models dixon-coles,market-consensus --blend dixon-coles+market-consensus\n')
    .action((options: ValueBetOptions) =>
      run(async () => {
        const leagues = options.league.split(',').map((s) => s.trim()).filter(Boolean);
        const fromYear = seasonStartYear(options.from, '--from');
        const toYear = options.to === undefined ? undefined : seasonStartYear(options.to, '--to');
        const windowYears = positive(options.windowYears, '--window-years');
        const refitDays = positive(options.refitDays, '--refit-days');
        const xi = positive(options.xi, '--xi');
        const minEdge = Number(options.minEdge);
        if (!Number.isFinite(minEdge)) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--min-edge', reason: `"${options.minEdge}" is not a number` });
        const blend = options.blend?.split('+').map((s) => s.trim());
        if (blend && (blend.length !== 2 || !blend[0] || !blend[1])) throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option: '--blend', reason: `"${options.blend}" is not two models joined by +` });
        const names = [...new Set([...options.models.split(',').map((s) => s.trim()).filter(Boolean), ...(blend ?? [])])];
        names.forEach((name) => predictorSpec(name, { xi }));
        const threads = options.threads === undefined ? Math.min(2, os.availableParallelism()) : Math.floor(positive(options.threads, '--threads'));

        const started = performance.now();
        const dataset = await withStore(context, (store) =>
          loadFootballDataset(store.db, {
            competitions: leagues,
            fromStartYear: fromYear - Math.ceil(windowYears),
            ...(toYear === undefined ? {} : { toStartYear: toYear }),
          }),
        );
        const evaluateFromMs = Date.UTC(fromYear, 6, 1);
        const evaluateToMs = toYear === undefined ? undefined : Date.UTC(toYear + 1, 6, 1);
        if (!dataset.played.some((m) => m.kickoffAtMs >= evaluateFromMs && (evaluateToMs === undefined || m.kickoffAtMs < evaluateToMs))) {
          throw new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', {
            option: '--league/--from',
            reason: `the store has no finished ${leagues.join(', ')} matches from ${options.from}${options.to ? ` to ${options.to}` : ''}; load them with \`tipster ingest football-data\``,
          });
        }
        // The same leak-free walk-forward as `backtest football`, without burn-in (no model here learns from its own predictions).
        const result = await runLeagueBacktests(dataset.played, names, { xi }, {
          evaluateFromMs,
          ...(evaluateToMs === undefined ? {} : { evaluateToMs }),
          refitEveryDays: refitDays,
          trainingWindowDays: Math.round(windowYears * 365),
          threads,
        });
        const bettors = new Map(names.filter((n) => !blend || options.models.split(',').map((s) => s.trim()).includes(n)).map((n) => [n, result.probabilities.get(n)!]));
        if (blend) bettors.set(`pool(${blend[0]}, ${blend[1]})`, logarithmicBlend(result.probabilities.get(blend[0]!)!, result.probabilities.get(blend[1]!)!, 0.5));

        const scopes = leagues.length > 1 ? [...leagues, leagues.join('+')] : leagues;
        const runs: { model: string; scope: string; result: ValueBetBacktestResult }[] = [];
        for (const [model, probabilities] of bettors) {
          for (const scope of scopes) {
            const rows = result.matches.map((m, i) => [m, i] as const).filter(([m]) => scope.split('+').includes(m.competition));
            const p = new Float64Array(rows.length * 3);
            rows.forEach(([, i], k) => p.set(probabilities.subarray(i * 3, i * 3 + 3), k * 3));
            runs.push({ model, scope, result: backtestValueBets(rows.map(([m]) => m), p, { minEdge, riskLevel: options.risk as 'low' | 'medium' | 'high' }) });
          }
        }
        const durationMs = performance.now() - started;
        const seasons = `${options.from}–${options.to ?? result.matches.at(-1)?.season ?? options.from}`;
        if (options.json) {
          println(context.stdout, JSON.stringify({ leagues, seasons, refitDays, windowYears, xi, minEdge, risk: options.risk, durationMs: Math.round(durationMs), runs }, null, 2));
          return 0;
        }
        println(context.stdout, `Value bets, ${leagues.join(', ')} ${seasons}: min edge ${minEdge}, ${options.risk} risk, refit every ${refitDays} d on ${windowYears} y, ${(durationMs / 1000).toFixed(1)} s`);
        println(context.stdout);
        println(context.stdout, formatValueBetTable(runs));
        return 0;
      }),
    );
  return backtest;
}

interface ValueBetOptions {
  league: string;
  from: string;
  to?: string;
  models: string;
  blend?: string;
  minEdge: string;
  risk: string;
  refitDays: string;
  windowYears: string;
  xi: string;
  threads?: string;
  json?: boolean;
}

const pct = (x: number, digits = 1) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(digits)}%`;

/** The table printed by `tipster backtest value-bets`. */
export function formatValueBetTable(runs: readonly { model: string; scope: string; result: ValueBetBacktestResult }[]): string {
  return formatTable(runs, [
    { header: 'model', value: (r) => r.model },
    { header: 'league', value: (r) => r.scope },
    { header: 'matches', value: (r) => String(r.result.matchesConsidered), align: 'right' },
    { header: 'bets', value: (r) => String(r.result.bets), align: 'right' },
    { header: 'won', value: (r) => (r.result.bets > 0 ? `${((r.result.won / r.result.bets) * 100).toFixed(1)}%` : '-'), align: 'right' },
    { header: 'mean edge', value: (r) => pct(r.result.meanEdge), align: 'right' },
    { header: 'mean price', value: (r) => r.result.meanPrice.toFixed(2), align: 'right' },
    { header: 'staked', value: (r) => (r.result.stakedMinor / 100).toFixed(2), align: 'right' },
    { header: 'profit', value: (r) => (r.result.profitMinor / 100).toFixed(2), align: 'right' },
    { header: 'yield', value: (r) => pct(r.result.yield), align: 'right' },
    { header: 'flat yield', value: (r) => pct(r.result.flatYield), align: 'right' },
    { header: 'ROI', value: (r) => pct(r.result.roi), align: 'right' },
    { header: 'max DD', value: (r) => `${(r.result.maxDrawdown * 100).toFixed(1)}%`, align: 'right' },
    { header: 'CLV', value: (r) => (r.result.closingLine ? pct(r.result.closingLine.meanClv, 2) : '-'), align: 'right' },
    { header: 'beat close', value: (r) => (r.result.closingLine ? `${(r.result.closingLine.beatClosingShare * 100).toFixed(0)}%` : '-'), align: 'right' },
  ]);
}
