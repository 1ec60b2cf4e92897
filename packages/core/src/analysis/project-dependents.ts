import { SixtyError } from '../errors/sixty-error';
import type { ProjectDependencies } from './analysis-types';

/**
 * The project graph flattened into arrays, both directions, built once per analysis: loop
 * times walk the reverse graph (who depends on P) once per project.
 */
export interface ProjectGraphIndex {
  /** Every project: the keys of the project dependencies, then the ones only named as deps or extras. */
  readonly names: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** Projects project i depends on: dependencies[dependencyStart[i] .. dependencyStart[i + 1]). */
  readonly dependencyStart: Int32Array;
  readonly dependencies: Int32Array;
  /** Projects that depend directly on project i, stored the same way. */
  readonly dependentStart: Int32Array;
  readonly dependents: Int32Array;
}

/**
 * For each project, how many other projects depend on it, directly or transitively: Nx's
 * second key when it orders ready tasks (`findAllProjectNodeDependencies` on the reversed
 * project graph). Pass the result to simulateSchedule as `projectDependents`.
 */
export function countProjectDependents(projectDependencies: ProjectDependencies): Map<string, number> {
  const index = indexProjectGraph(projectDependencies);
  const walker = new ProjectWalker(index);
  const reached = new Int32Array(index.names.length);
  const counts = new Map<string, number>();
  for (let project = 0; project < index.names.length; project++) {
    counts.set(index.names[project]!, walker.collect(project, 'dependents', reached) - 1);
  }
  return counts;
}

/** Flattens project dependencies; `extraProjects` adds projects with no edges (e.g. ones only the task graph names). */
export function indexProjectGraph(
  projectDependencies: ProjectDependencies,
  extraProjects: Iterable<string> = [],
): ProjectGraphIndex {
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  const add = (name: string): number => {
    let index = indexOf.get(name);
    if (index === undefined) {
      index = names.length;
      indexOf.set(name, index);
      names.push(name);
    }
    return index;
  };
  const entries = Object.entries(projectDependencies);
  for (const [project, dependencies] of entries) {
    if (!Array.isArray(dependencies)) {
      throw new SixtyError(
        'INVALID_ARGUMENT',
        `projectDependencies["${project}"] must be an array of project names, got ${typeof dependencies}.`,
        'Pass the project graph as { project: [projects it depends on] }.',
      );
    }
    add(project);
  }
  const sources: number[] = [];
  const targets: number[] = [];
  for (const [project, dependencies] of entries) {
    const from = indexOf.get(project)!;
    for (const dependency of new Set(dependencies)) {
      const to = add(dependency);
      if (to === from) continue;
      sources.push(from);
      targets.push(to);
    }
  }
  for (const name of extraProjects) add(name);

  const size = names.length;
  const dependencyStart = new Int32Array(size + 1);
  const dependentStart = new Int32Array(size + 1);
  for (let e = 0; e < sources.length; e++) {
    dependencyStart[sources[e]! + 1]!++;
    dependentStart[targets[e]! + 1]!++;
  }
  for (let i = 0; i < size; i++) {
    dependencyStart[i + 1]! += dependencyStart[i]!;
    dependentStart[i + 1]! += dependentStart[i]!;
  }
  const dependencies = new Int32Array(sources.length);
  const dependents = new Int32Array(sources.length);
  const dependencyFill = dependencyStart.slice(0, size);
  const dependentFill = dependentStart.slice(0, size);
  for (let e = 0; e < sources.length; e++) {
    dependencies[dependencyFill[sources[e]!]!++] = targets[e]!;
    dependents[dependentFill[targets[e]!]!++] = sources[e]!;
  }
  return { names, indexOf, dependencyStart, dependencies, dependentStart, dependents };
}

/** Breadth-first walks over a ProjectGraphIndex that reuse one visited array (no clearing per walk). */
export class ProjectWalker {
  private readonly visitedAt: Int32Array;
  private walk = 0;

  constructor(private readonly index: ProjectGraphIndex) {
    this.visitedAt = new Int32Array(index.names.length);
  }

  /**
   * Writes `start` and every project reachable from it along `direction` (the projects that
   * depend on it, or that it depends on, transitively) into `out`; returns how many.
   */
  collect(start: number, direction: 'dependents' | 'dependencies', out: Int32Array): number {
    const [starts, edges] =
      direction === 'dependents'
        ? [this.index.dependentStart, this.index.dependents]
        : [this.index.dependencyStart, this.index.dependencies];
    const stamp = ++this.walk;
    const visitedAt = this.visitedAt;
    visitedAt[start] = stamp;
    out[0] = start;
    let tail = 1;
    for (let head = 0; head < tail; head++) {
      const project = out[head]!;
      for (let e = starts[project]!; e < starts[project + 1]!; e++) {
        const next = edges[e]!;
        if (visitedAt[next] === stamp) continue;
        visitedAt[next] = stamp;
        out[tail++] = next;
      }
    }
    return tail;
  }
}
