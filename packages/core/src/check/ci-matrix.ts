import { packLongestFirst } from '../sharding/longest-first';

/** One unit of CI work: a task (a shard, or a whole target) and its baseline time. */
export interface CiMatrixItem {
  task: string;
  estimatedMs: number;
}

export interface CiJob {
  /** 1-based, as a string: GitHub shows matrix values as job names. */
  job: string;
  tasks: string[];
  estimatedMs: number;
  /** The command the job runs: one `nx run-many` per target name, joined with &&. */
  command: string;
}

export interface CiMatrix {
  include: CiJob[];
}

export interface CiMatrixPlan {
  matrix: CiMatrix;
  /** Longest job's estimate: the wall time of the CI stage. */
  makespanMs: number;
  /** True when every job fits the budget. */
  withinBudget: boolean;
  /** Items that alone exceed the budget: no job count fixes them (plan a split). */
  oversized: CiMatrixItem[];
}

function lpt(items: readonly CiMatrixItem[], jobs: number): CiMatrixItem[][] {
  const sorted = [...items].sort((a, b) => b.estimatedMs - a.estimatedMs || (a.task < b.task ? -1 : 1));
  return packLongestFirst(sorted, jobs, (item) => item.estimatedMs)
    .map((job) => job.items)
    .filter((group) => group.length > 0);
}

function commandFor(tasks: readonly string[], runner: string): string {
  const projectsByTarget = new Map<string, string[]>();
  for (const task of tasks) {
    const colon = task.indexOf(':');
    const project = task.slice(0, colon);
    const target = task.slice(colon + 1);
    projectsByTarget.set(target, [...(projectsByTarget.get(target) ?? []), project]);
  }
  return [...projectsByTarget.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([target, projects]) => `${runner} run-many -t ${target} -p ${projects.sort().join(',')}`)
    .join(' && ');
}

/**
 * Spreads affected tasks over CI jobs by baseline time, longest first onto the lightest job
 * (LPT), using the fewest jobs (at most maxJobs) whose longest job fits the budget; when none
 * does, maxJobs. Deterministic for the same input.
 */
export function planCiMatrix(items: readonly CiMatrixItem[], options: { budgetMs: number; maxJobs: number; runner?: string }): CiMatrixPlan {
  const runner = options.runner ?? 'npx nx';
  const oversized = items.filter((item) => item.estimatedMs > options.budgetMs);
  let groups: CiMatrixItem[][] = [];
  for (let jobs = 1; jobs <= Math.max(1, options.maxJobs); jobs++) {
    groups = lpt(items, jobs);
    const longest = Math.max(0, ...groups.map((g) => g.reduce((sum, item) => sum + item.estimatedMs, 0)));
    if (longest <= options.budgetMs || jobs >= items.length) break;
  }
  const include = groups.map((group, index): CiJob => {
    const tasks = group.map((item) => item.task).sort();
    return {
      job: String(index + 1),
      tasks,
      estimatedMs: Math.round(group.reduce((sum, item) => sum + item.estimatedMs, 0)),
      command: commandFor(tasks, runner),
    };
  });
  const makespanMs = Math.max(0, ...include.map((job) => job.estimatedMs));
  return { matrix: { include }, makespanMs, withinBudget: makespanMs <= options.budgetMs, oversized };
}
