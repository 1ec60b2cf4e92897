import { budgetMsFor, defaultBudgetMs, loopBudgetMsOf, type SixtyOptions } from '../config/sixty-options';
import type { LoopViolation } from '../analysis/loop-violations';
import type { HistoryReadResult } from '../history/history-store';
import type { BudgetViolation, CriticalPath, LoopTime, WhatIf } from '../analysis/analysis-types';
import type { DeclarationInputsSaving } from '../analysis/declaration-inputs-what-if';
import { topLevelRuns } from '../history/nested-runs';
import type { RunRecord } from '../history/run-record';
import { computeTargetStats, type TargetStats } from '../stats/target-stats';
import type { LastRunPrediction } from './last-run-prediction';
import { isOverBudget } from '../config/budget-rule';

/**
 * What the graph analysis covers: `measured`, the tasks with executed runs (the default; a
 * task that never ran is left out, its dependency order kept); `whole-graph`, every task of
 * the analysed targets, a never-run one weighed by an estimate and marked as one.
 */
export type AnalysisScope = 'measured' | 'whole-graph';

export const REPORT_SCHEMA_VERSION = 1;

/** One row of the report: a target's statistics and its verdict. JSON contract: extend, never break. */
export interface ReportTarget extends Omit<TargetStats, 'durationsMs' | 'lastRunMs'> {
  budgetMs: number;
  /** p90 of executed durations is over the target's budget. */
  overBudget: boolean;
  /** On the critical path of the analysed targets (false when there was no graph analysis). */
  onCriticalPath: boolean;
  /** The last executed durations, oldest first (at most 20): the trend behind p90. */
  recentMs: number[];
}

/** The schedule prediction for `--parallel N`. */
export interface ReportSimulation {
  parallel: number;
  predictedWallMs: number;
  workerIdleMs: number[];
  ranAlone: string[];
}

/** The graph part of the report: present when the task graph could be read from Nx. */
export interface ReportAnalysis {
  /** The targets analysed (`--targets`). */
  targets: string[];
  criticalPath: CriticalPath;
  simulation: ReportSimulation;
  loopTimes: LoopTime[];
  violations: BudgetViolation[];
  /** Loops over the loop budget, with their remedies ranked by predicted saving (absent: not analysed). */
  loopViolations?: LoopViolation[];
  whatIf: WhatIf[];
  estimatedTasks: string[];
  scope: AnalysisScope;
  /** Tasks of the analysed targets that never ran: left out (measured) or estimated (whole-graph). */
  unmeasuredTasks: string[];
  /** The prediction on the last run's own graph, beside its measure; null without a last run. */
  lastRunPrediction: LastRunPrediction | null;
  /** What declaration-only build inputs would save per project (estimates); absent when nothing. */
  declarationInputs?: DeclarationInputsSaving[];
}

/** The one model every renderer (text, markdown, json) reads. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The default budget (per-target budgets are on each row). */
  budgetMs: number;
  /** The loop budget: the longest a change should wait for what it affects (loopBudgetSeconds, else budgetSeconds). */
  loopBudgetMs: number;
  /** Recorded nx runs, as nx counts them: a run started from inside another run's task is part of that run. */
  invocations: number;
  /** Runs started from inside a task of another recorded run (a target that runs nx), attached to it. */
  nestedRuns: number;
  skippedRecords: number;
  /** Task records left out because a split applied later superseded them (decompositions.json). */
  supersededTasks: number;
  /** ISO time of the oldest run considered, when --since was given. */
  since: string | null;
  historyDir: string;
  /** Over-budget targets first, each group by p90 descending, then by name. */
  targets: ReportTarget[];
  /** Critical path, simulation, loop times: null when the graph could not be read. */
  criticalPath: CriticalPath | null;
  simulation: ReportSimulation | null;
  loopTimes: LoopTime[] | null;
  violations: BudgetViolation[] | null;
  /** Loops over loopBudgetMs, slowest first, each with its largest contributor and ranked remedies; null without an analysis. */
  loopViolations: LoopViolation[] | null;
  whatIf: WhatIf[];
  /** What the analysis covers; null without one. */
  analysisScope: AnalysisScope | null;
  /** Tasks of the analysed targets that never ran: left out (measured scope) or weighed by an estimate (whole-graph). */
  unmeasuredTasks: string[];
  /** The prediction on the last run's own graph, beside its measured wall time. */
  lastRunPrediction: LastRunPrediction | null;
  /**
   * The loop time an implementation-only change would save per project if its dependents' builds
   * hashed its declarations instead of its sources (`sixty plan <project>:<target> --kind inputs`):
   * simulated, an estimate. Present only when some project would save time.
   */
  declarationInputs?: DeclarationInputsSaving[];
  /** Why the graph part is missing, when it is. */
  analysisNote: string | null;
  /** The most recent recorded run: the timeline the html and trace formats draw. */
  lastRun: RunRecord | null;
  /** `sixty dispatch` outcomes, oldest first; present only when there are run logs. */
  dispatches?: ReportDispatch[];
  /** Sharded targets of the baseline: each shard's estimate (the cost model learned from runs) beside its measured time. */
  shardEstimates?: ReportShardEstimates[];
}

/** A sharded target in the report: the shard cost model and, per shard, estimated vs measured. */
export interface ReportShardEstimates {
  /** `project:target`. */
  task: string;
  fixedMs: number;
  perFileScale: number;
  /** How the model was learned: unsharded run only, or calibrated on the shards' runs too. */
  modelSource: 'none' | 'unsharded' | 'calibrated';
  shards: Array<{ task: string; files: number; estimatedMs: number; measuredMs?: number; executions: number }>;
}

/** One `sixty dispatch` as the report shows it (the full run log is <historyDir>/dispatch/<id>.json). */
export interface ReportDispatch {
  id: string;
  task: string;
  outcome: 'passed' | 'failed' | 'timeout' | 'stalled' | 'error';
  branch: string;
  finishedAt: string;
  ms: number;
  reason: string;
}

export interface BuildReportInput {
  history: HistoryReadResult;
  /** computeTargetStats(history.runs), when the caller computed it already (for the graph analysis). */
  stats?: readonly TargetStats[];
  options: SixtyOptions;
  /** --budget: overrides every configured budget. */
  budgetOverrideSeconds?: number;
  sinceMs?: number;
  /** The graph analysis, when the CLI could read the task graph from Nx. */
  analysis?: ReportAnalysis;
  /** Why there is no analysis (e.g. nx could not compute the task graph). */
  analysisNote?: string;
  /** `sixty dispatch` run logs, summarized. */
  dispatches?: ReportDispatch[];
  shardEstimates?: ReportShardEstimates[];
}

const RECENT_RUNS = 20;

export function buildReport({ history, stats: givenStats, options, budgetOverrideSeconds, sinceMs, analysis, analysisNote, dispatches, shardEstimates }: BuildReportInput): Report {
  const onPath = new Set(analysis?.criticalPath.tasks.map((step) => step.id) ?? []);
  const topLevel = topLevelRuns(history.runs);
  const targets: ReportTarget[] = (givenStats ?? computeTargetStats(history.runs)).map((stats) => {
    const budgetMs = budgetMsFor(options, stats, budgetOverrideSeconds);
    return {
      task: stats.task,
      project: stats.project,
      target: stats.target,
      ...(stats.configuration ? { configuration: stats.configuration } : {}),
      executions: stats.executions,
      cacheHits: stats.cacheHits,
      failures: stats.failures,
      earlyFailures: stats.earlyFailures,
      p50Ms: stats.p50Ms,
      p90Ms: stats.p90Ms,
      maxMs: stats.maxMs,
      budgetMs,
      overBudget: isOverBudget(stats, budgetMs),
      onCriticalPath: onPath.has(stats.task),
      recentMs: stats.durationsMs.slice(-RECENT_RUNS),
    };
  });
  targets.sort(
    (a, b) => Number(b.overBudget) - Number(a.overBudget) || b.p90Ms - a.p90Ms || a.task.localeCompare(b.task),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    budgetMs: defaultBudgetMs(options, budgetOverrideSeconds),
    loopBudgetMs: loopBudgetMsOf(options, budgetOverrideSeconds),
    invocations: topLevel.length,
    nestedRuns: history.runs.length - topLevel.length,
    skippedRecords: history.skippedRecords,
    supersededTasks: history.supersededTasks,
    since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    historyDir: options.historyDir,
    targets,
    criticalPath: analysis?.criticalPath ?? null,
    simulation: analysis?.simulation ?? null,
    loopTimes: analysis?.loopTimes ?? null,
    violations: analysis?.violations ?? null,
    loopViolations: analysis?.loopViolations ?? null,
    whatIf: analysis?.whatIf ?? [],
    analysisScope: analysis?.scope ?? null,
    unmeasuredTasks: analysis?.unmeasuredTasks ?? [],
    lastRunPrediction: analysis?.lastRunPrediction ?? null,
    ...(analysis?.declarationInputs?.length ? { declarationInputs: analysis.declarationInputs } : {}),
    analysisNote: analysis ? null : (analysisNote ?? null),
    lastRun: topLevel.at(-1) ?? null,
    ...(dispatches && dispatches.length > 0 ? { dispatches } : {}),
    ...(shardEstimates && shardEstimates.length > 0 ? { shardEstimates } : {}),
  };
}
