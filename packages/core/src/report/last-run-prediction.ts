import type { ProjectDependencies, TaskGraphInput } from '../analysis/analysis-types';
import { narrowTaskGraph } from '../analysis/narrow-task-graph';
import { countProjectDependents } from '../analysis/project-dependents';
import { simulateSchedule } from '../analysis/simulate-schedule';
import { buildWeightedTaskGraph } from '../analysis/weighted-task-graph';
import { isExecuted, type RunRecord } from '../history/run-record';

/**
 * The prediction set beside the last run on that run's own graph: its tasks and their
 * dependencies, each executed task at its p90, each cache hit or skipped task at what it took
 * in that run. A prediction of the whole workspace beside one run's measure compares two graphs.
 */
export interface LastRunPrediction {
  runId: string;
  command: string;
  /** Tasks of the last run (all of them are in the prediction, or `note` says why there is none). */
  taskCount: number;
  /** From the first task's start to the last task's end, as recorded. */
  measuredWallMs: number;
  /** Null when the run's graph could not be predicted (see note). */
  predictedWallMs: number | null;
  /** The workers of the prediction: the run's own --parallel, else the report's. */
  parallel: number;
  /** Why there is no prediction, when there is none. */
  note: string | null;
}

export interface LastRunPredictionInput {
  run: RunRecord;
  /** The analysed task graph, whole (not narrowed to measured tasks). */
  taskGraph: TaskGraphInput;
  projectDependencies: ProjectDependencies;
  p90ByTask: ReadonlyMap<string, number>;
  /** Workers when the run's command line names none. */
  parallel: number;
}

/** `--parallel=4`, `--parallel 4` or `--parallel=false` (1) in the run's command line. */
export function parallelOfCommand(command: string): number | undefined {
  const match = /--parallel(?:=|\s+)(\d+|false|true)\b/.exec(command);
  if (!match) return undefined;
  if (match[1] === 'false') return 1;
  if (match[1] === 'true') return undefined;
  const value = Number(match[1]);
  return value >= 1 ? value : undefined;
}

export function predictLastRun(input: LastRunPredictionInput): LastRunPrediction {
  const { run } = input;
  const parallel = parallelOfCommand(run.command) ?? input.parallel;
  const measuredWallMs =
    run.tasks.length === 0 ? 0 : Math.max(...run.tasks.map((task) => task.endMs)) - Math.min(...run.tasks.map((task) => task.startMs));
  const base = { runId: run.id, command: run.command, taskCount: run.tasks.length, measuredWallMs, parallel };
  const inGraph = new Set(input.taskGraph.tasks.map((task) => task.id));
  const outside = run.tasks.filter((task) => !inGraph.has(task.id)).map((task) => task.id);
  if (run.tasks.length === 0) return { ...base, predictedWallMs: null, note: 'the last run ran no task' };
  if (outside.length > 0) {
    const named = outside.slice(0, 3).join(', ') + (outside.length > 3 ? ` (+${outside.length - 3} more)` : '');
    return { ...base, predictedWallMs: null, note: `the last run ran tasks outside the analysed targets (${named}): no prediction of the same graph` };
  }
  const ran = new Map(run.tasks.map((task) => [task.id, task]));
  const narrowed = narrowTaskGraph(input.taskGraph, (id) => ran.has(id)).taskGraph;
  const weights = new Map<string, number>();
  for (const task of run.tasks) {
    const p90 = isExecuted(task) ? input.p90ByTask.get(task.id) : undefined;
    weights.set(task.id, p90 ?? Math.max(0, task.durationMs));
  }
  const simulation = simulateSchedule(buildWeightedTaskGraph(narrowed, weights), {
    parallel,
    projectDependents: countProjectDependents(input.projectDependencies),
  });
  return { ...base, predictedWallMs: simulation.predictedWallMs, note: null };
}
