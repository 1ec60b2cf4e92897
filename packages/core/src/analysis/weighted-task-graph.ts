import { DirectedGraph } from 'graphology';
import { SixtyError } from '../errors/sixty-error';
import { percentileOfSorted } from '../stats/percentile';
import type { TaskGraphInput, WeightedTask } from './analysis-types';
import { listNames } from '../text/name-list';
import { assertAcyclic } from './task-cycle';

/**
 * The task graph the analysis works on: one node per task id (attributes: the weighted task),
 * one edge per dependency, from the dependency to the task that depends on it. Node order is
 * the input order of the tasks, which the scheduler uses as its last tie-break.
 */
export type WeightedTaskGraph = DirectedGraph<WeightedTask>;

export interface BuildWeightedTaskGraphOptions {
  /** Weight of a never-seen task when no task of the graph has a known p90, in ms. Default 1000. */
  defaultEstimateMs?: number;
}

const DEFAULT_ESTIMATE_MS = 1000;

/**
 * Builds the task graph weighted by each task's p90 executed duration (`p90ByTask`, keyed by
 * task id). A task with no p90 gets an estimate, marked `estimated`: the median p90 of the
 * graph's tasks with the same target name, else the median of all the graph's known tasks,
 * else `defaultEstimateMs`. Throws a SixtyError (INVALID_ARGUMENT) naming the tasks when a
 * task id repeats, a dependency names an unknown task, a p90 is not a duration, or the
 * dependencies form a cycle.
 */
export function buildWeightedTaskGraph(
  input: TaskGraphInput,
  p90ByTask: ReadonlyMap<string, number>,
  options: BuildWeightedTaskGraphOptions = {},
): WeightedTaskGraph {
  const graph = graphOfWeightedTasks(weighTasks(input, p90ByTask, options));
  assertAcyclic(graph);
  return graph;
}

/**
 * The tasks weighted as buildWeightedTaskGraph weighs them, in input order, and their
 * dependencies as index pairs (each once), with the same checks except for cycles:
 * analyzeGraph flattens this directly, as building the graphology graph would cost more
 * than the rest of the graph work.
 */
export interface WeightedTaskList {
  tasks: WeightedTask[];
  /** Edge e runs from its dependency, tasks[edgeSources[e]], to the task depending on it. */
  edgeSources: number[];
  edgeTargets: number[];
}

export function weighTasks(
  input: TaskGraphInput,
  p90ByTask: ReadonlyMap<string, number>,
  options: BuildWeightedTaskGraphOptions = {},
): WeightedTaskList {
  const defaultEstimateMs = options.defaultEstimateMs ?? DEFAULT_ESTIMATE_MS;
  if (!isDuration(defaultEstimateMs)) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `defaultEstimateMs must be a duration in ms (a finite number >= 0), got ${String(defaultEstimateMs)}.`,
      'Pass a number of milliseconds such as 1000, or leave the option out.',
    );
  }

  const tasks = input.tasks;
  const indexOf = new Map<string, number>();
  const duplicated = new Set<string>();
  const p90s: Array<number | undefined> = new Array(tasks.length);
  const badDurations: string[] = [];
  let estimatedCount = 0;
  for (let i = 0; i < tasks.length; i++) {
    const id = tasks[i]!.id;
    if (indexOf.has(id)) duplicated.add(id);
    else indexOf.set(id, i);
    const p90 = p90ByTask.get(id);
    p90s[i] = p90;
    if (p90 === undefined) estimatedCount++;
    else if (!isDuration(p90)) badDurations.push(`${id} (${String(p90)})`);
  }
  if (duplicated.size > 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `The task graph lists the same task more than once: ${listNames([...duplicated])}.`,
      'Pass each task id once in taskGraph.tasks.',
    );
  }
  if (badDurations.length > 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `p90ByTask has values that are not durations in ms: ${listNames(badDurations)}.`,
      'Pass finite numbers >= 0 (milliseconds) in p90ByTask.',
    );
  }

  // One pass: the edges (a dependency listed twice is still one edge) and any unknown ids.
  const unknown: string[] = [];
  const edgeSources: number[] = [];
  const edgeTargets: number[] = [];
  const lastTargetOf = new Int32Array(tasks.length).fill(-1);
  for (const [taskId, dependencies] of Object.entries(input.dependencies)) {
    const target = indexOf.get(taskId);
    if (target === undefined) unknown.push(`"${taskId}" (has dependencies but is not a task)`);
    for (const dependency of dependencies) {
      const source = indexOf.get(dependency);
      if (source === undefined) {
        unknown.push(`"${dependency}" (a dependency of ${taskId})`);
      } else if (target !== undefined && lastTargetOf[source] !== target) {
        lastTargetOf[source] = target;
        edgeSources.push(source);
        edgeTargets.push(target);
      }
    }
  }
  if (unknown.length > 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `The task graph's dependencies name tasks it does not contain: ${listNames(unknown)}.`,
      'Every id in taskGraph.dependencies, as key or dependency, must be the id of one of taskGraph.tasks.',
    );
  }

  const estimates = estimatedCount > 0 ? estimatesFor(tasks, p90s, defaultEstimateMs) : undefined;
  const weightedTasks: WeightedTask[] = new Array(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    const p90 = p90s[i];
    const weighted: WeightedTask = {
      id: task.id,
      project: task.project,
      target: task.target,
      durationMs: p90 ?? estimates!(task.target),
      estimated: p90 === undefined,
    };
    if (task.configuration !== undefined) weighted.configuration = task.configuration;
    weightedTasks[i] = weighted;
  }
  return { tasks: weightedTasks, edgeSources, edgeTargets };
}

/** The graphology graph of weighed tasks: nodes in task order, edges in list order. */
export function graphOfWeightedTasks({ tasks, edgeSources, edgeTargets }: WeightedTaskList): WeightedTaskGraph {
  const graph: WeightedTaskGraph = new DirectedGraph<WeightedTask>();
  for (const task of tasks) graph.addNode(task.id, task);
  // addDirectedEdge is cheaper than mergeEdge; weighTasks lists each edge once.
  for (let e = 0; e < edgeSources.length; e++) graph.addDirectedEdge(tasks[edgeSources[e]!]!.id, tasks[edgeTargets[e]!]!.id);
  return graph;
}

/**
 * The estimate of a never-seen task by target name: the median p90 of the known tasks with
 * that target, else of all known tasks, else the default. Medians are computed on first use.
 */
function estimatesFor(
  tasks: TaskGraphInput['tasks'],
  p90s: ReadonlyArray<number | undefined>,
  defaultEstimateMs: number,
): (target: string) => number {
  const knownByTarget = new Map<string, number[]>();
  const known: number[] = [];
  for (let i = 0; i < tasks.length; i++) {
    const p90 = p90s[i];
    if (p90 === undefined) continue;
    known.push(p90);
    const target = tasks[i]!.target;
    const sameTarget = knownByTarget.get(target);
    if (sameTarget) sameTarget.push(p90);
    else knownByTarget.set(target, [p90]);
  }
  const medians = new Map<string, number>();
  let overall: number | undefined;
  return (target) => {
    let estimate = medians.get(target);
    if (estimate === undefined) {
      const sameTarget = knownByTarget.get(target);
      estimate = sameTarget ? median(sameTarget) : (overall ??= known.length > 0 ? median(known) : defaultEstimateMs);
      medians.set(target, estimate);
    }
    return estimate;
  };
}

function isDuration(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** The nearest-rank median: a value that was measured, not an average of two. */
function median(values: number[]): number {
  return percentileOfSorted(Array.from(Float64Array.from(values).sort()), 50);
}
