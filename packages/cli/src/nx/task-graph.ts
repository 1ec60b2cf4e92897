import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readGraphFile } from './graph-file';
import { installedNxVersion } from './nx-process';
import { nxProjectMatcher, type MatchableProjectNode } from './find-matching-projects';
import { nxWorkspaceDataDirectory } from './workspace-data';
import { expandTaskGraph, SixtyError, type ExpandTargetConfig, type ProjectDependencies, type TaskGraphInput } from '@sixty/core';

/** The graphs the analysis needs, read from the workspace's own nx. */
export interface NxGraphs {
  taskGraph: TaskGraphInput;
  projectDependencies: ProjectDependencies;
  projects: string[];
}

interface NxGraphFile {
  graph?: { nodes?: Record<string, unknown>; dependencies?: Record<string, Array<{ target: string }>> };
  tasks?: {
    tasks?: Record<string, { id: string; target: { project: string; target: string; configuration?: string } }>;
    /** Task id -> dependencies: ids (nx 22) or `{ id }` edges (nx 24). */
    dependencies?: Record<string, Array<string | { id: string }>>;
  };
}

/**
 * The task graph of `targets` as nx would run it (`nx run-many -t <targets>`), without running
 * anything: computed from nx's cached project graph when it is fresh (readTaskGraphFast, a few
 * milliseconds), otherwise asked of nx (readNxGraphsFromNx, a second or two).
 */
export function readNxGraphs(workspaceRoot: string, targets: string[], env: NodeJS.ProcessEnv = process.env): NxGraphs {
  return readTaskGraphFast(workspaceRoot, targets, env) ?? readNxGraphsFromNx(workspaceRoot, targets, env);
}

/**
 * Asks nx for the task graph of `targets` without running anything
 * (`nx run-many -t <targets> --graph=<file>`): the public way to get what nx would run,
 * stable across nx 20 to 24, where the in-process APIs move between versions.
 */
export function readNxGraphsFromNx(workspaceRoot: string, targets: string[], env: NodeJS.ProcessEnv = process.env): NxGraphs {
  const read = readGraphFile(workspaceRoot, (file) => taskGraphArgs(targets, file), env);
  if (!read.ok) {
    throw new SixtyError('NX_FAILED', `nx could not compute the task graph for ${targets.join(', ')}: ${read.reason}`, 'run `nx run-many -t ' + targets.join(',') + ' --graph=stdout` to see why');
  }
  return parseNxGraphFile(read.data as NxGraphFile);
}

/** `nx run-many -t <targets> --graph=<file>`: the task graph written, nothing run. */
export function taskGraphArgs(targets: readonly string[], file: string): string[] {
  return ['run-many', '-t', targets.join(','), `--graph=${file}`];
}

export function parseNxGraphFile(data: NxGraphFile): NxGraphs {
  const tasks = Object.values(data.tasks?.tasks ?? {}).map((task) => ({
    id: task.id,
    project: task.target.project,
    target: task.target.target,
    ...(task.target.configuration ? { configuration: task.target.configuration } : {}),
  }));
  const projectDependencies: ProjectDependencies = {};
  for (const project of Object.keys(data.graph?.nodes ?? {})) {
    projectDependencies[project] = (data.graph?.dependencies?.[project] ?? [])
      .map((dep) => dep.target)
      .filter((target) => !target.startsWith('npm:'));
  }
  const dependencies: Record<string, string[]> = {};
  for (const [id, edges] of Object.entries(data.tasks?.dependencies ?? {})) {
    dependencies[id] = edges.map((edge) => (typeof edge === 'string' ? edge : edge.id));
  }
  return {
    taskGraph: { tasks, dependencies },
    projectDependencies,
    projects: Object.keys(projectDependencies).sort(),
  };
}

interface CachedProjectGraphFile {
  nodes: Record<string, { name: string; data: { root: string; targets?: Record<string, ExpandTargetConfig>; tags?: unknown[] } }>;
  dependencies: Record<string, Array<{ target: string }>>;
  errors?: unknown[];
}

/** The newest nx major whose task-graph semantics expandTaskGraph is known to reproduce. */
const NEWEST_NX_MAJOR_EXPANDED = 24;
/** The oldest nx major the fast path is used with. */
const OLDEST_NX_MAJOR_EXPANDED = 20;

/**
 * The task graph of `nx run-many -t <targets>` (all projects having those targets) computed
 * from the project graph nx cached on its last run (`<workspace data>/project-graph.json`,
 * with every project's resolved targets and dependsOn): no nx process, a few milliseconds.
 *
 * Null, so the caller asks nx, when the cache cannot be trusted: missing or unreadable,
 * written with errors, older than nx.json or than any project.json / package.json at a
 * project root it lists (one stat each), an nx version outside 20..24, or a dependsOn form
 * expandTaskGraph does not reproduce. Not seen: projects added or imports changed since nx
 * last ran (the next nx command refreshes the cache).
 */
export function readTaskGraphFast(workspaceRoot: string, targets: string[], env: NodeJS.ProcessEnv = process.env): NxGraphs | null {
  const version = installedNxVersion(workspaceRoot);
  const major = version ? Number(version.split('.')[0]) : NaN;
  if (!(major >= OLDEST_NX_MAJOR_EXPANDED && major <= NEWEST_NX_MAJOR_EXPANDED)) return null;
  const file = join(nxWorkspaceDataDirectory(workspaceRoot, env), 'project-graph.json');
  try {
    const cachedAtMs = statSync(file).mtimeMs;
    const data = JSON.parse(readFileSync(file, 'utf8')) as CachedProjectGraphFile;
    if (!data || typeof data.nodes !== 'object' || typeof data.dependencies !== 'object') return null;
    if (Array.isArray(data.errors) && data.errors.length > 0) return null;
    const newerThanCache = (path: string) => (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0) > cachedAtMs;
    if (newerThanCache(join(workspaceRoot, 'nx.json'))) return null;
    const projects: Array<{ name: string; targets: Record<string, ExpandTargetConfig>; tags: string[] }> = [];
    for (const [name, node] of Object.entries(data.nodes)) {
      const root = node?.data?.root;
      if (typeof root !== 'string') return null;
      if (newerThanCache(join(workspaceRoot, root, 'project.json')) || newerThanCache(join(workspaceRoot, root, 'package.json'))) return null;
      projects.push({ name, targets: node.data.targets ?? {}, tags: Array.isArray(node.data.tags) ? node.data.tags.filter((t): t is string => typeof t === 'string') : [] });
    }
    const projectDependencies: ProjectDependencies = {};
    for (const { name } of projects) {
      projectDependencies[name] = (data.dependencies[name] ?? []).map((d) => d.target).filter((t) => Object.prototype.hasOwnProperty.call(data.nodes, t));
    }
    // nx's own matcher for dependsOn `projects` patterns, loaded only when a pattern needs it
    let matcher: ((patterns: string[]) => string[]) | undefined;
    const matchProjects = (patterns: string[]): string[] => {
      matcher ??= nxProjectMatcher(workspaceRoot, data.nodes as Record<string, MatchableProjectNode>);
      if (!matcher) throw new SixtyError('NX_FAILED', 'nx/src/utils/find-matching-projects could not be loaded', 'ask nx for the task graph');
      return matcher(patterns);
    };
    const taskGraph = expandTaskGraph({ projects, projectDependencies, targets, legacyProjectStrings: major <= 22, matchProjects });
    return { taskGraph, projectDependencies, projects: Object.keys(projectDependencies).sort() };
  } catch {
    return null; // missing, unreadable, a surprise in its shape, or a dependsOn nx must expand itself
  }
}
