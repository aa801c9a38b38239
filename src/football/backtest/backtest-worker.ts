// Worker-thread entry: runs one league's walk-forward and posts the result back. Models are rebuilt
// here from their catalogue names, since functions cannot cross threads.
import { parentPort, workerData } from 'node:worker_threads';
import { predictorSpec, type CatalogueOptions } from '../predictors/predictor-catalogue.js';
import type { PlayedMatch } from '../football-match.js';
import { runWalkForward, type WalkForwardOptions } from './walk-forward.js';

/** What the parent sends to a backtest worker. */
export interface BacktestJob {
  readonly league: string;
  readonly matches: readonly PlayedMatch[];
  readonly models: readonly string[];
  readonly catalogue: CatalogueOptions;
  readonly options: Omit<WalkForwardOptions, 'onProgress'>;
}

if (parentPort) {
  const job = workerData as BacktestJob;
  const port = parentPort;
  const specs = job.models.map((name) => predictorSpec(name, job.catalogue));
  const result = runWalkForward(job.matches, specs, {
    ...job.options,
    onProgress: (done, total) => port.postMessage({ type: 'progress', done, total }),
  });
  const probabilities = [...result.probabilities];
  const fitMs = [...result.fitMs];
  port.postMessage(
    { type: 'result', matchIds: result.matches.map((m) => m.matchId), outcomes: result.outcomes, probabilities, fitMs, refits: result.refits },
    [result.outcomes.buffer, ...probabilities.map(([, p]) => p.buffer), ...fitMs.map(([, t]) => t.buffer)] as ArrayBuffer[],
  );
}
