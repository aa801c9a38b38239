import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../core/config.js';
import { isTipsterError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { println, type CliContext } from './cli-context.js';
import type { CommandRunner } from './command-runner.js';
import { backtestCommand } from './commands/backtest-command.js';
import { dbCommand } from './commands/db-command.js';
import { ingestCommand } from './commands/ingest-command.js';
import { liveCommand } from './commands/live-command.js';
import { modelsCommand } from './commands/models-command.js';
import { nbaCommand } from './commands/nba-command.js';
import { pipelineCommand } from './commands/pipeline-command.js';
import { runsCommand } from './commands/runs-command.js';
import { schedulerCommand } from './commands/scheduler-command.js';
import { startCommand } from './commands/start-command.js';
import { statusCommand } from './commands/status-command.js';
import { serveCommand } from './commands/serve-command.js';
import { usersCommand } from './commands/users-command.js';
import { workerCommand } from './commands/worker-command.js';

/** Exit codes: 0 success, 1 the command failed (bad data, unreachable store, …), 2 usage error. */
export async function main(argv: readonly string[], streams: Pick<CliContext, 'stdout' | 'stderr'> = process): Promise<number> {
  let exitCode = 0;
  const report = (error: unknown) => {
    if (isTipsterError(error)) {
      println(streams.stderr, `error: ${error.message}`);
      println(streams.stderr, `hint: ${error.hint}`);
      return error.statusCode === 400 ? 2 : 1;
    }
    // Not a user mistake: say so plainly, keep the details for the log.
    println(streams.stderr, `internal error: ${(error as Error)?.message ?? String(error)}`);
    println(streams.stderr, 'This is a bug in Tipster; run again with TIPSTER_LOG_LEVEL=debug for details.');
    return 1;
  };

  // Configuration is read when a command runs, so `--help` works even with a broken environment.
  let config: Config | undefined;
  let logger: Logger | undefined;
  const context: CliContext = {
    get config() {
      config ??= loadConfig(process.env, process.cwd());
      return config;
    },
    get logger() {
      logger ??= createLogger(this.config.logLevel);
      return logger;
    },
    cwd: process.cwd(),
    stdout: streams.stdout,
    stderr: streams.stderr,
  };
  const run: CommandRunner = async (body) => {
    try {
      exitCode = await body();
    } catch (error) {
      if (config) context.logger.debug({ err: error }, 'command failed');
      exitCode = report(error);
    }
  };

  const program = new Command('tipster')
    .description('Tipster: sports predictions, backtests, model registry, value bets and live matches in one program')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(startCommand(context, run));
  program.addCommand(dbCommand(context, run));
  program.addCommand(ingestCommand(context, run));
  program.addCommand(statusCommand(context, run));
  program.addCommand(backtestCommand(context, run));
  program.addCommand(runsCommand(context, run));
  program.addCommand(modelsCommand(context, run));
  program.addCommand(nbaCommand(context, run));
  program.addCommand(serveCommand(context, run));
  program.addCommand(usersCommand(context, run));
  program.addCommand(workerCommand(context, run));
  program.addCommand(pipelineCommand(context, run));
  program.addCommand(schedulerCommand(context, run));
  program.addCommand(liveCommand(context, run));
  applyToAll(program, (command) =>
    command.exitOverride().configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
    }),
  );

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    return report(error);
  }
  return exitCode;
}

/** Added commands do not inherit settings from their parent: apply them to the whole tree. */
function applyToAll(command: Command, apply: (command: Command) => void): void {
  apply(command);
  for (const sub of command.commands) applyToAll(sub, apply);
}
