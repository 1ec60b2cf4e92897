import { DirectedGraph } from 'graphology';
import { SixtyError } from '../errors/sixty-error';
import type { ProjectDependencies, WeightedTask, WhatIf } from './analysis-types';
import { criticalPathOfIndexed } from './critical-path';
import { indexTaskGraph, requireTaskIndex, unknownTaskError } from './indexed-task-graph';
import { buildLoopTimeModel, type LoopTimeModel } from './loop-times';
import { requireParallel } from './simulate-schedule';
import type { WeightedTaskGraph } from './weighted-task-graph';

export interface WhatIfOptions {
  /** Workers, as `nx --parallel N`: an integer >= 1. */
  parallel: number;
}

/** The id of part `part` (1-based) of a task split in `parts`: `lib-a:test#2of4`. */
export function splitPartId(taskId: string, part: number, parts: number): string {
  return `${taskId}#${part}of${parts}`;
}

/**
 * A copy of the graph with one task replaced by `parts` tasks (`<id>#1of<parts>` ...), each
 * taking ceil(duration / parts), each with the task's dependencies and dependents, in the
 * task's place in graph order. parts = 1 returns an unchanged copy.
 */
export function splitTaskInGraph(graph: WeightedTaskGraph, taskId: string, parts: number): WeightedTaskGraph {
  requireParts(parts);
  if (!graph.hasNode(taskId)) throw unknownTaskError(taskId, graph.nodes(), 'what-if task');
  if (parts === 1) return graph.copy();
  const split: WeightedTaskGraph = new DirectedGraph<WeightedTask>();
  const partIds: string[] = [];
  graph.forEachNode((id, task) => {
    if (id !== taskId) {
      split.addNode(id, { ...task });
      return;
    }
    for (const part of splitTask(task, parts)) {
      split.addNode(part.id, part);
      partIds.push(part.id);
    }
  });
  graph.forEachEdge((_edge, _attributes, source, target) => {
    for (const from of source === taskId ? partIds : [source]) {
      for (const to of target === taskId ? partIds : [target]) split.mergeEdge(from, to);
    }
  });
  return split;
}

/**
 * Predicts the effect of splitting one task in `parts` equal parts before anyone splits it:
 * loop times of the projects whose loop changes (largest gain first), critical path and
 * predicted wall time of the whole graph, before and after.
 */
export function whatIf(
  graph: WeightedTaskGraph,
  projectDependencies: ProjectDependencies,
  taskId: string,
  parts: number,
  options: WhatIfOptions,
): WhatIf {
  const parallel = requireParallel(options.parallel);
  requireParts(parts);
  const indexed = indexTaskGraph(graph);
  const task = requireTaskIndex(indexed, taskId, 'what-if task');
  return whatIfOnModel(buildLoopTimeModel(indexed, projectDependencies, parallel), task, parts);
}

/** Whole-graph figures and loop times before a change, computed once and shared by many what-ifs. */
export interface WhatIfBaseline {
  criticalPathMs: number;
  predictedWallMs: number;
  /** Loop time per project index, or null to compute the ones needed. */
  loopMsByProject: Float64Array | null;
}

export function whatIfOnModel(
  model: LoopTimeModel,
  task: number,
  parts: number,
  baseline: WhatIfBaseline = baselineOf(model),
): WhatIf {
  const split = { task, parts };
  const loopTimes: WhatIf['loopTimes'] = [];
  for (const project of model.projectsRunning(task)) {
    const beforeMs = baseline.loopMsByProject ? baseline.loopMsByProject[project]! : model.loopOf(project).ms;
    const afterMs = model.loopOf(project, undefined, split).ms;
    if (afterMs !== beforeMs) loopTimes.push({ project: model.projects.names[project]!, beforeMs, afterMs });
  }
  loopTimes.sort(
    (a, b) =>
      b.beforeMs - b.afterMs - (a.beforeMs - a.afterMs) ||
      (a.project < b.project ? -1 : a.project > b.project ? 1 : 0),
  );
  return {
    task: model.graph.tasks[task]!.id,
    parts,
    loopTimes,
    criticalPathBeforeMs: baseline.criticalPathMs,
    criticalPathAfterMs: criticalPathOfIndexed(model.graph, split).durationMs,
    predictedWallBeforeMs: baseline.predictedWallMs,
    predictedWallAfterMs: model.wholeGraphMs(split),
  };
}

/** Critical path and predicted wall time of a model's whole graph. */
export function baselineOf(model: LoopTimeModel): WhatIfBaseline {
  return {
    criticalPathMs: criticalPathOfIndexed(model.graph).durationMs,
    predictedWallMs: model.wholeGraphMs(),
    loopMsByProject: null,
  };
}

function splitTask(task: WeightedTask, parts: number): WeightedTask[] {
  const durationMs = Math.ceil(task.durationMs / parts);
  return Array.from({ length: parts }, (_unused, k) => ({ ...task, id: splitPartId(task.id, k + 1, parts), durationMs }));
}

export function requireParts(parts: number): number {
  if (Number.isInteger(parts) && parts >= 1) return parts;
  throw new SixtyError(
    'INVALID_ARGUMENT',
    `parts must be a whole number >= 1, got ${String(parts)}.`,
    'Write the what-if as project:target=N, e.g. --what-if lib-a:test=4.',
  );
}
