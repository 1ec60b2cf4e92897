/** What the budget rule reads of a target's history: the p90 of its executed runs and how many there were. */
export interface RecordedTime {
  p90Ms: number;
  /** Executed (not restored, not skipped) runs; 0 means p90Ms says nothing. */
  executions: number;
}

/**
 * The budget rule, in one place: a target is over budget when it has executed runs and their
 * p90 is over its budget. A target that never executed has no time to judge, so it is never over.
 */
export function isOverBudget(recorded: RecordedTime, budgetMs: number): boolean {
  return recorded.executions > 0 && recorded.p90Ms > budgetMs;
}
