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
  TIPSTER_ERR_PIPELINE_WORKERS_NEED_POSTGRES: {
    status: 500,
    message: 'Pipeline workers need PostgreSQL, but the store is {target}',
    hint: 'Point TIPSTER_DATABASE_URL at PostgreSQL (postgres://user:pass@host:5432/db) on the workers and on every process that runs pipelines, or run pipelines in-process (TIPSTER_PIPELINE_EXECUTOR=in-process, the default on SQLite).',
  },
  TIPSTER_ERR_PIPELINE_NO_WORKERS: {
    status: 503,
    message: 'Task "{task}" of pipeline "{pipeline}" waited {waitedMs} ms in the queue, and no `tipster worker` that runs this pipeline is alive',
    hint: 'Start one or more workers (`tipster worker`, built from the same Tipster version so they know the pipeline) on any machine that reaches this database, or run pipelines in this process with TIPSTER_PIPELINE_EXECUTOR=in-process.',
  },
  TIPSTER_ERR_PIPELINE_WORKER_LOST: {
    status: 503,
    message: 'Attempt {attempt} of task "{task}" was lost: {reason}',
    hint: 'The worker died, hung or lost its database connection; the attempt runs again on another worker by itself. If it keeps happening, check the worker machines (memory, restarts) and their logs.',
  },
  TIPSTER_ERR_PIPELINE_ATTEMPT_REVOKED: {
    status: 409,
    message: 'Attempt {attempt} of task "{task}" was taken back from worker {worker}: {reason}',
    hint: 'Nothing to fix on this worker: its result would no longer count, so it stopped. Check the run with `tipster pipeline show` to see where the task ran instead.',
  },
  TIPSTER_ERR_PIPELINE_TASK_UNKNOWN_TO_WORKER: {
    status: 500,
    message: 'Worker {worker} does not know task "{task}" of pipeline "{pipeline}" (it knows: {known})',
    hint: 'Workers find a task\'s code in their own pipeline catalogue: run the same Tipster version on the workers as on the process that started the run.',
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
  TIPSTER_ERR_NBA_SOURCE_NOT_FOUND: {
    status: 404,
    message: 'No NBA shot-chart CSV found at {source}',
    hint: 'Give a .csv file or a directory holding .csv files in the NBA.com shot-chart layout (see data/nba-shots/SOURCE.md).',
  },
  TIPSTER_ERR_NBA_NOT_SHOT_CHART: {
    status: 400,
    message: '{file} is not an NBA.com shot-chart CSV: {reason}',
    hint: 'The header must contain GAME_ID, GAME_DATE, TEAM_ID, PLAYER_ID, HOME_TEAM, AWAY_TEAM, SHOT_MADE, LOC_X, LOC_Y, QUARTER, MINS_LEFT and SECS_LEFT (see data/nba-shots/SOURCE.md).',
  },
  TIPSTER_ERR_NBA_NOT_ENOUGH_SHOTS: {
    status: 422,
    message: 'Not enough NBA shots to {purpose}: {detail}',
    hint: 'Load shot-chart data first (`tipster ingest nba-shots data/nba-shots`); training and evaluation need labelled shots from several game days.',
  },
  TIPSTER_ERR_NBA_SHOT_INVALID: {
    status: 400,
    message: 'The shot cannot be scored: {reason}',
    hint: 'Describe the shot with period (1-4, 5+ for overtime), the clock left in the period, and either the court location (locX, locY in feet, hoop at 0, 5.25) or the distance in feet; zone, action type and player are optional.',
  },
  TIPSTER_ERR_NBA_PREDICTION_NOT_FOUND: {
    status: 404,
    message: 'No shot prediction with id {predictionId}',
    hint: 'Use the predictionId returned when the shot was predicted, or fetch a random unverified prediction to review.',
  },
  TIPSTER_ERR_NBA_VERIFICATION_INVALID: {
    status: 400,
    message: 'The verification is invalid: {reason}',
    hint: 'Send the true outcome as made (true) or missed (false), signed in as the reviewing user.',
  },
  TIPSTER_ERR_FOOTBALL_COMPETITION_NOT_FOUND: {
    status: 404,
    message: 'No competition with code {competition}',
    hint: 'List competitions with GET /api/v1/football/competitions and use one of their codes (e.g. E0).',
  },
  TIPSTER_ERR_FOOTBALL_TEAM_NOT_FOUND: {
    status: 404,
    message: 'No team named {team} in {competition}',
    hint: 'Use a team name exactly as GET /api/v1/football/competitions/{competition} lists it.',
  },
  TIPSTER_ERR_FOOTBALL_MATCH_NOT_FOUND: {
    status: 404,
    message: 'No match with id {matchId}',
    hint: 'Use a matchId from the fixtures calendar (GET /api/v1/football/competitions/{code}/fixtures).',
  },
  TIPSTER_ERR_FOOTBALL_NO_PRODUCTION_MODEL: {
    status: 404,
    message: 'No production model for {competition}',
    hint: 'Train one first: `npm start` on a fresh store, or `tipster pipeline run football-weekly`.',
  },
  TIPSTER_ERR_FOOTBALL_NOT_ENOUGH_HISTORY: {
    status: 422,
    message: 'The model of {competition} cannot be fitted as of {asOf}: {detail}',
    hint: 'Pick a later as-of date, or load more seasons of that competition (`tipster ingest football-data`).',
  },
  TIPSTER_ERR_FOOTBALL_AS_OF_INVALID: {
    status: 400,
    message: 'The as-of date is invalid: {reason}',
    hint: 'Give an ISO date such as 2023-03-01 (or 2023-03-01T12:00:00Z); only administrators may move the as-of of a request.',
  },
  TIPSTER_ERR_FOOTBALL_PREMIUM_REQUIRED: {
    status: 403,
    message: 'Free accounts see the next matchday only: {detail}',
    hint: 'Leave out from/to/markets to get the next matchday, or ask an administrator for the premium role.',
  },
  TIPSTER_ERR_BET_INVALID: {
    status: 400,
    message: 'The bet is invalid: {reason}',
    hint: 'Give matchId, market (1x2, ou, ah, btts), selection valid for the market, line for ou/ah (a multiple of 0.25), decimal price > 1 and stake as a decimal string in your currency.',
  },
  TIPSTER_ERR_BET_MATCH_NOT_UPCOMING: {
    status: 409,
    message: 'Match {matchId} is not upcoming as of {asOf}: bets are only taken before kick-off',
    hint: 'Pick a fixture from GET /api/v1/football/competitions/{code}/fixtures.',
  },
  TIPSTER_ERR_BET_INSUFFICIENT_BANKROLL: {
    status: 409,
    message: 'A stake of {stake} is more than your bankroll of {bankroll}',
    hint: 'Stake less, or raise your bankroll with PATCH /api/v1/me.',
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
  TIPSTER_ERR_LIVE_EVENT_INVALID: {
    status: 400,
    message: 'Live event {where} is invalid: {reason}',
    hint: 'Send events in the schema of docs/live-events.md: matchId, homeTeam, awayTeam, id, index (1, 2, 3 … per match), period, minute, second, type, team, and the type\'s own fields (a Shot needs shot.outcome and shot.xg).',
  },
  TIPSTER_ERR_LIVE_EVENT_CONFLICT: {
    status: 409,
    message: 'Event {index} of match {matchId} already exists with another id ({existing}, not {id})',
    hint: 'Each (match, index) is one event: resend the same id to retry, and give a new event the next index.',
  },
  TIPSTER_ERR_LIVE_MATCH_NOT_FOUND: {
    status: 404,
    message: 'No live or recent match with id {matchId}',
    hint: 'List live and recent matches with GET /api/v1/live/matches and use one of their matchId values.',
  },
  TIPSTER_ERR_LIVE_BUS_UNREACHABLE: {
    status: 503,
    message: 'Cannot reach the live event bus at {target}: {reason}',
    hint: 'Check that nats-server runs with JetStream enabled (nats-server -js) and that TIPSTER_BUS_URL has the right host and port; unset TIPSTER_BUS_URL to use the in-memory bus.',
  },
  TIPSTER_ERR_LIVE_REPLAY_FILE_INVALID: {
    status: 400,
    message: '{file} is not a StatsBomb event file: {reason}',
    hint: 'Give a StatsBomb open-data events/<match_id>.json file: a JSON array of events with id, index, period, minute, second, type and team.',
  },
  TIPSTER_ERR_LIVE_TEAM_UNKNOWN: {
    status: 404,
    message: 'No team named "{team}" in the store{suggestion}',
    hint: 'Use a team name as football-data spells it (e.g. Arsenal, Man City); `tipster ingest football-data` loads the teams.',
  },
  TIPSTER_ERR_LIVE_STREAM_NOT_ACCEPTABLE: {
    status: 406,
    message: 'This route is an event stream; the request does not accept text/event-stream',
    hint: 'Send Accept: text/event-stream (EventSource and fetch-based SSE readers do); use the REST routes for JSON snapshots.',
  },
  TIPSTER_ERR_LIVE_OPTION_INVALID: {
    status: 400,
    message: '{detail}',
    hint: 'Use a value in the range the message gives; see `tipster live --help` and docs/live-events.md.',
  },
  TIPSTER_ERR_CLI_INVALID_ARGUMENT: {
    status: 400,
    message: 'Invalid value for {option}: {reason}',
    hint: 'Run the command with --help to see the accepted values.',
  },
  TIPSTER_ERR_API_VALIDATION_FAILED: {
    status: 400,
    message: 'The request {location} is invalid: {detail}',
    hint: 'Fix the fields listed in `errors`; every route documents its fields at /docs.',
  },
  TIPSTER_ERR_API_UNKNOWN_FIELD: {
    status: 400,
    message: 'The request {location} has unknown field(s): {fields}',
    hint: 'Remove {fields}: field names are case-sensitive and every route lists the fields it accepts at /docs.',
  },
  TIPSTER_ERR_API_MALFORMED_REQUEST: {
    status: 400,
    message: 'The request could not be read: {reason}',
    hint: 'Send well-formed JSON with Content-Type: application/json (POST /api/v1/auth/token also takes an HTML form).',
  },
  TIPSTER_ERR_API_BODY_TOO_LARGE: {
    status: 413,
    message: 'The request body is larger than this route accepts',
    hint: 'Send a smaller body; no Tipster request needs more than a few kilobytes.',
  },
  TIPSTER_ERR_API_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Content-Type {contentType} is not accepted here',
    hint: 'Send application/json; POST /api/v1/auth/token also takes application/x-www-form-urlencoded.',
  },
  TIPSTER_ERR_API_ROUTE_NOT_FOUND: {
    status: 404,
    message: 'No route {method} {path}',
    hint: 'API routes live under /api/v1; /docs lists every route and method.',
  },
  TIPSTER_ERR_API_RATE_LIMITED: {
    status: 429,
    message: 'Too many requests; try again in {retryAfterSeconds} s',
    hint: 'Wait for the number of seconds in the Retry-After header before sending more requests.',
  },
  TIPSTER_ERR_API_INTERNAL: {
    status: 500,
    message: 'Internal server error (request {requestId})',
    hint: 'Not your mistake: the server log has the details under request id {requestId}; report it with that id.',
  },
  TIPSTER_ERR_API_ROUTE_UNDECLARED: {
    status: 500,
    message: 'Route {method} {url} does not declare {missing}',
    hint: "Every API route declares config.access ('public', 'free', 'premium' or 'admin') and a schema for its body and responses.",
  },
  TIPSTER_ERR_AUTH_REQUIRED: {
    status: 401,
    message: 'Sign-in required: this route needs a {required} account',
    hint: 'Send Authorization: Bearer <accessToken>, with the token from POST /api/v1/auth/login (or /api/v1/auth/token).',
  },
  TIPSTER_ERR_AUTH_TOKEN_EXPIRED: {
    status: 401,
    message: 'The access token has expired',
    hint: 'Get a new one from POST /api/v1/auth/refresh with your refresh token, or log in again.',
  },
  TIPSTER_ERR_AUTH_TOKEN_INVALID: {
    status: 401,
    message: 'The access token is not valid: {reason}',
    hint: 'Log in again (POST /api/v1/auth/login) and send the new token as Authorization: Bearer <token>.',
  },
  TIPSTER_ERR_AUTH_FORBIDDEN: {
    status: 403,
    message: 'This route needs the {required} role; your account is {role}',
    hint: 'Ask an administrator for the {required} role.',
  },
  TIPSTER_ERR_AUTH_INVALID_CREDENTIALS: {
    status: 401,
    message: 'Incorrect username or password',
    hint: 'Check both and try again; after repeated failures sign-in is paused for a few minutes.',
  },
  TIPSTER_ERR_AUTH_LOCKED: {
    status: 429,
    message: 'Too many failed sign-ins; try again in {retryAfterSeconds} s',
    hint: 'Sign-in is paused after repeated failures to stop password guessing; wait, then sign in with the right password.',
  },
  TIPSTER_ERR_AUTH_ACCOUNT_DISABLED: {
    status: 403,
    message: 'This account is disabled',
    hint: 'Ask an administrator to enable it again.',
  },
  TIPSTER_ERR_AUTH_REFRESH_INVALID: {
    status: 401,
    message: 'The refresh token is invalid, expired or revoked',
    hint: 'Log in again. Each refresh token works once: keep the new one that every refresh returns.',
  },
  TIPSTER_ERR_AUTH_PASSWORD_INCORRECT: {
    status: 403,
    message: 'The current password is incorrect',
    hint: 'Give the password you sign in with as currentPassword.',
  },
  TIPSTER_ERR_AUTH_PASSWORD_WEAK: {
    status: 400,
    message: 'The password is too weak: {reason}',
    hint: 'Use at least 12 characters that are not a common password; a passphrase of three or four unrelated words is easy to remember and hard to guess.',
  },
  TIPSTER_ERR_ACCOUNT_USERNAME_TAKEN: {
    status: 409,
    message: 'The username {username} is already taken',
    hint: 'Choose another username (usernames are case-insensitive: Alice and alice are the same).',
  },
  TIPSTER_ERR_ACCOUNT_USERNAME_INVALID: {
    status: 400,
    message: 'The username "{username}" is not allowed: {reason}',
    hint: "Use 3 to 32 letters, digits, '.', '_' or '-', starting with a letter or a digit.",
  },
  TIPSTER_ERR_ACCOUNT_BANKROLL_INVALID: {
    status: 400,
    message: 'The bankroll is invalid: {reason}',
    hint: 'Give amount as a decimal string with at most the currency\'s minor digits ("1000.00" for EUR, "5000" for JPY) and currency as an ISO 4217 code.',
  },
  TIPSTER_ERR_ACCOUNT_USER_NOT_FOUND: {
    status: 404,
    message: 'No user with id {userId}',
    hint: 'List users with GET /api/v1/admin/users and use one of their ids.',
  },
  TIPSTER_ERR_ACCOUNT_LAST_ADMIN: {
    status: 409,
    message: 'This would leave no active administrator',
    hint: 'Give another user the admin role first (or create one with `tipster users create-admin`).',
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
