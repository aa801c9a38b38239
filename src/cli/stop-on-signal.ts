/** How a person (Ctrl-C) or a supervisor asks a long-running command to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** What a long-running command does when asked to stop. */
export interface StopOnSignalOptions {
  /** Called on the first signal, before `stop`: say what stopping will wait for. */
  readonly announce: (signal: NodeJS.Signals) => void;
  /** Stops gracefully; the returned promise settles when the command may exit. */
  readonly stop: () => Promise<void>;
  /** Called on a second signal, just before the process re-raises it and ends at once. */
  readonly forced: (signal: NodeJS.Signals) => void;
}

/**
 * Resolves (or rejects) once `stop` settles after the first SIGINT/SIGTERM. A second signal ends
 * the process at once: the handlers are removed and the signal is raised again with its default
 * action. Handlers are removed in every case, so nothing is left listening after the command.
 */
export function stopOnSignal(options: StopOnSignalOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        options.forced(signal);
        detach();
        process.kill(process.pid, signal);
        return;
      }
      stopping = true;
      options.announce(signal);
      options.stop().then(
        () => {
          detach();
          resolve();
        },
        (error: unknown) => {
          detach();
          reject(error);
        },
      );
    };
    const detach = () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
