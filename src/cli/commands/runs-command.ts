import { Command } from 'commander';
import { TipsterError } from '../../core/errors.js';
import { RUN_STATUSES, type RunStatus } from '../../store/tracking-tables.js';
import { METRIC_COMPARISONS, TrackingStore, type MetricComparison, type Run, type RunSearch } from '../../tracking/tracking-store.js';
import { println, withStore, type CliContext } from '../cli-context.js';
import type { CommandRunner } from '../command-runner.js';
import { formatTable } from '../format-table.js';

interface SearchOptions {
  experiment?: string;
  status?: string;
  tag: string[];
  metric: string[];
  orderBy?: string;
  limit: string;
  pageToken?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const invalid = (option: string, reason: string) => new TipsterError('TIPSTER_ERR_CLI_INVALID_ARGUMENT', { option, reason });

/** Turns the command-line filters into a RunSearch, explaining any it cannot read. */
export function parseRunSearch(options: SearchOptions): RunSearch {
  const statuses = options.status?.split(',').map((s) => s.trim());
  for (const status of statuses ?? []) {
    if (!(RUN_STATUSES as readonly string[]).includes(status)) throw invalid('--status', `"${status}" is not one of ${RUN_STATUSES.join(', ')}`);
  }
  const tags = Object.fromEntries(
    options.tag.map((t) => {
      const at = t.indexOf('=');
      if (at <= 0) throw invalid('--tag', `"${t}" should look like key=value`);
      return [t.slice(0, at), t.slice(at + 1)];
    }),
  );
  const metrics = options.metric.map((m) => {
    const match = /^([^<>=]+)(<=|>=|<|>|=)(.+)$/.exec(m.replace(/\s+/g, ''));
    const value = Number(match?.[3]);
    if (!match || !Number.isFinite(value) || !(METRIC_COMPARISONS as readonly string[]).includes(match[2]!)) {
      throw invalid('--metric', `"${m}" should look like rps<0.2 (comparisons: ${METRIC_COMPARISONS.join(' ')})`);
    }
    return { key: match[1]!, op: match[2] as MetricComparison, value };
  });
  let orderBy: RunSearch['orderBy'];
  if (options.orderBy) {
    const [kind, name, direction = 'asc'] = options.orderBy.split(':');
    if (direction !== 'asc' && direction !== 'desc') throw invalid('--order-by', `direction "${direction}" must be asc or desc`);
    if (kind === 'metric' && name) orderBy = { metric: name, direction };
    else if (kind === 'start' || kind === 'start_time') orderBy = { attribute: 'start_time_ms', direction: (name as 'asc' | 'desc') ?? 'desc' };
    else throw invalid('--order-by', `"${options.orderBy}" should look like metric:rps:asc or start:desc`);
  }
  const limit = Number(options.limit);
  return {
    ...(options.experiment ? { experiments: options.experiment.split(',').map((s) => s.trim()) } : {}),
    ...(statuses ? { statuses: statuses as RunStatus[] } : {}),
    ...(Object.keys(tags).length ? { tags } : {}),
    ...(metrics.length ? { metrics } : {}),
    ...(orderBy ? { orderBy } : {}),
    limit,
    ...(options.pageToken ? { pageToken: options.pageToken } : {}),
  };
}

/** `tipster runs …`: tracked training and evaluation runs. */
export function runsCommand(context: CliContext, run: CommandRunner): Command {
  const runs = new Command('runs').description('Tracked runs: parameters, metrics, tags and artifacts of every training and evaluation');
  runs
    .command('search')
    .description('Find runs by experiment, status, tags and metric thresholds; sorted and paged')
    .option('--experiment <names>', 'comma-separated experiment names, e.g. football-1x2-E0')
    .option('--status <statuses>', `comma-separated: ${RUN_STATUSES.join(', ')}`)
    .option('--tag <key=value>', 'only runs with this tag (repeatable)', collect, [])
    .option('--metric <filter>', 'only runs whose latest metric passes, e.g. "rps<0.2" (repeatable)', collect, [])
    .option('--order-by <order>', 'metric:<name>:asc|desc or start:asc|desc (default: newest first)')
    .option('--limit <n>', 'page size, 1-1000', '20')
    .option('--page-token <token>', 'continue from the page that printed this token')
    .option('--json', 'print the runs and the next page token as JSON')
    .action((options: SearchOptions) =>
      run(async () => {
        const search = parseRunSearch(options);
        const page = await withStore(context, (store) => new TrackingStore(store).searchRuns(search));
        if (options.json) {
          println(context.stdout, JSON.stringify(page, null, 2));
          return 0;
        }
        if (page.runs.length === 0) {
          println(context.stdout, 'No runs match.');
          return 0;
        }
        const metricKeys = [...new Set(page.runs.flatMap((r) => Object.keys(r.metrics)))].sort().slice(0, 4);
        println(
          context.stdout,
          formatTable<Run>(page.runs, [
            { header: 'run', value: (r) => r.id.slice(0, 8) },
            { header: 'experiment', value: (r) => r.experimentName },
            { header: 'name', value: (r) => r.name },
            { header: 'status', value: (r) => r.status },
            { header: 'started', value: (r) => new Date(r.startTimeMs).toISOString().slice(0, 19).replace('T', ' ') },
            ...metricKeys.map((key) => ({ header: key, value: (r: Run) => (r.metrics[key] === undefined ? null : r.metrics[key]!.toFixed(4)), align: 'right' as const })),
          ]),
        );
        if (page.nextPageToken) println(context.stdout, `\nMore: --page-token ${page.nextPageToken}`);
        return 0;
      }),
    );
  return runs;
}
