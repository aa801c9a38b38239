/**
 * The error catalogue: every error a caller (CLI user, API client, operator) may need to react to.
 * Each code maps to a message template, an HTTP status and a hint that says how to fix it.
 * docs/errors.md documents every code; a test keeps the two in step.
 */
export const ERROR_CATALOGUE = {
  TIPSTER_ERR_CONFIG_INVALID: {
    status: 500,
    message: 'Configuration variable {variable} is invalid: {reason}',
    hint: 'Fix or unset {variable}; see the configuration table in README.md.',
  },
  TIPSTER_ERR_STORE_URL_INVALID: {
    status: 500,
    message: 'Database URL "{url}" is not supported: {reason}',
    hint: 'Use sqlite:PATH (e.g. sqlite:./var/tipster.db) or postgres://user:password@host:5432/dbname.',
  },
  TIPSTER_ERR_STORE_UNREACHABLE: {
    status: 503,
    message: 'Cannot open the database at {target}: {reason}',
    hint: 'Check that the server is running and that TIPSTER_DATABASE_URL has the right host, port, user and password.',
  },
  TIPSTER_ERR_STORE_MIGRATION_FAILED: {
    status: 500,
    message: 'Database migration "{migration}" failed: {reason}',
    hint: 'Nothing of that migration was applied. Fix the cause and run `tipster db migrate` again.',
  },
  TIPSTER_ERR_STORE_SCHEMA_TOO_NEW: {
    status: 500,
    message: 'The database has migrations this version of Tipster does not know: {migrations}',
    hint: 'It was migrated by a newer Tipster. Upgrade Tipster, or point TIPSTER_DATABASE_URL at another database.',
  },
  TIPSTER_ERR_STORE_NOT_MIGRATED: {
    status: 503,
    message: 'The database schema is not up to date ({pending} pending migration(s))',
    hint: 'Run `tipster db migrate` (or `npm start`, which migrates first).',
  },
  TIPSTER_ERR_INGEST_SOURCE_NOT_FOUND: {
    status: 404,
    message: 'No football-data CSV found at {source}',
    hint: 'Give a .csv file, a directory holding <Div>/<season>.csv or mmz4281/<season>/<Div>.csv files, or a URL.',
  },
  TIPSTER_ERR_INGEST_FETCH_FAILED: {
    status: 502,
    message: 'Downloading {url} failed: {reason}',
    hint: 'Check the URL, the network and the base URL (e.g. https://www.football-data.co.uk/mmz4281).',
  },
  TIPSTER_ERR_INGEST_NOT_FOOTBALL_DATA: {
    status: 400,
    message: '{file} is not a football-data.co.uk CSV: {reason}',
    hint: 'The header must contain at least Div, Date, HomeTeam and AwayTeam.',
  },
  TIPSTER_ERR_INGEST_ROWS_REJECTED: {
    status: 400,
    message: '{file}: {errors} row(s) have errors and --strict is set; nothing from this file was written',
    hint: 'Fix the rows listed above, or run without --strict to skip bad rows and load the rest.',
  },
  TIPSTER_ERR_INGEST_WRITE_FAILED: {
    status: 500,
    message: 'Writing {file} to the store failed: {reason}',
    hint: 'Nothing from this file was written (the transaction was rolled back). Check the database and run the command again.',
  },
  TIPSTER_ERR_ML_ROW_COUNT_MISMATCH: {
    status: 400,
    message: '{detail}',
    hint: 'Labels, weights and feature columns must describe the same rows; check how the dataset was built.',
  },
  TIPSTER_ERR_ML_LABEL_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Labels must be whole class indices (0 … classes − 1) with no missing values.',
  },
  TIPSTER_ERR_ML_FEATURE_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Feature names must be unique; numeric values finite or NaN (missing); categorical values small whole codes.',
  },
  TIPSTER_ERR_ML_WEIGHT_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Sample weights must be finite and non-negative, and not all zero.',
  },
  TIPSTER_ERR_ML_SCHEMA_MISMATCH: {
    status: 400,
    message: '{detail}',
    hint: 'Predict with the same features (names, order, kinds) and classes the model was trained on.',
  },
  TIPSTER_ERR_ML_OPTION_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Use a value in the range the message gives; the defaults are documented on the options type.',
  },
  TIPSTER_ERR_ML_MODEL_INVALID: {
    status: 500,
    message: '{detail}',
    hint: 'The stored model is damaged or from an unknown format version: retrain it, or load it with the Tipster version that saved it.',
  },
  TIPSTER_ERR_TRACKING_RUN_NOT_FOUND: {
    status: 404,
    message: 'No tracked run with id {runId}',
    hint: 'List runs with `tipster runs search` and use one of their ids.',
  },
  TIPSTER_ERR_TRACKING_RUN_ENDED: {
    status: 409,
    message: 'Run {runId} has ended ({status}); nothing more can be logged to it',
    hint: 'Start a new run for new results; a finished run is a record and stays as it was.',
  },
  TIPSTER_ERR_TRACKING_PARAM_CHANGED: {
    status: 409,
    message: 'Parameter {key} of run {runId} is already "{previous}" and cannot become "{value}"',
    hint: 'Parameters describe how a run was made and never change; start a new run with the new value.',
  },
  TIPSTER_ERR_TRACKING_INVALID_VALUE: {
    status: 400,
    message: '{what} is invalid: {reason}',
    hint: 'Metric values must be finite numbers, steps whole numbers ≥ 0, and keys non-empty text of at most 250 characters.',
  },
  TIPSTER_ERR_TRACKING_ARTIFACT_NOT_FOUND: {
    status: 404,
    message: 'Run {runId} has no artifact {path}',
    hint: 'List the run with `tipster runs search --json` to see its artifacts.',
  },
  TIPSTER_ERR_TRACKING_ARTIFACT_CORRUPT: {
    status: 500,
    message: 'Artifact {path} of run {runId} does not match its checksum',
    hint: 'The stored bytes were altered after logging; re-run the training that produced it.',
  },
  TIPSTER_ERR_TRACKING_PAGE_TOKEN_INVALID: {
    status: 400,
    message: 'The page token is not one this search produced',
    hint: 'Pass back the nextPageToken of the previous page unchanged, with the same filters.',
  },
  TIPSTER_ERR_PIPELINE_DEFINITION_INVALID: {
    status: 500,
    message: 'Pipeline "{pipeline}" is invalid: {detail}',
    hint: 'Fix the pipeline definition in code: task names must be unique, dependencies must name tasks of the same pipeline, and dependencies must not form a cycle.',
  },
  TIPSTER_ERR_PIPELINE_OPTION_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Use a value in the range the message gives (limits are positive whole numbers; run statuses are queued, running, succeeded, failed).',
  },
  TIPSTER_ERR_PIPELINE_RUN_NOT_FOUND: {
    status: 404,
    message: 'No pipeline run with id {runId}',
    hint: 'List recent runs (newest first) to find the id; run ids are UUIDs.',
  },
  TIPSTER_ERR_PIPELINE_TASK_TIMEOUT: {
    status: 504,
    message: 'Task "{task}" timed out after {timeoutMs} ms (attempt {attempt})',
    hint: 'Raise the task\'s timeoutMs if the work is legitimately slow, or find out why it hangs in the task\'s log lines.',
  },
  TIPSTER_ERR_PIPELINE_RUN_INTERRUPTED: {
    status: 500,
    message: 'Run {runId} was interrupted: its process ({owner}) stopped heartbeating {staleMs} ms ago',
    hint: 'The process running it died or hung (killed, crashed, machine restarted). Nothing of the run is lost from the history; start the pipeline again.',
  },
  TIPSTER_ERR_PIPELINE_NOT_FOUND: {
    status: 404,
    message: 'No pipeline named "{pipeline}" (known: {known})',
    hint: 'List the pipelines with `tipster pipeline list`.',
  },
  TIPSTER_ERR_PIPELINE_ALREADY_RUNNING: {
    status: 409,
    message: 'Pipeline "{pipeline}" already has an active run ({runId}, {status}); runs of one pipeline never overlap',
    hint: 'Follow it with `tipster pipeline show {runId}` and start again once it has finished. If its process died, the run is failed automatically once its heartbeat goes stale.',
  },
  TIPSTER_ERR_PIPELINE_SCHEDULE_INVALID: {
    status: 500,
    message: 'The schedule of pipeline "{pipeline}" is invalid: {detail}',
    hint: 'Use five or six cron fields (e.g. "0 6 * * 1" for Mondays at 06:00) and an IANA time zone such as Europe/London.',
  },
  TIPSTER_ERR_MODEL_CONFIG_INVALID: {
    status: 500,
    message: 'The model configuration in {where} is invalid: {reason}',
    hint: 'The artifact was written by another version of Tipster or altered; register a new version by running the training pipeline again.',
  },
  TIPSTER_ERR_PIPELINE_PARAM_INVALID: {
    status: 400,
    message: 'Parameter {param} of pipeline {pipeline} is invalid: {reason}',
    hint: 'Pass it as --param {param}=VALUE (see `tipster pipeline list` for what each pipeline accepts).',
  },
  TIPSTER_ERR_TRAINING_NO_DATA: {
    status: 422,
    message: 'Nothing to train for {task}: {detail}',
    hint: 'Load data first (`tipster ingest football-data`), or pick an as-of date and leagues the store has results for.',
  },
  TIPSTER_ERR_REGISTRY_MODEL_NOT_FOUND: {
    status: 404,
    message: 'No registered model named {model}',
    hint: 'List registered models with `tipster models list`.',
  },
  TIPSTER_ERR_REGISTRY_VERSION_NOT_FOUND: {
    status: 404,
    message: 'Model {model} has no version {version}',
    hint: 'List its versions with `tipster models versions {model}`.',
  },
  TIPSTER_ERR_REGISTRY_ALIAS_NOT_FOUND: {
    status: 404,
    message: 'Model {model} has no {alias} alias',
    hint: 'Promote a version first (`tipster models promote`), or ask for another alias.',
  },
  TIPSTER_ERR_REGISTRY_NOTHING_TO_ROLL_BACK: {
    status: 409,
    message: 'The {alias} alias of {model} has no earlier version to roll back to',
    hint: 'Move the alias to a chosen version with `tipster models promote {model} <version>` instead.',
  },
  TIPSTER_ERR_CLI_INVALID_ARGUMENT: {
    status: 400,
    message: 'Invalid value for {option}: {reason}',
    hint: 'Run the command with --help to see the accepted values.',
  },
} as const satisfies Record<string, { status: number; message: string; hint: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; unknown placeholders are left visible so a missing param is noticed. */
function interpolate(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** A typed, catalogued error: what went wrong (message), how to fix it (hint), and its HTTP status. */
export class TipsterError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly hint: string;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, options?: { cause?: unknown }) {
    const entry = ERROR_CATALOGUE[code];
    super(interpolate(entry.message, params), options);
    this.name = 'TipsterError';
    this.code = code;
    this.statusCode = entry.status;
    this.hint = interpolate(entry.hint, params);
    this.params = params;
  }
}

/** True when `error` is a TipsterError, optionally with the given code. */
export function isTipsterError(error: unknown, code?: ErrorCode): error is TipsterError {
  return error instanceof TipsterError && (code === undefined || error.code === code);
}
