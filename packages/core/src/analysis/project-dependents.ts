import { SixtyError } from '../errors/sixty-error';
import type { ProjectDependencies } from './analysis-types';
import { appendSetBits } from './bitset';

/**
 * The project graph flattened into arrays, both directions, built once per analysis: loop
 * times walk the reverse graph (who depends on P) once per project.
 */
export interface ProjectGraphIndex extends ProjectEdges {
  /** Every project: the keys of the project dependencies, then the ones only named as deps or extras. */
  readonly names: readonly string[];
  readonly indexOf: ReadonlyMap<string, number>;
}

/** The edges of a ProjectGraphIndex, as plain arrays (what walks and a helper thread need). */
export interface ProjectEdges {
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

/** Bitsets of all projects' dependents take at most this much memory; past it, walks find them. */
const DEPENDENT_SETS_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Walks over a ProjectGraphIndex that reuse one visited array (no clearing per walk). Loop
 * times ask for every project's dependents, so on an acyclic graph that fits in
 * DEPENDENT_SETS_MAX_BYTES they are computed once for all projects, as bitsets (a project's
 * set: itself and the sets of its direct dependents), and read off instead of walked.
 */
export class ProjectWalker {
  private readonly visitedAt: Int32Array;
  private walk = 0;
  /** Words per project's set, and the sets (project p's at p * words), or null to walk. */
  private readonly words: number;
  private readonly dependentSets: Int32Array | null;

  constructor(
    private readonly index: ProjectEdges,
    maxSetBytes: number = DEPENDENT_SETS_MAX_BYTES,
  ) {
    const size = index.dependencyStart.length - 1;
    this.visitedAt = new Int32Array(size);
    this.words = Math.ceil(size / 32);
    this.dependentSets = size * this.words * 4 <= maxSetBytes ? buildDependentSets(index, this.words) : null;
  }

  /**
   * Writes `start` and every project reachable from it along `direction` (the projects that
   * depend on it, or that it depends on, transitively) into `out`; returns how many. The order
   * is a walk's or, from the bitsets, ascending index.
   */
  collect(start: number, direction: 'dependents' | 'dependencies', out: Int32Array): number {
    const sets = this.dependentSets;
    if (direction === 'dependents' && sets !== null) {
      const first = start * this.words;
      return appendSetBits(sets, first, first + this.words, first, out, 0, false);
    }
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

/**
 * Every project's dependents, itself included, as bitsets of `words` words each, built from
 * the projects no one depends on down (each set: the project and its direct dependents'
 * sets). Null when the graph has a cycle (Nx allows circular project dependencies): walk then.
 */
function buildDependentSets(index: ProjectEdges, words: number): Int32Array | null {
  const size = index.dependencyStart.length - 1;
  const { dependencyStart, dependencies, dependentStart, dependents } = index;
  const sets = new Int32Array(size * words);
  const dependentsLeft = new Int32Array(size);
  const ready: number[] = [];
  for (let project = 0; project < size; project++) {
    dependentsLeft[project] = dependentStart[project + 1]! - dependentStart[project]!;
    if (dependentsLeft[project] === 0) ready.push(project);
  }
  let done = 0;
  while (ready.length > 0) {
    const project = ready.pop()!;
    done++;
    const own = project * words;
    sets[own + (project >> 5)]! |= 1 << (project & 31);
    for (let e = dependentStart[project]!; e < dependentStart[project + 1]!; e++) {
      const theirs = dependents[e]! * words;
      for (let word = 0; word < words; word++) sets[own + word]! |= sets[theirs + word]!;
    }
    for (let e = dependencyStart[project]!; e < dependencyStart[project + 1]!; e++) {
      const dependency = dependencies[e]!;
      if (--dependentsLeft[dependency]! === 0) ready.push(dependency);
    }
  }
  return done === size ? sets : null;
}
