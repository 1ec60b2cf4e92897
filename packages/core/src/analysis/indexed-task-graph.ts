import { SixtyError } from '../errors/sixty-error';
import type { WeightedTask } from './analysis-types';
import { listNames } from '../text/name-list';
import { cycleError, findCycle } from './task-cycle';
import type { WeightedTaskGraph } from './weighted-task-graph';

/**
 * The weighted task graph flattened into arrays, once per analysis: task i is the i-th node in
 * graph order, edges are stored both ways in compressed rows. The scheduler and the longest
 * path walk these instead of the graphology graph because they run thousands of times per
 * report (once per project for loop times).
 */
export interface IndexedTaskGraph extends TaskArrays {
  readonly tasks: readonly WeightedTask[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** All tasks, every dependency before its dependents. */
  readonly topologicalOrder: Int32Array;
}

/** What the scheduler needs of the graph: plain arrays, which a helper thread can receive as they are. */
export interface TaskArrays {
  readonly size: number;
  readonly durationMs: Float64Array;
  /** 1 when the duration is unknown to Nx's own ordering: an estimate or 0 ms. */
  readonly unknownDuration: Uint8Array;
  /** Dependencies of task i: dependencies[dependencyStart[i] .. dependencyStart[i + 1]). */
  readonly dependencyStart: Int32Array;
  readonly dependencies: Int32Array;
  /** Direct dependents of task i, stored the same way, each row in ascending index order (the scheduler's tie-break relies on it). */
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
}

/** Flattens a weighted task graph; throws a SixtyError naming a cycle or a task with a bad weight. */
export function indexTaskGraph(graph: WeightedTaskGraph): IndexedTaskGraph {
  if (graph.type !== 'directed') {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `The task graph must be a directed graphology graph, got a ${graph.type} one.`,
      'Build it with buildWeightedTaskGraph.',
    );
  }
  const tasks: WeightedTask[] = [];
  const indexOf = new Map<string, number>();
  graph.forEachNode((id, attributes) => {
    indexOf.set(id, tasks.length);
    tasks.push(attributes);
  });
  const sources: number[] = [];
  const targets: number[] = [];
  graph.forEachEdge((_edge, _attributes, source, target) => {
    sources.push(indexOf.get(source)!);
    targets.push(indexOf.get(target)!);
  });
  return indexTasks(tasks, sources, targets, () => findCycle(graph));
}

/**
 * Builds the arrays from tasks in order and edges (dependency index -> dependent index).
 * `describeCycle` is only called when the edges have a cycle, to name it in the error.
 */
export function indexTasks(
  tasks: readonly WeightedTask[],
  edgeSources: readonly number[],
  edgeTargets: readonly number[],
  describeCycle: () => string[] | null,
): IndexedTaskGraph {
  const size = tasks.length;
  const indexOf = new Map<string, number>();
  const durationMs = new Float64Array(size);
  const unknownDuration = new Uint8Array(size);
  const badWeights: string[] = [];
  for (let i = 0; i < size; i++) {
    const task = tasks[i]!;
    indexOf.set(task.id, i);
    const duration = task.durationMs;
    if (!(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) badWeights.push(task.id);
    durationMs[i] = duration;
    // Nx sorts tasks without a recorded timing (none, or 0) before timed ones.
    unknownDuration[i] = task.estimated || duration === 0 ? 1 : 0;
  }
  if (badWeights.length > 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `Tasks have no valid durationMs (a finite number >= 0): ${listNames(badWeights)}.`,
      'Give every node of the task graph a WeightedTask with durationMs in milliseconds; buildWeightedTaskGraph does.',
    );
  }

  const edgeCount = edgeSources.length;
  const dependencyStart = new Int32Array(size + 1);
  const dependentStart = new Int32Array(size + 1);
  for (let e = 0; e < edgeCount; e++) {
    dependentStart[edgeSources[e]! + 1]!++;
    dependencyStart[edgeTargets[e]! + 1]!++;
  }
  for (let i = 0; i < size; i++) {
    dependentStart[i + 1]! += dependentStart[i]!;
    dependencyStart[i + 1]! += dependencyStart[i]!;
  }
  const dependencies = new Int32Array(edgeCount);
  const dependents = new Int32Array(edgeCount);
  const dependencyFill = dependencyStart.slice(0, size);
  const dependentFill = dependentStart.slice(0, size);
  for (let e = 0; e < edgeCount; e++) dependencies[dependencyFill[edgeTargets[e]!]!++] = edgeSources[e]!;
  // Filled dependent by dependent, so each row of dependents is in ascending index order.
  for (let target = 0; target < size; target++) {
    for (let k = dependencyStart[target]!; k < dependencyStart[target + 1]!; k++) {
      dependents[dependentFill[dependencies[k]!]!++] = target;
    }
  }

  // Kahn's algorithm; what is left unvisited sits on or behind a cycle.
  const waitingFor = new Int32Array(size);
  const topologicalOrder = new Int32Array(size);
  let tail = 0;
  for (let i = 0; i < size; i++) {
    waitingFor[i] = dependencyStart[i + 1]! - dependencyStart[i]!;
    if (waitingFor[i] === 0) topologicalOrder[tail++] = i;
  }
  for (let head = 0; head < tail; head++) {
    const task = topologicalOrder[head]!;
    for (let k = dependentStart[task]!; k < dependentStart[task + 1]!; k++) {
      const dependent = dependents[k]!;
      if (--waitingFor[dependent]! === 0) topologicalOrder[tail++] = dependent;
    }
  }
  if (tail < size) {
    const cycle = describeCycle();
    if (cycle) throw cycleError(cycle);
    throw cycleError(tasks.filter((_task, i) => waitingFor[i]! > 0).map((task) => task.id));
  }

  return {
    size,
    tasks,
    indexOf,
    durationMs,
    unknownDuration,
    dependencyStart,
    dependencies,
    dependentStart,
    dependents,
    topologicalOrder,
  };
}

/** The index of a task id, or a SixtyError naming the id. */
export function requireTaskIndex(graph: IndexedTaskGraph, taskId: string, argumentName: string): number {
  const index = graph.indexOf.get(taskId);
  if (index !== undefined) return index;
  throw unknownTaskError(taskId, graph.tasks.map((task) => task.id), argumentName);
}

/** "x is not a task of the task graph", with an existing id as an example of the form. */
export function unknownTaskError(taskId: string, knownIds: readonly string[], argumentName: string): SixtyError {
  const target = taskId.split(':')[1];
  const example = knownIds.find((id) => target !== undefined && id.split(':')[1] === target) ?? knownIds[0];
  return new SixtyError(
    'INVALID_ARGUMENT',
    `${argumentName} "${taskId}" is not a task of the task graph.`,
    example
      ? `Use the id of a task the analysis includes, of the form project:target (e.g. "${example}"); --targets chooses the targets.`
      : 'The task graph is empty: choose targets that exist with --targets.',
  );
}
