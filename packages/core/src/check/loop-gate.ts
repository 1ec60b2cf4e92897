import type { CacheKind } from '../history/run-record';
import { owningProject, withDependents } from './change-coverage';

/** The loop a check measured: its own wall time against the loop budget. JSON: part of `sixty check --json`. */
export interface CheckLoop {
  /** The check's wall time: what this change made its author wait for, cache hits included. */
  wallMs: number;
  loopBudgetMs: number;
  overBudget: boolean;
  /** The task that took longest in this check (a cache hit counts as its restore). */
  largestTask: { task: string; durationMs: number; cache: CacheKind } | null;
  /** The changed project whose loop holds the largest task: the loop to plan. */
  project: string | null;
  /** The command that plans its remedies (`sixty plan <project> --loop ...`); null without a project. */
  planCommand: string | null;
}

export interface CheckLoopInput {
  wallMs: number;
  loopBudgetMs: number;
  tasks: ReadonlyArray<{ id: string; project: string; durationMs: number; cache: CacheKind }>;
  changedFiles: readonly string[];
  projects: ReadonlyArray<{ name: string; root: string }>;
  projectDependencies: Readonly<Record<string, readonly string[]>>;
  planCommand: (project: string) => string;
}

/**
 * The loop gate of `sixty check`: the check's wall time is the loop this change measured. Its
 * largest contributor is the longest task; the loop to plan is that of the changed project whose
 * change runs it (its own project when no changed project reaches it, e.g. a workspace file).
 */
export function checkLoopOf(input: CheckLoopInput): CheckLoop {
  const largest = input.tasks.reduce<CheckLoopInput['tasks'][number] | null>((a, b) => (!a || b.durationMs > a.durationMs ? b : a), null);
  let project: string | null = null;
  if (largest) {
    const byDepth = [...input.projects].sort((a, b) => b.root.length - a.root.length);
    const changed = [...new Set(input.changedFiles.map((file) => owningProject(file, byDepth)).filter((p): p is string => p !== null))].sort();
    project = changed.find((p) => withDependents([p], input.projectDependencies).has(largest.project)) ?? largest.project;
  }
  return {
    wallMs: input.wallMs,
    loopBudgetMs: input.loopBudgetMs,
    overBudget: input.wallMs > input.loopBudgetMs,
    largestTask: largest ? { task: largest.id, durationMs: largest.durationMs, cache: largest.cache } : null,
    project,
    planCommand: project === null ? null : input.planCommand(project),
  };
}
