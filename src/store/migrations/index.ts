import type { Migration } from 'kysely';
import type { StoreCapabilities } from '../store.js';
import { footballMigration } from './0001-football.js';
import { trackingMigration } from './0002-tracking.js';
import { registryMigration } from './0004-registry.js';
import { pipelinesMigration } from './0003-pipelines.js';
import { accountsMigration } from './0007-accounts.js';
import { predictionsMigration } from './0008-predictions.js';
import { nbaMigration } from './0009-nba.js';
import { betsMigration } from './0010-bets.js';
import { pipelineSchedulesMigration } from './0005-pipeline-schedules.js';
import { pipelineWorkersMigration } from './0006-pipeline-workers.js';
import { liveMigration } from './0011-live.js';

/** Every migration by name, in order; names sort in the order they must run. */
export function allMigrations(capabilities: StoreCapabilities): Record<string, Migration> {
  return {
    '0001-football': footballMigration(capabilities),
    '0002-tracking': trackingMigration(capabilities),
    '0003-pipelines': pipelinesMigration(capabilities),
    '0004-registry': registryMigration(capabilities),
    '0005-pipeline-schedules': pipelineSchedulesMigration(capabilities),
    '0006-pipeline-workers': pipelineWorkersMigration(capabilities),
    '0008-predictions': predictionsMigration(capabilities),
    '0009-nba': nbaMigration(capabilities),
    '0010-bets': betsMigration(capabilities),
    '0007-accounts': accountsMigration(capabilities),
    '0011-live': liveMigration(capabilities),
  };
}
