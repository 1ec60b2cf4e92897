import type { RecordedTime } from '../config/budget-rule';
/** Schema version of the committed baseline (sixty-timings.json). Bump on breaking change. */
export const BASELINE_SCHEMA_VERSION = 1;

/** One shard of a target, as applied from a shard Plan: the test files it runs. */
export interface BaselineShard {
  /** `shard-<i>-of-<n>`, 1-based. */
  name: string;
  /** Workspace-relative test file paths, sorted. */
  files: string[];
}

/** A fitted shard cost: fixed ms per shard + perFileScale x the files' measured ms, from `samples` runs. */
export interface BaselineShardCost {
  fixedMs: number;
  perFileScale: number;
  samples: number;
}

/**
 * The target's configuration as nx resolved it when the baseline was written (targetDefaults
 * merged): what the shard targets run. A snapshot, so the inferred graph depends on this
 * committed file only, never on what one machine happens to have.
 */
export interface BaselineTargetConfig {
  executor: string;
  options: Record<string, unknown>;
  inputs?: unknown[];
  outputs?: string[];
  dependsOn?: unknown[];
  cache?: boolean;
  /**
   * For an `nx:run-script` target: the command line of the package.json script it runs (read from
   * the project's package.json when the snapshot was taken). The executor runs it from the
   * project root through the package manager; its shards run that command line from the project
   * root through nx:run-commands, with their file filter.
   */
  script?: string;
}

/** One target (`project:target`) in the baseline. */
export interface BaselineTarget {
  /** Workspace-relative project root (`.` for a project at the workspace root). */
  root: string;
  /** p90 of the executed (non-cache) durations in the history when the baseline was written. */
  p90Ms: number;
  /** Workspace-relative test file -> measured ms from the target's JUnit report. Empty for non-test targets. */
  files: Record<string, number>;
  /**
   * Every test file the target runs, as its runner listed them when the baseline was written
   * (vitest and jest decide from their own config); absent when the runner was not asked.
   */
  testFiles?: string[];
  /**
   * What a shard of this target costs, learned from its runs by `sixty baseline` (the unsharded
   * run and each measured shard): ms every shard pays, and the scale of the files' measured ms.
   * Absent until shards ran; the p90 against the files' sum stands in until then.
   */
  shardCost?: BaselineShardCost;
  /** Shards applied from a shard Plan; absent when none was applied. */
  shards?: BaselineShard[];
  /** Absent when the target's configuration could not be read (no shard targets are inferred then). */
  config?: BaselineTargetConfig;
}

/** The committed timing baseline: sorted keys, no timestamps, so it diffs cleanly. */
export interface Baseline {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  /** The default budget when the baseline was written (per-target budgets may differ). */
  budgetMs: number;
  /** Keyed by `project:target`. */
  targets: Record<string, BaselineTarget>;
}

/** `lib-c:test` -> { project: 'lib-c', target: 'test' }; undefined when the key has no colon. */
/**
 * A baseline target's p90 as the budget rule reads it. The baseline keeps no run count: it writes
 * the p90 of executed runs, or 0 for a target that has none, so a p90 above 0 stands for at least one.
 */
export function baselineRecordedTime(entry: Pick<BaselineTarget, 'p90Ms'>): RecordedTime {
  return { p90Ms: entry.p90Ms, executions: entry.p90Ms > 0 ? 1 : 0 };
}

export function splitBaselineKey(key: string): { project: string; target: string } | undefined {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) return undefined;
  return { project: key.slice(0, colon), target: key.slice(colon + 1) };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
