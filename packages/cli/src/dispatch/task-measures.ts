import { randomUUID } from 'node:crypto';
import { cachedTaskTime, isExecuted, readHistory, splitBaselineKey } from '@sixty/core';
import { runNx } from '../nx/nx-process';

/**
 * Times the check alone cannot give: tasks run once more in the worktree, without the cache,
 * recorded by the plugin in the dispatch's own history and found there by request id.
 */

export interface MeasuredTask {
  ms: number;
  ok: boolean;
}

/** Runs the project's targets without the cache (their dependencies are already built by the check). */
export async function measureTasks(project: string, targets: string[], worktreeWorkspace: string, historyDir: string, env: NodeJS.ProcessEnv): Promise<Map<string, MeasuredTask>> {
  const requestId = randomUUID();
  await runNx(worktreeWorkspace, ['run-many', '-p', project, '-t', targets.join(','), '--skip-nx-cache', '--excludeTaskDependencies', '--outputStyle=static'], { ...env, SIXTY_REQUEST_ID: requestId });
  const run = readHistory(historyDir).runs.find((r) => r.requestId === requestId);
  const measured = new Map<string, MeasuredTask>();
  for (const target of targets) {
    const record = run?.tasks.find((t) => t.project === project && t.target === target && isExecuted(t));
    measured.set(`${project}:${target}`, record ? { ms: record.durationMs, ok: record.status === 'success' } : { ms: 0, ok: false });
  }
  return measured;
}

export interface RestoredTaskTime {
  ms: number;
  /** `recorded`: the run that cached the result is in history; `measured`: run again without the cache. */
  how: 'recorded' | 'measured';
}

/**
 * The time of a task the check restored from the Nx cache. A cached result of the agent's
 * change says nothing about the task's recorded p90 (other inputs), so its time is the time of
 * the run that produced it when history has it, else the task is run once more without the
 * cache. null when neither works.
 */
export async function restoredTaskTime(task: string, worktreeWorkspace: string, historyDir: string, env: NodeJS.ProcessEnv): Promise<RestoredTaskTime | null> {
  const known = cachedTaskTime(readHistory(historyDir).runs, task);
  if (known?.ms != null) return { ms: known.ms, how: 'recorded' };
  const { project, target } = splitBaselineKey(task) ?? { project: task, target: '' };
  const measured = (await measureTasks(project, [target], worktreeWorkspace, historyDir, env)).get(task);
  return measured?.ok ? { ms: measured.ms, how: 'measured' } : null;
}

/** The target names of a project in the worktree (`nx show project <p> --json`); [] when nx cannot say. */
export async function projectTargetNames(project: string, worktreeWorkspace: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const result = await runNx(worktreeWorkspace, ['show', 'project', project, '--json'], env);
  if (result.code !== 0) return [];
  try {
    return Object.keys((JSON.parse(result.stdout) as { targets?: Record<string, unknown> }).targets ?? {});
  } catch {
    return [];
  }
}
