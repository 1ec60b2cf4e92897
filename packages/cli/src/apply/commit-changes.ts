import { join } from 'node:path';
import { recoverTransaction, runTransaction, type FileChange, type RecoveryOutcome, type TransactionOutcome } from '@sixty/core';

/** Where `sixty apply` keeps its journal and staged files: `<historyDir>/apply`. */
export function applyDirectory(historyDir: string): string {
  return join(historyDir, 'apply');
}

/**
 * Test-only fault injection, read from the environment: SIXTY_APPLY_FAIL_AT=<n> fails just before
 * commit step n (the apply rolls back); SIXTY_APPLY_SIGNAL_AT=<n> sends the process SIGTERM there
 * (it stops between two steps and rolls back); SIXTY_APPLY_KILL_AT=<n> kills it with SIGKILL (the
 * journal is left for `sixty apply --recover`).
 */
function faultsFromEnvironment(env: NodeJS.ProcessEnv): ((step: number) => void) | undefined {
  const failAt = Number(env.SIXTY_APPLY_FAIL_AT);
  const signalAt = Number(env.SIXTY_APPLY_SIGNAL_AT);
  const killAt = Number(env.SIXTY_APPLY_KILL_AT);
  if (!(failAt > 0) && !(signalAt > 0) && !(killAt > 0)) return undefined;
  return (step) => {
    if (step === killAt) process.kill(process.pid, 'SIGKILL');
    if (step === signalAt) process.kill(process.pid, 'SIGTERM');
    if (step === failAt) throw new Error(`injected failure (SIXTY_APPLY_FAIL_AT=${failAt})`);
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Commits the changes in one journaled transaction. A signal during the commit stops it between
 * two steps and rolls back (the signal is remembered; the caller exits 1 having said so).
 */
export async function commitChanges(
  changes: readonly FileChange[],
  options: { historyDir: string; label: string; guard?: (path: string) => string | undefined; env?: NodeJS.ProcessEnv },
): Promise<TransactionOutcome> {
  let signal: NodeJS.Signals | undefined;
  const onSignal = (received: NodeJS.Signals): void => {
    signal ??= received;
  };
  for (const name of SIGNALS) process.on(name, onSignal);
  try {
    const beforeStep = faultsFromEnvironment(options.env ?? process.env);
    return await runTransaction(changes, {
      directory: applyDirectory(options.historyDir),
      label: options.label,
      ...(beforeStep ? { beforeStep } : {}),
      ...(options.guard ? { guard: options.guard } : {}),
      interrupted: () => (signal === undefined ? undefined : `interrupted by ${signal}`),
    });
  } catch (error) {
    // staging failed (or another apply holds the journal): the workspace was not touched
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, steps: changes.length, failedStep: 0, failedPath: '', reason, rollback: { mismatches: [], verified: 0, leftDirectories: [] } };
  } finally {
    for (const name of SIGNALS) process.off(name, onSignal);
  }
}

/** One line for a failed commit: where it failed, why, and whether the tree is as before. */
export function failedCommitText(outcome: Extract<TransactionOutcome, { ok: false }>, workspaceRoot: string): string[] {
  const shown = (path: string): string => (path.startsWith(`${workspaceRoot}/`) ? path.slice(workspaceRoot.length + 1) : path);
  if (outcome.failedStep === 0) return [`apply failed while staging its ${outcome.steps} changes: ${outcome.reason}`, 'nothing in the workspace was changed'];
  const lines = [`apply failed at step ${outcome.failedStep} of ${outcome.steps} (${shown(outcome.failedPath)}): ${outcome.reason}`];
  const { rollback } = outcome;
  if (rollback.mismatches.length === 0) {
    lines.push(`rolled back: the workspace is as it was before (${rollback.verified} paths checked by SHA-256); nothing was applied`);
    if (rollback.leftDirectories.length > 0) lines.push(`  empty folders it made and could not remove: ${rollback.leftDirectories.map(shown).join(', ')}`);
  } else {
    lines.push(
      `rollback incomplete: ${rollback.mismatches.length} path(s) are not as before: ${rollback.mismatches.slice(0, 5).map(shown).join(', ')}${rollback.mismatches.length > 5 ? ', ...' : ''}`,
      'next: sixty apply --recover undo   (the journal is kept; it tries again)',
    );
  }
  return lines;
}

/** Finishes or undoes an apply a killed process left; one line saying which, or none. */
export function recoverPendingApply(historyDir: string, mode: 'finish' | 'undo'): { outcome: RecoveryOutcome; lines: string[] } {
  const outcome = recoverTransaction(applyDirectory(historyDir), mode);
  switch (outcome.status) {
    case 'none':
      return { outcome, lines: [] };
    case 'finished':
      return { outcome, lines: [`the interrupted apply of ${outcome.label} was finished: all ${outcome.steps} changes are in place`] };
    case 'undone': {
      const { rollback } = outcome;
      return {
        outcome,
        lines:
          rollback.mismatches.length === 0
            ? [`the interrupted apply of ${outcome.label} was undone, because ${outcome.why}: the workspace is as it was before it (${rollback.verified} paths checked by SHA-256)`]
            : [
                `the interrupted apply of ${outcome.label} could not be fully undone: ${rollback.mismatches.length} path(s) are not as before: ${rollback.mismatches.slice(0, 5).join(', ')}`,
                'next: check them with git status, then sixty apply --recover undo',
              ],
      };
    }
  }
}
