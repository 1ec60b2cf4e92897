import type { TargetStats } from '../stats/target-stats';
import { BASELINE_SCHEMA_VERSION, type Baseline, type BaselineTarget, type BaselineTargetConfig } from './baseline-types';

/** What the workspace says about one target to write: where it is and how it runs. */
export interface BaselineTargetSource {
  root: string;
  /** The resolved target configuration (from nx's project graph); undefined when it could not be read. */
  config?: BaselineTargetConfig;
}

export interface BuildBaselineInput {
  /** The default budget, recorded for the reader. */
  budgetMs: number;
  /** Per-target statistics from the history (computeTargetStats): targets with executions give p90Ms. */
  stats: readonly TargetStats[];
  /** The targets to write, keyed by `project:target`. Entries of `previous` not listed here are dropped. */
  targets: Readonly<Record<string, BaselineTargetSource>>;
  /** Per-test-file ms from each target's JUnit report, keyed by `project:target`; a target without a report keeps its previous files. */
  fileDurations: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The test files each target's runner listed, keyed by `project:target`; a target not listed keeps its previous list. */
  testFiles?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The baseline to commit: each listed target's p90 from the history (or the previous figure
 * when it has not executed since), its per-file durations from its latest JUnit report (or the
 * previous ones), its configuration snapshot, and the shards of the previous baseline, kept
 * as they are: shards change only through `sixty apply`.
 */
export function buildBaseline(input: BuildBaselineInput, previous?: Baseline): Baseline {
  const p90ByTask = new Map(input.stats.filter((stats) => stats.executions > 0 && stats.configuration === undefined).map((stats) => [stats.task, stats.p90Ms]));
  const targets: Record<string, BaselineTarget> = {};
  for (const [key, source] of Object.entries(input.targets)) {
    const before = previous?.targets[key];
    const files = input.fileDurations[key] ?? before?.files ?? {};
    const config = source.config ?? before?.config;
    const testFiles = input.testFiles?.[key] ?? before?.testFiles;
    targets[key] = {
      root: source.root,
      p90Ms: Math.round(p90ByTask.get(key) ?? before?.p90Ms ?? 0),
      files: Object.fromEntries(Object.entries(files).map(([file, ms]) => [file, Math.round(ms)])),
      ...(testFiles ? { testFiles: [...testFiles] } : {}),
      ...(before?.shards ? { shards: before.shards.map((shard) => ({ name: shard.name, files: [...shard.files] })) } : {}),
      ...(config ? { config } : {}),
    };
  }
  return { schemaVersion: BASELINE_SCHEMA_VERSION, budgetMs: Math.round(input.budgetMs), targets };
}
