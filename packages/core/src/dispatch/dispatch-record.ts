import type { CheckResult } from '../check/check-result';
import type { ReportDispatch } from '../report/report-model';

export const DISPATCH_SCHEMA_VERSION = 1;

/**
 * How a dispatch ended:
 * - passed: the agent exited 0, the check passed, the task fits its budget, nothing new is over budget
 * - failed: the agent exited non-zero, a task failed, or a target is (still or newly) over budget
 * - timeout / stalled: the agent was stopped (time limit / no output for too long)
 * - error: the dispatch could not do its job (the agent command was not found, ...)
 */
export type DispatchOutcome = 'passed' | 'failed' | 'timeout' | 'stalled' | 'error';

/** One shard of a sharded task, run by the dispatch. */
export interface DispatchPart {
  task: string;
  ms: number;
  budgetMs: number;
  ok: boolean;
}

export interface DispatchAgentRun {
  /** The command line, run through the shell in the worktree. */
  command: string;
  /** null when the agent was stopped by a signal. */
  exitCode: number | null;
  signal: string | null;
  ms: number;
  timedOut: boolean;
  stalled: boolean;
  /** The agent's stdout and stderr, interleaved (relative to the workspace root). */
  logFile: string;
  /** The last lines the agent wrote, for the summary. */
  lastOutput: string;
}

/**
 * One dispatch: the run log kept under <historyDir>/dispatch/<id>.json and the `--json` output
 * of `sixty dispatch`. Schema version 1: extend, never break.
 */
export interface DispatchRecord {
  schemaVersion: typeof DISPATCH_SCHEMA_VERSION;
  id: string;
  /** project:target the ticket is about. */
  task: string;
  /** The ticket handed to the agent (path as the agent saw it, SIXTY_TICKET). */
  ticket: string;
  /** Where the ticket came from: a file the user passed, `sixty plan --ticket`, or a minimal ticket from `sixty plan --json`. */
  ticketSource: 'file' | 'plan-ticket' | 'plan-json';
  branch: string;
  /** Absolute path of the dispatch worktree (removed unless `worktreeKept`). */
  worktree: string;
  worktreeKept: boolean;
  /** The commit the dispatch started from (the user's HEAD) and the check compared against. */
  base: string;
  /** The user's work tree had uncommitted changes, which the dispatch did not take. */
  baseDirty: boolean;
  startedAt: string;
  finishedAt: string;
  ms: number;
  budgetMs: number;
  agent: DispatchAgentRun;
  /** Paths changed on the branch against `base` (committed or not), relative to the repository. */
  filesChanged: string[];
  /** The paths of `filesChanged` the agent wrote (not sixty's own ticket and tracker row). */
  agentFilesChanged?: string[];
  /**
   * What changed in the user's checkout (HEAD, branch, index, files) while the agent ran, one
   * line each; empty when nothing did. Any change fails the dispatch; sixty restores nothing.
   */
  checkoutChanges?: string[];
  /** How the agent was isolated: `bwrap` made the user's checkout read-only to it. */
  sandbox?: 'none' | 'bwrap';
  /** The commit made on the branch (policy `commit: true` and a passing dispatch). */
  commit: string | null;
  /** The changes as a patch, relative to the workspace root, when there were any. */
  patchFile: string | null;
  /** `sixty check --strict --json` in the worktree; null when it did not run (agent stopped). */
  check: CheckResult | null;
  /** Targets over budget before (the user's history) and after (this check's times, history for the rest). */
  overBudgetBefore: string[];
  overBudgetAfter: string[];
  /** The task's time: p90 before; this check's time after (or the p90 when it did not run). null: unknown or gone. */
  taskMsBefore: number | null;
  taskMsAfter: number | null;
  /** Loop time of a change in the task's project, before and after. null: no graph analysis. */
  loopTimeBefore: number | null;
  loopTimeAfter: number | null;
  /** The task's shards when the agent sharded it (`sixty apply`), each run once without the cache. */
  parts: DispatchPart[];
  /** The ticket's row in the tech-debt tracker moved to done (on the branch). */
  trackerUpdated: boolean;
  outcome: DispatchOutcome;
  /** One line: why the outcome is what it is. */
  reason: string;
  /** Things the user should know (dispatched from HEAD with a dirty tree, minimal ticket, ...). */
  notes: string[];
}

const OUTCOMES: ReadonlySet<string> = new Set<DispatchOutcome>(['passed', 'failed', 'timeout', 'stalled', 'error']);

/** Shape check of a stored record: enough for the report to trust the fields it reads. */
export function isDispatchRecord(value: unknown): value is DispatchRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<DispatchRecord>;
  return (
    record.schemaVersion === DISPATCH_SCHEMA_VERSION &&
    typeof record.id === 'string' &&
    typeof record.task === 'string' &&
    typeof record.branch === 'string' &&
    typeof record.finishedAt === 'string' &&
    typeof record.ms === 'number' &&
    typeof record.outcome === 'string' &&
    OUTCOMES.has(record.outcome)
  );
}

/** The few fields `sixty report` shows of a dispatch. */
export function summarizeDispatch(record: DispatchRecord): ReportDispatch {
  return {
    id: record.id,
    task: record.task,
    outcome: record.outcome,
    branch: record.branch,
    finishedAt: record.finishedAt,
    ms: record.ms,
    reason: record.reason,
  };
}
