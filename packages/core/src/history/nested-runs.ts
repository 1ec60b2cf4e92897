import type { ParentTask, RunRecord } from './run-record';

/**
 * The task an nx run was started from, when nx ran inside a task of another nx run (a target
 * whose command runs nx again): nx gives every task process NX_TASK_TARGET_PROJECT/TARGET/
 * CONFIGURATION and NX_TASK_HASH, and the inner nx (and its plugin workers) inherit them. The
 * daemon is given none of them, so a hook that runs in the daemon sees no parent.
 */
export function parentTaskFromEnv(env: Readonly<Record<string, string | undefined>>): ParentTask | undefined {
  const project = env.NX_TASK_TARGET_PROJECT;
  const target = env.NX_TASK_TARGET_TARGET;
  if (!project || !target) return undefined;
  const configuration = env.NX_TASK_TARGET_CONFIGURATION;
  const id = configuration ? `${project}:${target}:${configuration}` : `${project}:${target}`;
  return env.NX_TASK_HASH ? { id, hash: env.NX_TASK_HASH } : { id };
}

/** How far a nested run's recorded times may stray outside its parent task's (separate clocks reads). */
const NESTING_SLACK_MS = 1000;

/**
 * Attaches each nested run to its parent run, as nx counts runs: one per command a user (or CI)
 * typed. A run with a parentTask is nested in the run holding that task (same id, same hash when
 * both have one) whose time span contains it; it gets `parentRunId` and stops counting as a run
 * of its own (its tasks still count: they executed). A nested run whose parent was not recorded
 * stays a run of its own. Runs are in start order; returns how many were attached.
 */
export function attachNestedRuns(runs: RunRecord[]): number {
  const candidates = new Map<string, Array<{ run: RunRecord; startMs: number; endMs: number; hash?: string }>>();
  for (const run of runs) {
    for (const task of run.tasks) {
      const list = candidates.get(task.id) ?? [];
      list.push({ run, startMs: task.startMs, endMs: task.endMs, ...(task.hash ? { hash: task.hash } : {}) });
      candidates.set(task.id, list);
    }
  }
  let attached = 0;
  for (const run of runs) delete run.parentRunId; // a read-time field: whatever a file said is not trusted
  for (const run of runs) {
    const parent = run.parentTask;
    if (!parent) continue;
    const holder = (candidates.get(parent.id) ?? []).find(
      (task) =>
        task.run !== run &&
        (parent.hash === undefined || task.hash === undefined || task.hash === parent.hash) &&
        task.startMs - NESTING_SLACK_MS <= run.startMs &&
        run.endMs <= task.endMs + NESTING_SLACK_MS,
    );
    if (!holder) continue;
    // a run nested in a nested run belongs to the outermost one; that one started first, so it is known
    run.parentRunId = holder.run.parentRunId ?? holder.run.id;
    attached++;
  }
  return attached;
}

/** The runs nx counts: those not started from inside another recorded run's task. */
export function topLevelRuns(runs: readonly RunRecord[]): RunRecord[] {
  return runs.filter((run) => run.parentRunId === undefined);
}
