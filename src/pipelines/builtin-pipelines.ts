import { footballWeeklyPipeline } from '../football/training/football-weekly-pipeline.js';
import { nbaRetrainCatalogueEntry } from '../basketball/training/nba-retrain-pipeline.js';
import { PipelineCatalogue, type PipelineDeps } from './pipeline-catalogue.js';
import { workerDrillPipeline } from './worker-drill-pipeline.js';

/**
 * The pipelines Tipster ships, wired to one process's store and configuration. The CLI, the
 * scheduler and every worker build the same catalogue, so a task sent to a worker finds its code.
 */
export function buildPipelineCatalogue(deps: PipelineDeps): PipelineCatalogue {
  return new PipelineCatalogue([
    nbaRetrainCatalogueEntry({ store: deps.store, dataDir: deps.config.dataDir }),
    { pipeline: workerDrillPipeline() },
    {
      pipeline: footballWeeklyPipeline({ store: deps.store, dataDir: deps.config.dataDir }),
      // Monday morning in London: the weekend's results are in and midweek fixtures are ahead.
      schedule: { cron: '0 6 * * 1', timezone: 'Europe/London' },
    },
  ]);
}
