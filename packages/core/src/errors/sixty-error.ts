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
  | 'SANDBOX_UNAVAILABLE';

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
