import { isExecuted, taskKey, type RunRecord } from '../history/run-record';
import { isOverBudget } from '../config/budget-rule';
import { budgetMsFor, type SixtyOptions } from '../config/sixty-options';
import { formatDuration } from '../text/format-duration';

/** One executed task of a run that took longer than its budget. */
export interface BudgetBreak {
  /** project:target[:configuration] */
  task: string;
  /** Whether the task has a configuration: `sixty plan` takes project:target only. */
  configured: boolean;
  measuredMs: number;
  budgetMs: number;
  /** The task's executed runs in the history (this run included), or null when not known. */
  history: TaskHistory | null;
}

/** What the history says of a task: its p90 and over how many executed runs. */
export interface TaskHistory {
  p90Ms: number;
  runs: number;
}

/** The executed tasks of a run over their budgets, slowest overrun first. Cache hits and skipped tasks never count. */
export function budgetBreaksOf(run: RunRecord, options: SixtyOptions, historyOf: (task: string) => TaskHistory | null = () => null): BudgetBreak[] {
  const breaks: BudgetBreak[] = [];
  for (const task of run.tasks) {
    if (!isExecuted(task)) continue;
    const budgetMs = budgetMsFor(options, task);
    if (task.durationMs <= budgetMs) continue;
    const key = taskKey(task.project, task.target, task.configuration);
    breaks.push({ task: key, configured: task.configuration !== undefined, measuredMs: task.durationMs, budgetMs, history: historyOf(key) });
  }
  return breaks.sort((a, b) => b.measuredMs - b.budgetMs - (a.measuredMs - a.budgetMs) || a.task.localeCompare(b.task));
}

const SHOWN = 3;

/** Whether the p90 is over too; a single recorded run has no p90 worth the name, so it says so instead. */
function historyNote(item: BudgetBreak): string {
  if (item.history === null) return '';
  if (item.history.runs < 2) return ', its first recorded run';
  const verdict = isOverBudget({ p90Ms: item.history.p90Ms, executions: item.history.runs }, item.budgetMs) ? 'over too' : 'within';
  return `, p90 of ${item.history.runs} runs ${formatDuration(item.history.p90Ms)} ${verdict}`;
}

function describeBreak(item: BudgetBreak): string {
  return `${item.task} took ${formatDuration(item.measuredMs)} against its ${formatDuration(item.budgetMs)} budget${historyNote(item)}`;
}

/**
 * At most two lines for the end of an nx run that broke the budget: what broke it, and the
 * command that plans the fix for the worst one that `sixty plan` takes. Empty when nothing did.
 */
export function budgetAnnouncement(breaks: readonly BudgetBreak[]): string[] {
  if (breaks.length === 0) return [];
  const shown = breaks.slice(0, SHOWN).map(describeBreak).join('; ');
  const more = breaks.length > SHOWN ? ` (+${breaks.length - SHOWN} more)` : '';
  const head = breaks.length === 1 ? 'over budget' : `${breaks.length} tasks over budget`;
  // the printed command must work as printed: sixty plan reads project:target, never a configuration
  const plannable = breaks.find((item) => !item.configured);
  const next = plannable ? `plan the fix: sixty plan ${plannable.task}` : 'sixty report lists it; sixty plan takes a target without a configuration';
  return [`[sixty] ${head}: ${shown}${more}`, `[sixty] ${next}`];
}
