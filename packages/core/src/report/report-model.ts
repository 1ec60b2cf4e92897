import { budgetMsFor, type SixtyOptions } from '../config/sixty-options';
import type { HistoryReadResult } from '../history/history-store';
import { computeTargetStats } from '../stats/target-stats';

export const REPORT_SCHEMA_VERSION = 1;

/** One row of the report. JSON contract: extend, never break. */
export interface ReportTarget {
  task: string;
  project: string;
  target: string;
  configuration?: string;
  executions: number;
  cacheHits: number;
  failures: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
  budgetMs: number;
  /** p90 of executed durations is over the target's budget. */
  overBudget: boolean;
}

/** The one model every renderer (text, markdown, json) reads. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  /** The default budget (per-target budgets are on each row). */
  budgetMs: number;
  invocations: number;
  skippedRecords: number;
  /** ISO time of the oldest run considered, when --since was given. */
  since: string | null;
  historyDir: string;
  /** Over-budget targets first, each group by p90 descending, then by name. */
  targets: ReportTarget[];
}

export interface BuildReportInput {
  history: HistoryReadResult;
  options: SixtyOptions;
  /** --budget: overrides every configured budget. */
  budgetOverrideSeconds?: number;
  sinceMs?: number;
}

export function buildReport({ history, options, budgetOverrideSeconds, sinceMs }: BuildReportInput): Report {
  const targets: ReportTarget[] = computeTargetStats(history.runs).map((stats) => {
    const budgetMs = budgetMsFor(options, stats, budgetOverrideSeconds);
    return {
      task: stats.task,
      project: stats.project,
      target: stats.target,
      ...(stats.configuration ? { configuration: stats.configuration } : {}),
      executions: stats.executions,
      cacheHits: stats.cacheHits,
      failures: stats.failures,
      p50Ms: stats.p50Ms,
      p90Ms: stats.p90Ms,
      maxMs: stats.maxMs,
      budgetMs,
      overBudget: stats.executions > 0 && stats.p90Ms > budgetMs,
    };
  });
  targets.sort(
    (a, b) => Number(b.overBudget) - Number(a.overBudget) || b.p90Ms - a.p90Ms || a.task.localeCompare(b.task),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    budgetMs: budgetOverrideSeconds !== undefined ? budgetOverrideSeconds * 1000 : options.budgetSeconds * 1000,
    invocations: history.runs.length,
    skippedRecords: history.skippedRecords,
    since: sinceMs === undefined ? null : new Date(sinceMs).toISOString(),
    historyDir: options.historyDir,
    targets,
  };
}
