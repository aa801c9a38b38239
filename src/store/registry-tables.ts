/** Model-registry tables: registered models, versions, version tags, aliases and the alias audit trail. */
export interface RegistryTables {
  registered_models: RegisteredModelTable;
  model_versions: ModelVersionTable;
  model_version_tags: ModelVersionTagTable;
  model_aliases: ModelAliasTable;
  model_alias_events: ModelAliasEventTable;
}

export interface RegisteredModelTable {
  name: string;
  task: string;
  description: string | null;
  primary_metric: string;
  /** 1 when a larger primary metric is better (accuracy), 0 when smaller is (RPS, log loss). */
  higher_is_better: number;
  created_at_ms: number;
}

export interface ModelVersionTable {
  model_name: string;
  version: number;
  run_id: string;
  description: string | null;
  created_at_ms: number;
}

export interface ModelVersionTagTable {
  model_name: string;
  version: number;
  key: string;
  value: string;
}

export interface ModelAliasTable {
  model_name: string;
  alias: string;
  version: number;
  updated_at_ms: number;
}

export interface ModelAliasEventTable {
  id: import('kysely').Generated<number>;
  model_name: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  actor: string;
  reason: string;
  at_ms: number;
}
