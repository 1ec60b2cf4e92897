import type { TargetStats } from '../stats/target-stats';
import type { Baseline } from './baseline-types';
import { isOverBudget } from '../config/budget-rule';

/** Default relative drift of a p90 past which the baseline is stale. */
export const DEFAULT_STALENESS_THRESHOLD = 0.25;

/** How far one target's p90 moved since the baseline was written. */
export interface TargetDrift {
  task: string;
  baselineP90Ms: number;
  currentP90Ms: number;
  /** (current - baseline) / baseline; null when the baseline holds no figure (p90 0). */
  drift: number | null;
  stale: boolean;
}

export interface BaselineStaleness {
  /** Baseline targets that executed in the history, sorted by task. */
  drifts: TargetDrift[];
  /** Targets over budget in the history that the baseline does not list. */
  missing: Array<{ task: string; currentP90Ms: number; budgetMs: number }>;
  /** Inferred shard targets (`lib-c:test--shard-1-of-3`) whose p90 is over their target's budget: the shards need planning again. */
  overBudgetShards: Array<{ task: string; currentP90Ms: number; budgetMs: number }>;
  stale: boolean;
}

export interface StalenessOptions {
  /** Relative drift past which a target is stale; default 0.25. */
  threshold?: number;
  /** The budget of a task, for targets the baseline is missing. */
  budgetMsFor: (task: { project: string; target: string }) => number;
}

/** Names the plugin infers (`test--shard-1-of-3`, `test--sharded`): measured, but never baseline entries. */
export function isInferredShardTarget(target: string): boolean {
  return /--shard-\d+-of-\d+$/.test(target) || target.endsWith('--sharded');
}

/**
 * Compares the baseline with the history now: each baseline target's relative p90 drift, the
 * targets over budget the baseline does not list, and shard targets over their target's budget.
 * Targets that have not executed since (cache hits only, or run as shards) are not judged.
 */
export function baselineStaleness(baseline: Baseline, currentStats: readonly TargetStats[], options: StalenessOptions): BaselineStaleness {
  const threshold = options.threshold ?? DEFAULT_STALENESS_THRESHOLD;
  const drifts: TargetDrift[] = [];
  const missing: BaselineStaleness['missing'] = [];
  const overBudgetShards: BaselineStaleness['overBudgetShards'] = [];
  for (const stats of currentStats) {
    if (stats.executions === 0 || stats.configuration !== undefined) continue;
    const shardOf = /^(.+)--shard-\d+-of-\d+$/.exec(stats.target)?.[1];
    if (shardOf !== undefined) {
      const budgetMs = options.budgetMsFor({ project: stats.project, target: shardOf });
      if (isOverBudget(stats, budgetMs) && baseline.targets[`${stats.project}:${shardOf}`]) overBudgetShards.push({ task: stats.task, currentP90Ms: stats.p90Ms, budgetMs });
      continue;
    }
    if (isInferredShardTarget(stats.target)) continue;
    const entry = baseline.targets[stats.task];
    if (entry) {
      const drift = entry.p90Ms > 0 ? (stats.p90Ms - entry.p90Ms) / entry.p90Ms : null;
      drifts.push({
        task: stats.task,
        baselineP90Ms: entry.p90Ms,
        currentP90Ms: stats.p90Ms,
        drift,
        stale: drift === null ? stats.p90Ms > 0 : Math.abs(drift) > threshold,
      });
      continue;
    }
    const budgetMs = options.budgetMsFor({ project: stats.project, target: stats.target });
    if (isOverBudget(stats, budgetMs)) missing.push({ task: stats.task, currentP90Ms: stats.p90Ms, budgetMs });
  }
  const byTask = (a: { task: string }, b: { task: string }): number => (a.task < b.task ? -1 : a.task > b.task ? 1 : 0);
  drifts.sort(byTask);
  missing.sort(byTask);
  overBudgetShards.sort(byTask);
  return { drifts, missing, overBudgetShards, stale: missing.length > 0 || overBudgetShards.length > 0 || drifts.some((drift) => drift.stale) };
}
