import type { CheckResult } from '../check/check-result';
import type { ReportTarget } from '../report/report-model';
import { formatDuration } from '../text/format-duration';
import type { DispatchOutcome, DispatchPart } from './dispatch-record';
import { isOverBudget } from '../config/budget-rule';

/** What a dispatch reads of a report row: the "before" of a target (executions 0: p90Ms says nothing). */
export type BudgetedTarget = Pick<ReportTarget, 'task' | 'p90Ms' | 'budgetMs' | 'executions'>;

export interface TaskTiming {
  ms: number;
  budgetMs: number;
  /** `check`: measured by the dispatch's check; `history`: the p90 from before (the task did not run). */
  source: 'check' | 'history';
}

export interface TimingsAfterInput {
  before: readonly BudgetedTarget[];
  check: CheckResult | null;
  /** Task ids in the worktree's task graph, when known: targets the agent removed are dropped. */
  tasksAfter?: ReadonlySet<string>;
  /**
   * Times the dispatch measured besides the check: a task the check restored from cache (the
   * run that produced the result, or a run without the cache), the parts of a sharded task, and
   * the sharded task itself (its slowest part). They override everything else.
   */
  measured?: ReadonlyMap<string, { ms: number; budgetMs: number }>;
}

/**
 * The time of every known target after a dispatch: what the check measured for the tasks it
 * executed, the recorded p90 for the rest (they did not change, or came from cache).
 */
export function timingsAfter({ before, check, tasksAfter, measured }: TimingsAfterInput): Map<string, TaskTiming> {
  const timings = new Map<string, TaskTiming>();
  for (const target of before) {
    if (target.executions > 0) timings.set(target.task, { ms: target.p90Ms, budgetMs: target.budgetMs, source: 'history' });
  }
  for (const task of check?.tasks ?? []) {
    const executed = task.cache === 'none' && (task.status === 'success' || task.status === 'failure');
    if (executed) timings.set(task.task, { ms: task.durationMs, budgetMs: task.budgetMs, source: 'check' });
  }
  for (const [task, timing] of measured ?? []) timings.set(task, { ...timing, source: 'check' });
  if (tasksAfter) {
    for (const task of [...timings.keys()]) if (!tasksAfter.has(task)) timings.delete(task);
  }
  return timings;
}

/** Targets whose recorded p90 is over their budget, sorted. */
export function overBudgetBefore(before: readonly BudgetedTarget[]): string[] {
  return before.filter((t) => isOverBudget(t, t.budgetMs)).map((t) => t.task).sort();
}

export function overBudgetOf(timings: ReadonlyMap<string, TaskTiming>): string[] {
  return [...timings].filter(([, t]) => t.ms > t.budgetMs).map(([task]) => task).sort();
}

export interface OutcomeInput {
  task: string;
  agent: { exitCode: number | null; timedOut: boolean; stalled: boolean };
  limits: { timeoutMs: number; stallMs: number };
  check: CheckResult | null;
  /** Why the check could not run (it exited 2), when it could not. */
  checkError: string | null;
  /** The task after: null when it is gone from the graph (replaced by its parts). */
  taskAfter: TaskTiming | null;
  overBudgetBefore: readonly string[];
  overBudgetAfter: readonly string[];
  /** The task's shards, when the agent sharded it (`sixty apply`): each must pass and fit. */
  parts?: ReadonlyArray<DispatchPart>;
  /** What changed in the user's checkout while the agent ran: any change fails the dispatch. */
  checkoutChanges?: readonly string[];
}

/** `test--shard-1-of-3`, ... of `test` among a project's target names, in shard order. */
export function shardTargetsOf(targetNames: readonly string[], target: string): string[] {
  const pattern = /^(.+)--shard-(\d+)-of-(\d+)$/;
  return targetNames
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter((entry) => entry.match !== null && entry.match[1] === target)
    .sort((a, b) => Number(a.match![2]) - Number(b.match![2]) || a.name.localeCompare(b.name))
    .map((entry) => entry.name);
}

export interface OutcomeDecision {
  outcome: DispatchOutcome;
  reason: string;
}

const listed = (items: readonly string[]): string => (items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} (+${items.length - 3} more)`);

/**
 * Accepts the agent's work only when the agent finished, the affected tasks pass, the task fits
 * its budget and no target went over budget. Targets that were over budget before and are not
 * the dispatched one are reported, not held against this dispatch (each has its own ticket).
 */
export function decideOutcome(input: OutcomeInput): OutcomeDecision {
  const { agent, task } = input;
  const touched = input.checkoutChanges ?? [];
  if (touched.length > 0) return { outcome: 'failed', reason: `your checkout changed while the agent ran (outside its worktree): ${listed(touched)}` };
  if (agent.stalled) return { outcome: 'stalled', reason: `the agent wrote nothing for ${formatDuration(input.limits.stallMs)} and was stopped` };
  if (agent.timedOut) return { outcome: 'timeout', reason: `the agent ran past its ${formatDuration(input.limits.timeoutMs)} limit and was stopped` };
  if (agent.exitCode === 127) return { outcome: 'error', reason: 'the agent command was not found (the shell exited 127)' };
  if (agent.exitCode === 126) return { outcome: 'error', reason: 'the agent command could not be executed (the shell exited 126: not executable?)' };
  if (agent.exitCode !== 0) return { outcome: 'failed', reason: `the agent exited ${agent.exitCode ?? 'on a signal'}` };
  if (input.checkError !== null || input.check === null) {
    return { outcome: 'failed', reason: `sixty check could not run in the worktree: ${input.checkError ?? 'no result'}` };
  }
  const failed = [...input.check.failures.map((f) => f.task), ...(input.parts ?? []).filter((p) => !p.ok).map((p) => p.task)];
  if (failed.length > 0) return { outcome: 'failed', reason: `${listed(failed)} failed` };
  const parts = input.parts ?? [];
  const slowParts = parts.filter((p) => p.ms > p.budgetMs);
  if (slowParts.length > 0) {
    const slowest = slowParts.reduce((a, b) => (b.ms - b.budgetMs > a.ms - a.budgetMs ? b : a));
    return { outcome: 'failed', reason: `${listed(slowParts.map((p) => p.task))} over budget (${formatDuration(slowest.ms)} > ${formatDuration(slowest.budgetMs)})` };
  }
  const after = input.taskAfter;
  if (after && after.ms > after.budgetMs) {
    const how = after.source === 'check' ? `took ${formatDuration(after.ms)}` : `p90 ${formatDuration(after.ms)}, it did not run again`;
    return { outcome: 'failed', reason: `${task} is still over budget (${how} > ${formatDuration(after.budgetMs)})` };
  }
  const before = new Set(input.overBudgetBefore);
  const newlyOver = input.overBudgetAfter.filter((t) => t !== task && !before.has(t));
  if (newlyOver.length > 0) return { outcome: 'failed', reason: `now over budget: ${listed(newlyOver)}` };
  const slowest = parts.length > 0 ? parts.reduce((a, b) => (b.ms > a.ms ? b : a)) : undefined;
  const fits = slowest
    ? `${task} runs as ${parts.length} shards, the slowest ${formatDuration(slowest.ms)} <= ${formatDuration(slowest.budgetMs)}`
    : after
      ? `${task} fits its budget (${formatDuration(after.ms)} <= ${formatDuration(after.budgetMs)})`
      : `${task} was replaced by parts that fit their budgets`;
  return { outcome: 'passed', reason: `${fits}; the affected tasks pass` };
}
