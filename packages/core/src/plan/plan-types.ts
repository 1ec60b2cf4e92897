/** Schema version of the Plan document. Bump on breaking change. */
export const PLAN_SCHEMA_VERSION = 1;

/** Who produced a plan. Both kinds pass the same validator. */
export type PlanSource = 'local' | 'agent';

/** One shard of a target: the test files it runs. */
export interface PlanShard {
  /** `shard-<i>-of-<n>`, 1-based. */
  name: string;
  /** Paths relative to the workspace root, sorted. */
  files: string[];
  estimatedMs: number;
}

/** One new project of a split. */
export interface PlanProject {
  /** A valid Nx project name, not colliding with an existing project. */
  name: string;
  /** Workspace-relative root of the new project. */
  root: string;
  /** Workspace-relative paths of the files that move into it (from the split project), sorted. */
  files: string[];
  /** Names of other parts of this plan (or existing projects) it depends on. */
  dependsOn: string[];
  /** Workspace-relative path of its public entry point (index file). */
  entry: string;
  estimatedMs: number;
}

/** The content hash of one file when the plan was made. */
export interface PlanFileHash {
  /** Workspace-relative path. */
  file: string;
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: string;
}

/** A facade re-export kept in the old entry so outside importers keep working. */
export interface PlanFacadeExport {
  /** The old entry file (workspace-relative). */
  from: string;
  /** The new project that now holds the module. */
  project: string;
  /** The moved module (workspace-relative path). */
  module: string;
}

interface PlanBase {
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  /** The target being decomposed, `project:target`. */
  task: string;
  budgetMs: number;
  rationale: string;
  source: PlanSource;
}

export interface ShardPlan extends PlanBase {
  kind: 'shard';
  shards: PlanShard[];
  /** Files that alone exceed the budget: no shard count fixes them. */
  oversizedFiles?: Array<{ file: string; estimatedMs: number }>;
}

export interface SplitPlan extends PlanBase {
  kind: 'split';
  projects: PlanProject[];
  /** Re-exports the old entry needs so every public export stays reachable. */
  facade?: PlanFacadeExport[];
  /** Import edges between parts (weighted by co-change), the figure the split minimized. */
  cutEdges?: number;
  /**
   * Files that stay in the old project: its entry (kept as the facade) and the files that import
   * it. Every file of the project is in exactly one part or here.
   */
  keptFiles?: string[];
  /** Estimated time of what stays in the old project. */
  keptEstimatedMs?: number;
  /** Hashes of the plan's files when it was made: applying refuses a plan whose files changed since. */
  fileHashes?: PlanFileHash[];
  /**
   * The heaviest chain of modules that import each other, up to the entry: a change to its first
   * module rebuilds all of them in a row whatever the split, so no part's loop time can be shorter.
   * Set when it is over the budget.
   */
  loopFloor?: { files: string[]; estimatedMs: number };
}

export type Plan = ShardPlan | SplitPlan;
