import { SixtyError } from '@sixty/core';
import { nxOutputTail, runNxSync } from './nx-process';

/**
 * The projects nx itself counts as affected between base and head (without head: the work
 * tree, uncommitted and untracked files included), from `nx show projects --affected --json`.
 * sixty never decides this on its own: nx's ignore rules, implicit dependencies and global
 * inputs are nx's to apply. With `withTarget`, only the affected projects that have that target.
 */
export function nxAffectedProjects(
  workspaceRoot: string,
  base: string,
  head: string | null,
  env: NodeJS.ProcessEnv = process.env,
  withTarget?: string,
): string[] {
  const args = ['show', 'projects', '--affected', ...(withTarget ? [`--withTarget=${withTarget}`] : []), `--base=${base}`, ...(head ? [`--head=${head}`] : []), '--json'];
  const result = runNxSync(workspaceRoot, args, env);
  const reason = () => nxOutputTail(result);
  if (result.status !== 0) {
    throw new SixtyError('NX_FAILED', `nx could not list the affected projects: ${reason()}`, `run \`nx ${args.join(' ')}\` to see why`);
  }
  // nx may print notices before the JSON: the list is the last line
  const json = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const projects = JSON.parse(json) as unknown;
    if (Array.isArray(projects) && projects.every((p) => typeof p === 'string')) return [...projects].sort();
  } catch {
    // fall through to the error below
  }
  throw new SixtyError('NX_FAILED', `nx show projects --affected printed no project list: ${reason()}`, `run \`nx ${args.join(' ')}\` to see its output`);
}
