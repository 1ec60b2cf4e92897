/**
 * Plain-data shapes of the graph analysis. The CLI reads the graphs from Nx and passes them
 * in; core never imports Nx.
 */

/** The task graph Nx would run for some targets (`nx run-many -t ... --graph=file.json`). */
export interface TaskGraphInput {
  tasks: Array<{ id: string; project: string; target: string; configuration?: string }>;
  /** Task id -> ids of the tasks it depends on (must run first). */
  dependencies: Record<string, string[]>;
}

/** Project id -> the projects it depends on (the project graph's edges). */
export type ProjectDependencies = Record<string, string[]>;

/** A task with the weight the analysis uses: its p90 executed duration, or an estimate. */
export interface WeightedTask {
  id: string;
  project: string;
  target: string;
  /** Set when the task runs a named configuration (`project:target:configuration`). */
  configuration?: string;
  durationMs: number;
  /** True when the task was never executed in history and durationMs is an estimate. */
  estimated: boolean;
}

export interface CriticalPathStep {
  id: string;
  durationMs: number;
  /** durationMs / path duration, 0..1. */
  share: number;
  /** True when durationMs is an estimate (the task never ran in history). */
  estimated?: boolean;
}

export interface CriticalPath {
  tasks: CriticalPathStep[];
  durationMs: number;
}

export interface ScheduledTask {
  id: string;
  /** 0-based worker (row) the task ran on. */
  worker: number;
  startMs: number;
  endMs: number;
}

export interface ScheduleSimulation {
  parallel: number;
  predictedWallMs: number;
  /** Idle time per worker between 0 and predictedWallMs. */
  workerIdleMs: number[];
  /** Tasks that ran while every other worker was idle: where parallelism is lost. */
  ranAlone: string[];
  tasks: ScheduledTask[];
}

export interface LoopTime {
  /** The project a change is made in. */
  project: string;
  /** Predicted wall time of the tasks `nx affected` would run for that change. */
  ms: number;
  overBudget: boolean;
  /** How many tasks the change runs. */
  taskCount: number;
  /** How many of them never ran in history, so ms is partly an estimate; absent when none. */
  estimatedTaskCount?: number;
}

/** A target over budget, ranked by the loop time it costs across all projects. */
export interface BudgetViolation {
  task: string;
  p90Ms: number;
  budgetMs: number;
  /** Projects whose change runs this task. */
  affectedBy: number;
  /** Sum over projects of the loop time saved if this task fit its budget (split in ceil(p90/budget)). */
  loopCostMs: number;
  /** False when loopCostMs is an upper bound (violations ranked below the exactly simulated top). */
  loopCostExact?: boolean;
  /** The split that loopCostMs assumes: ceil(p90Ms / budgetMs) equal parts. */
  parts?: number;
  /** True when p90Ms is an estimate (the task never ran in history). */
  estimated?: boolean;
}

/** `--what-if p3:test=4`: the target split in k equal parts. */
export interface WhatIf {
  task: string;
  parts: number;
  /** Loop time per project before and after, only projects whose loop time changes. */
  loopTimes: Array<{ project: string; beforeMs: number; afterMs: number }>;
  criticalPathBeforeMs: number;
  criticalPathAfterMs: number;
  predictedWallBeforeMs: number;
  predictedWallAfterMs: number;
}

/** Everything `sixty report` adds from the graph analysis. */
export interface GraphAnalysis {
  targets: string[];
  criticalPath: CriticalPath;
  simulation: ScheduleSimulation;
  loopTimes: LoopTime[];
  violations: BudgetViolation[];
  whatIf: WhatIf[];
  /** Tasks whose weight is an estimate (never executed in history). */
  estimatedTasks: string[];
}
