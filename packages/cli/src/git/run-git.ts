import { spawnSync } from 'node:child_process';
import { SixtyError } from '@sixty/core';

/** What one git command said. */
export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Large enough for `git diff --binary` and `ls-files` of a big checkout. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * The one place sixty runs git: `git <args>` in `cwd`, with `input` on stdin when given. A git
 * that cannot be started is an error naming the fix; a git that fails is a result (`ok: false`)
 * for the caller to explain.
 */
export function runGit(cwd: string, args: readonly string[], input?: string): GitResult {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES, ...(input !== undefined ? { input } : {}) });
  if (result.error) {
    throw new SixtyError('NOT_A_GIT_REPO', `git could not be started (${result.error.message})`, 'install git and make sure it is on PATH');
  }
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}
