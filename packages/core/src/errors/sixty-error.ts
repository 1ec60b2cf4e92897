/** Why a command could not do its job: what went wrong and what to do about it. */
export type SixtyErrorCode =
  | 'NOT_A_WORKSPACE'
  | 'INVALID_ARGUMENT'
  | 'INVALID_CONFIG'
  | 'UNREADABLE_FILE'
  | 'NX_FAILED'
  | 'NOT_A_GIT_REPO'
  | 'IMPORT_GRAPH_FAILED'
  | 'INVALID_REPORT'
  | 'WORKTREE_FAILED'
  | 'AGENT_NOT_FOUND'
  | 'SANDBOX_UNAVAILABLE'
  /** The target is within its budget: there is nothing to plan. */
  | 'WITHIN_BUDGET'
  /** No plan would help: no partition gets every part under budget, or a split would not shorten any loop. */
  | 'NO_USEFUL_PLAN'
  /** sixty cannot give the target's test runner a file filter, or the runner cannot list its files. */
  | 'UNSUPPORTED_RUNNER';

/**
 * Errors are values with a code, a message naming what was wrong, and the fix.
 * The CLI maps codes to exit codes and prints message and fix on two lines.
 */
export class SixtyError extends Error {
  readonly code: SixtyErrorCode;
  readonly fix: string;

  constructor(code: SixtyErrorCode, message: string, fix: string) {
    super(message);
    this.name = 'SixtyError';
    this.code = code;
    this.fix = fix;
  }
}

export function isSixtyError(value: unknown): value is SixtyError {
  return value instanceof SixtyError;
}
