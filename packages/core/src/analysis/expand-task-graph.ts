import { SixtyError } from '../errors/sixty-error';
import type { ProjectDependencies, TaskGraphInput } from './analysis-types';

/** What expandTaskGraph needs: the project graph, as nx cached it, and the targets asked for. */
export interface ExpandTaskGraphInput {
  /** Every project of the workspace, in the project graph's order, with its resolved targets. */
  projects: ReadonlyArray<{ name: string; targets: Readonly<Record<string, ExpandTargetConfig | undefined>>; tags?: readonly string[] }>;
  /** Project -> the projects it depends on (workspace projects only; others are skipped). */
  projectDependencies: ProjectDependencies;
  /** The targets asked for (`-t build,test`). */
  targets: readonly string[];
  /**
   * Whether `projects: 'self' | 'dependencies'` is accepted (nx up to 22; nx 24 rejects it).
   * Default true.
   */
  legacyProjectStrings?: boolean;
  /**
   * nx's own `findMatchingProjects` over the workspace's projects, for `dependsOn` `projects`
   * patterns (names, globs, `tag:` globs, directories, `!` exclusions), when the caller can load
   * it. Without it, names, `'*'` and plain tags are matched here and other patterns throw.
   */
  matchProjects?: (patterns: string[]) => string[];
}

/** The part of a project graph target that shapes the task graph. */
export interface ExpandTargetConfig {
  dependsOn?: ReadonlyArray<unknown>;
  continuous?: boolean;
  defaultConfiguration?: string;
  configurations?: Readonly<Record<string, unknown>>;
}

interface Task {
  id: string;
  project: string;
  target: string;
  configuration?: string;
  continuous: boolean;
}

/** A dependsOn entry after Nx's normalization: where to look for `target`. */
type DependencyConfig =
  | { target: string; projects: readonly string[] }
  | { target: string; dependencies: true };

const DUMMY_TASK_TARGET = '__nx_dummy_task__';
const GLOB_CHARACTERS = new Set(['*', '|', '{', '}', '(', ')', '[']);
const OBJECT_KEYS = new Set(['target', 'projects', 'dependencies', 'params', 'options', 'waitFor', 'inputs']);

function unsupported(project: string, target: string, entry: unknown, why: string): SixtyError {
  return new SixtyError(
    'INVALID_CONFIG',
    `cannot compute the task graph without nx: ${project}:${target} has dependsOn ${JSON.stringify(entry)} (${why})`,
    'nothing to fix: sixty asks nx for the task graph instead',
  );
}

function createTaskId(project: string, target: string, configuration: string | undefined): string {
  return configuration ? `${project}:${target}:${configuration}` : `${project}:${target}`;
}

function isGlobPattern(pattern: string): boolean {
  for (const c of pattern) if (GLOB_CHARACTERS.has(c)) return true;
  return false;
}

/**
 * A target glob as a RegExp with minimatch's default semantics, for the simple patterns only:
 * `*` wildcards within `/`-separated segments, no leading dot matched by a segment's leading `*`.
 * Null for anything else.
 */
export function simpleTargetGlob(pattern: string): RegExp | null {
  if (/[|{}()[\]?\\!#+@]/.test(pattern)) return null;
  const segments = pattern.split('/');
  const parts: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('**')) return null;
    const body = segment
      .split('*')
      .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*');
    parts.push((segment.startsWith('*') ? '(?!\\.)' : '') + body);
  }
  return new RegExp(`^${parts.join('/')}$`);
}

/**
 * The task graph `nx run-many -t <targets>` would run, computed from the project graph alone
 * (nodes with their resolved targets, project edges): a port of Nx's own task-graph
 * construction (nx/src/tasks-runner/create-task-graph.js and utils.js, identical in what
 * decides tasks and edges from nx 22 to 24), so the CLI need not spawn nx to learn it.
 *
 * Semantics kept exactly:
 * - Initial tasks: every project that has one of `targets`, each of those targets it has.
 * - `dependsOn` strings: `'t'` (same project), `'^t'` (t in each dependency project), objects
 *   `{ target, projects?, dependencies?, params?, options? }` with `projects` a list of project
 *   names, `'*'`, `'tag:<tag>'` (a tag without glob characters), or the legacy strings `'self'` / `'dependencies'` (nx 22; later nx versions
 *   reject them, so `legacyProjectStrings: false` turns them into an error).
 * - `^t` through a dependency project lacking `t` continues into that project's own
 *   dependencies (Nx's "dummy tasks"), including Nx's handling of such paths in cycles.
 * - Target globs made of `*` only (`'build-*'`), matched as minimatch would against every
 *   target name in the workspace.
 * - Task ids `project:target`, plus `:configuration` when the target has a
 *   `defaultConfiguration` (no `--configuration` is given, so Nx uses it for every task).
 * - Edges to continuous tasks are not dependencies (Nx keeps them apart); the tasks are kept.
 *
 * - With `matchProjects` (nx's own matcher), every `projects` pattern nx documents.
 *
 * Anything else (without `matchProjects`: name or directory patterns, tag globs, exclusions; and
 * `project:target` strings that are not a plain project and target, other glob syntax, unknown
 * keys) throws a SixtyError: the caller then asks nx itself.
 */
export function expandTaskGraph(input: ExpandTaskGraphInput): TaskGraphInput {
  const legacyProjectStrings = input.legacyProjectStrings ?? true;
  const nodes = new Map<string, ExpandTaskGraphInput['projects'][number]>();
  for (const project of input.projects) nodes.set(project.name, project);

  const targetOf = (project: string, target: string): ExpandTargetConfig | undefined => {
    const targets = nodes.get(project)?.targets;
    return targets && Object.prototype.hasOwnProperty.call(targets, target) ? (targets[target] ?? undefined) : undefined;
  };
  const hasTarget = (project: string, target: string) => !!targetOf(project, target);

  let allTargetNames: string[] | undefined;
  const targetNames = (): string[] => {
    if (!allTargetNames) {
      const names = new Set<string>();
      for (const project of input.projects) for (const name of Object.keys(project.targets ?? {})) names.add(name);
      allTargetNames = [...names];
    }
    return allTargetNames;
  };

  /** Nx's normalizeDependencyConfigDefinition for one entry of `project:target`'s dependsOn. */
  const normalizeEntry = (project: string, target: string, entry: unknown): DependencyConfig[] => {
    let config: { target: string; projects?: readonly string[]; dependencies?: boolean };
    if (typeof entry === 'string') {
      if (entry.startsWith('^')) {
        config = { target: entry.slice(1), dependencies: true };
      } else if (entry.includes(':') || entry.includes('"')) {
        config = projectAndTarget(project, target, entry);
      } else {
        // a bare target of the same project (Nx may name the project explicitly: same tasks)
        config = { target: entry };
      }
    } else if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const object = entry as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        if (!OBJECT_KEYS.has(key)) throw unsupported(project, target, entry, `unknown key "${key}"`);
      }
      if (typeof object.target !== 'string') throw unsupported(project, target, entry, 'no target name');
      if (object.dependencies !== undefined && typeof object.dependencies !== 'boolean') {
        throw unsupported(project, target, entry, '"dependencies" is not a boolean');
      }
      config = { target: object.target, ...(object.dependencies ? { dependencies: true } : {}) };
      const projects = object.projects;
      if ((projects === 'self' || projects === 'dependencies') && legacyProjectStrings) {
        // nx 22: the legacy strings; later versions read them as project names or reject them
        if (projects === 'dependencies') config.dependencies = true;
      } else if ((projects === 'self' || projects === 'dependencies') && !nodes.has(projects)) {
        throw unsupported(project, target, entry, `projects: '${projects}' is rejected by this nx version`);
      } else if (typeof projects === 'string') {
        config.projects = matchingProjects(project, target, entry, [projects]);
      } else if (Array.isArray(projects)) {
        config.projects = matchingProjects(project, target, entry, projects);
      } else if (projects !== undefined) {
        throw unsupported(project, target, entry, '"projects" is neither a string nor a list');
      }
    } else {
      throw unsupported(project, target, entry, 'neither a string nor an object');
    }
    const normalized: DependencyConfig = config.projects
      ? { target: config.target, projects: config.projects }
      : config.dependencies
        ? { target: config.target, dependencies: true }
        : { target: config.target, projects: [project] };
    if (!isGlobPattern(normalized.target)) return [normalized];
    const glob = simpleTargetGlob(normalized.target);
    if (!glob) throw unsupported(project, target, entry, 'a target glob other than `*` wildcards');
    return targetNames()
      .filter((name) => glob.test(name))
      .map((name) => ({ ...normalized, target: name }));
  };

  /** findMatchingProjects: nx's own when given, else exact names, `*` and plain tags (other patterns throw). */
  const matchingProjects = (project: string, target: string, entry: unknown, patterns: readonly unknown[]): string[] => {
    if (input.matchProjects) {
      if (!patterns.every((pattern) => typeof pattern === 'string')) throw unsupported(project, target, entry, 'a project pattern that is not a string');
      return input.matchProjects([...(patterns as string[])]); // a copy: nx's matcher edits the list it is given
    }
    const matched = new Set<string>();
    for (const pattern of patterns) {
      if (typeof pattern !== 'string') throw unsupported(project, target, entry, 'a project pattern that is not a string');
      if (pattern === '') continue;
      if (pattern === '*') {
        for (const name of nodes.keys()) matched.add(name);
      } else if (nodes.has(pattern) && !pattern.startsWith('!')) {
        matched.add(pattern);
      } else if (/^tag:[^*?[\]{}!]+$/.test(pattern)) {
        // nx's findMatchingProjects: a project matches when its tags include the value exactly
        const tag = pattern.slice('tag:'.length);
        for (const [name, node] of nodes) if (node.tags?.includes(tag)) matched.add(name);
      } else {
        throw unsupported(project, target, entry, `project pattern "${pattern}" is not a project name`);
      }
    }
    return [...matched];
  };

  /** readProjectAndTargetFromTargetString for `project:target` when it means exactly that. */
  const projectAndTarget = (project: string, target: string, entry: string): { target: string; projects?: string[] } => {
    if (entry.includes('"')) throw unsupported(project, target, entry, 'a quoted target string');
    const segments = entry.split(':');
    const matches: string[][] = [];
    const collect = (candidateProject: string, rest: string[]) => {
      const targets = nodes.get(candidateProject)?.targets ?? {};
      for (let j = 1; j <= rest.length; j++) {
        const candidateTarget = rest.slice(0, j).join(':');
        if (!Object.prototype.hasOwnProperty.call(targets, candidateTarget)) continue;
        const configuration = rest.slice(j).join(':');
        if (j === rest.length) matches.push([candidateProject, candidateTarget]);
        else if (Object.prototype.hasOwnProperty.call(targets[candidateTarget]?.configurations ?? {}, configuration)) {
          matches.push([candidateProject, candidateTarget, configuration]);
        }
      }
    };
    collect(project, segments);
    for (let i = 1; i <= segments.length; i++) {
      const candidateProject = segments.slice(0, i).join(':');
      if (!nodes.has(candidateProject)) continue;
      if (i === segments.length) matches.push([candidateProject]);
      else collect(candidateProject, segments.slice(i));
    }
    // Nx picks the most specific reading; only unambiguous `project:target` readings are kept here
    if (matches.length !== 1 || matches[0]!.length !== 2) {
      throw unsupported(project, target, entry, 'a target string with colons that is not one project and one target');
    }
    const [matchedProject, matchedTarget] = matches[0] as [string, string];
    return { projects: [matchedProject], target: matchedTarget };
  };

  const normalizedCache = new Map<string, DependencyConfig[]>();
  const dependencyConfigs = (project: string, target: string): DependencyConfig[] => {
    const key = `${project}\u0000${target}`;
    let configs = normalizedCache.get(key);
    if (!configs) {
      const dependsOn = targetOf(project, target)?.dependsOn ?? [];
      if (!Array.isArray(dependsOn)) throw unsupported(project, target, dependsOn, 'dependsOn is not a list');
      configs = dependsOn.flatMap((entry) => normalizeEntry(project, target, entry));
      normalizedCache.set(key, configs);
    }
    return configs;
  };

  const tasks = new Map<string, Task>();
  /** Task id (and dummy task id) -> ids it depends on, in Nx's insertion order. */
  const dependencies = new Map<string, string[]>();
  const seen = new Set<string>();

  const createTask = (project: string, target: string): Task => {
    const config = targetOf(project, target)!;
    const configuration = config.defaultConfiguration || undefined;
    return {
      id: createTaskId(project, target, configuration),
      project,
      target,
      ...(configuration ? { configuration } : {}),
      continuous: config.continuous ?? false,
    };
  };
  const addTask = (task: Task) => {
    tasks.set(task.id, task);
    dependencies.set(task.id, []);
  };

  // `task` may be a dummy task: it keeps the project and target of the task that created it,
  // with its own id, and derives dependencies from another project.
  const processTask = (task: Task, projectUsedToDeriveDependencies: string) => {
    const seenKey = `${task.id}-${projectUsedToDeriveDependencies}`;
    if (seen.has(seenKey)) return;
    seen.add(seenKey);
    for (const config of dependencyConfigs(task.project, task.target)) {
      if ('projects' in config) {
        for (const project of config.projects) processForSingleProject(task, project, config.target);
      } else {
        processForDependencies(projectUsedToDeriveDependencies, task, config.target);
      }
    }
  };

  const processForSingleProject = (task: Task, project: string, target: string) => {
    if (!hasTarget(project, target)) return;
    const candidate = createTask(project, target);
    if (!tasks.has(candidate.id)) {
      addTask(candidate);
      processTask(candidate, project);
    }
    if (task.id !== candidate.id && !tasks.get(candidate.id)!.continuous) dependencies.get(task.id)!.push(candidate.id);
  };

  const processForDependencies = (projectUsedToDeriveDependencies: string, task: Task, target: string) => {
    for (const dep of input.projectDependencies[projectUsedToDeriveDependencies] ?? []) {
      if (!nodes.has(dep)) continue; // external (npm) nodes
      if (hasTarget(dep, target)) {
        const candidate = createTask(dep, target);
        if (task.id !== candidate.id && !targetOf(dep, target)!.continuous) dependencies.get(task.id)!.push(candidate.id);
        if (!tasks.has(candidate.id)) {
          addTask(candidate);
          processTask(candidate, dep);
        }
      } else {
        // the dependency lacks the target: look through it, into its own dependencies
        const dummyId = createTaskId(dep, `${task.project}${task.target}__${target}${DUMMY_TASK_TARGET}`, undefined);
        dependencies.get(task.id)!.push(dummyId);
        if (!dependencies.has(dummyId)) dependencies.set(dummyId, []);
        processTask({ ...task, id: dummyId }, dep);
      }
    }
  };

  for (const project of input.projects) {
    for (const target of input.targets) {
      if (hasTarget(project.name, target)) addTask(createTask(project.name, target));
    }
  }
  for (const task of [...tasks.values()]) processTask(task, task.project);

  filterDummyTasks(dependencies);
  const result: Record<string, string[]> = {};
  for (const [id, deps] of dependencies) result[id] = [...new Set(deps.filter((d) => d !== id))];
  return {
    tasks: [...tasks.values()].map(({ id, project, target, configuration }) => ({
      id,
      project,
      target,
      ...(configuration ? { configuration } : {}),
    })),
    dependencies: result,
  };
}

/**
 * Nx's filterDummyTasks: every real task's edges to dummy tasks become edges to the real tasks
 * behind them; dummies on a cycle (as Nx's findCycles reports them) lead nowhere. In place.
 */
function filterDummyTasks(dependencies: Map<string, string[]>): void {
  const cycles = findCycles(dependencies);
  for (const [key, deps] of dependencies) {
    if (key.endsWith(DUMMY_TASK_TARGET)) continue;
    dependencies.set(
      key,
      deps.flatMap((dep) => nonDummyDeps(dep, dependencies, cycles, new Set([key]))),
    );
  }
  for (const key of [...dependencies.keys()]) if (key.endsWith(DUMMY_TASK_TARGET)) dependencies.delete(key);
}

function nonDummyDeps(current: string, dependencies: Map<string, string[]>, cycles: Set<string>, seen: Set<string>): string[] {
  if (seen.has(current)) return [];
  seen.add(current);
  if (!current.endsWith(DUMMY_TASK_TARGET)) return [current];
  if (cycles.has(current)) return [];
  return (dependencies.get(current) ?? []).flatMap((dep) => nonDummyDeps(dep, dependencies, cycles, seen));
}

/**
 * Nx's findCycles, quirks included: one depth-first search per task with a `visited` set shared
 * by all of them, adding every task on the search path (not only the cycle) once a back edge
 * to the path is found. Only what it marks matters for the dummy tasks, so it is kept as is.
 */
function findCycles(dependencies: Map<string, string[]>): Set<string> {
  const visited = new Set<string>();
  const cycles = new Set<string>();
  // the search path: a stack with no repeats (a task already on it ends the search)
  const path: string[] = [];
  const onPath = new Set<string>();
  const search = (id: string): boolean => {
    if (visited.has(id)) return false;
    visited.add(id);
    for (const dep of dependencies.get(id) ?? []) {
      if (onPath.has(dep)) {
        for (const t of path) cycles.add(t);
        return true;
      }
      path.push(dep);
      onPath.add(dep);
      const found = search(dep);
      path.pop();
      onPath.delete(dep);
      if (found) return true;
    }
    return false;
  };
  for (const id of dependencies.keys()) {
    path.push(id);
    onPath.add(id);
    search(id);
    path.pop();
    onPath.delete(id);
  }
  return cycles;
}
