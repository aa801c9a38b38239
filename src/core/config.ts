import path from 'node:path';
import { TipsterError } from './errors.js';
import { HTTP_CONFIG_VARIABLES, loadHttpConfig, type HttpConfig } from './http-config.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where pipeline tasks run: `auto` picks in-process on SQLite and workers on PostgreSQL. */
export const PIPELINE_EXECUTORS = ['auto', 'in-process', 'workers'] as const;
export type PipelineExecutorChoice = (typeof PIPELINE_EXECUTORS)[number];

/** Everything Tipster reads from its environment, validated once at start-up and frozen. */
export interface Config {
  /** `sqlite:<path>` (default `sqlite:./var/tipster.db`) or `postgres://…`. */
  readonly databaseUrl: string;
  /** Directory for the embedded database, logs and other local state. */
  readonly varDir: string;
  /** Directory of bundled sample data (`data/`). */
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** The HTTP API (`tipster serve`): address, token signing and lifetimes. */
  readonly http: HttpConfig;
  /** Where pipeline tasks run (TIPSTER_PIPELINE_EXECUTOR). */
  readonly pipelineExecutor: PipelineExecutorChoice;
  /**
   * TIPSTER_AS_OF as UTC ms, or null for the wall clock: the whole service then runs at that instant
   * over historical data (later matches are upcoming, their results hidden).
   */
  readonly asOfMs: number | null;
  /** Live event bus (TIPSTER_BUS_URL): `memory` (default, one process) or `nats://host:4222` (JetStream). */
  readonly busUrl: string;
}

/** One row of the configuration table (README.md renders the same list). */
export interface ConfigVariable {
  readonly name: string;
  readonly defaultValue: string;
  readonly description: string;
}

export const CONFIG_VARIABLES: readonly ConfigVariable[] = Object.freeze([
  {
    name: 'TIPSTER_DATABASE_URL',
    defaultValue: 'sqlite:./var/tipster.db',
    description: 'Store: `sqlite:PATH` (embedded) or `postgres://user:pass@host:5432/db` (PostgreSQL).',
  },
  { name: 'TIPSTER_VAR_DIR', defaultValue: './var', description: 'Local state: the embedded database and logs.' },
  { name: 'TIPSTER_DATA_DIR', defaultValue: './data', description: 'Bundled sample data loaded by `npm start`.' },
  {
    name: 'TIPSTER_LOG_LEVEL',
    defaultValue: 'warn',
    description: `Structured (JSON, stderr) log level: ${LOG_LEVELS.join(', ')}.`,
  },
  {
    name: 'TIPSTER_PIPELINE_EXECUTOR',
    defaultValue: 'auto',
    description:
      'Where pipeline tasks run: `in-process`, or `workers` (pg-boss queues to `tipster worker` processes; needs PostgreSQL). `auto`: workers on PostgreSQL, in-process on SQLite.',
  },
  {
    name: 'TIPSTER_AS_OF',
    defaultValue: '(now)',
    description:
      'Run the service at this ISO date (e.g. `2023-03-01`) over historical data: later matches are upcoming, their results hidden from every route and from bet settlement. The bundled data ends in May 2023, so `2023-03-01` shows a live-looking season.',
  },
  {
    name: 'TIPSTER_BUS_URL',
    defaultValue: 'memory',
    description: 'Live event bus: `memory` (in-process) or `nats://host:4222` (NATS JetStream, so producers, consumers and API servers can be separate processes).',
  },
  ...HTTP_CONFIG_VARIABLES,
]);

const logLevelSet: ReadonlySet<string> = new Set(LOG_LEVELS);
const pipelineExecutorSet: ReadonlySet<string> = new Set(PIPELINE_EXECUTORS);

/** Reads and validates configuration from an environment map; `cwd` anchors relative paths. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): Config {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const varDir = path.resolve(cwd, read('TIPSTER_VAR_DIR') ?? './var');
  const dataDir = path.resolve(cwd, read('TIPSTER_DATA_DIR') ?? './data');
  const databaseUrl = read('TIPSTER_DATABASE_URL') ?? `sqlite:${path.join(varDir, 'tipster.db')}`;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_DATABASE_URL',
      reason: `"${redactUrl(databaseUrl)}" must start with sqlite: or postgres://`,
    });
  }
  const logLevel = read('TIPSTER_LOG_LEVEL') ?? 'warn';
  if (!logLevelSet.has(logLevel)) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_LOG_LEVEL',
      reason: `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`,
    });
  }
  const pipelineExecutor = read('TIPSTER_PIPELINE_EXECUTOR') ?? 'auto';
  if (!pipelineExecutorSet.has(pipelineExecutor)) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_PIPELINE_EXECUTOR',
      reason: `"${pipelineExecutor}" is not one of ${PIPELINE_EXECUTORS.join(', ')}`,
    });
  }
  const asOf = read('TIPSTER_AS_OF');
  const asOfMs = asOf === undefined ? null : parseAsOf(asOf);
  const busUrl = read('TIPSTER_BUS_URL') ?? 'memory';
  if (busUrl !== 'memory' && !/^nats:\/\/[^/\s]+$/.test(busUrl)) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', {
      variable: 'TIPSTER_BUS_URL',
      reason: `"${redactUrl(busUrl)}" must be memory or nats://host:port`,
    });
  }
  return Object.freeze({
    databaseUrl,
    busUrl,
    varDir,
    dataDir,
    logLevel: logLevel as LogLevel,
    pipelineExecutor: pipelineExecutor as PipelineExecutorChoice,
    http: loadHttpConfig(read),
    asOfMs,
  });
}

/** An ISO date (midnight UTC) or date-time with an offset; anything else is a configuration error. */
function parseAsOf(value: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new TipsterError('TIPSTER_ERR_CONFIG_INVALID', { variable: 'TIPSTER_AS_OF', reason: `"${value}" is not an ISO date such as 2023-03-01 or 2023-03-01T12:00:00Z` });
  }
  return ms;
}

/** Hides the password of a URL so it can be printed or logged. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
