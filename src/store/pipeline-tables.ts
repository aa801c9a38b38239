/** Pipeline tables (DAG runs, task runs, task logs); filled in by the pipelines migration. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PipelineTables {}
