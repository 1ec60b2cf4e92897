import { spawnSync } from 'node:child_process';
import { SixtyError } from '@sixty/core';
import { resolveNxBin } from '../nx-graph';

/**
 * The projects nx itself counts as affected between base and head (without head: the work
 * tree, uncommitted and untracked files included), from `nx show projects --affected --json`.
 * sixty never decides this on its own: nx's ignore rules, implicit dependencies and global
 * inputs are nx's to apply.
 */
export function nxAffectedProjects(workspaceRoot: string, base: string, head: string | null, env: NodeJS.ProcessEnv = process.env): string[] {
  const args = ['show', 'projects', '--affected', `--base=${base}`, ...(head ? [`--head=${head}`] : []), '--json'];
  const result = spawnSync(process.execPath, [resolveNxBin(workspaceRoot), ...args], {
    cwd: workspaceRoot,
    env: { ...env, NX_TUI: 'false' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const reason = () => (result.stderr || result.stdout || '').trim().split('\n').filter(Boolean).slice(-3).join(' ');
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
