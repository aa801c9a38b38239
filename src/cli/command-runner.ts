/** Runs a command body and records its exit code; errors are reported by the runner, not each command. */
export type CommandRunner = (body: () => Promise<number>) => Promise<void>;
