import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  computeTargetStats,
  declarationEmitOf,
  declarationInputsWhatIf,
  declarationNarrowing,
  readHistory,
  resolveOutputs,
  type BuildTargetConfig,
  type BuildTargetFacts,
  type DeclarationInputsSaving,
  namedInputsOfNxJson,
  narrowBuildInputs,
  type NamedInputs,
  type DeclarationNarrowing,
  type NxInput,
  type ProjectDependencies,
  type TaskGraphInput,
  undeclaredDeclarationsReason,
} from '@sixty/core';
import { readCachedProjectTargets } from '../nx/workspace-data';
import { readNxGraphs } from '../nx/task-graph';
import type { Workspace } from '../workspace';

/** Every project's build of one target name as the inputs planner sees it, and the project graph. */
export interface DeclarationFacts {
  targets: Map<string, BuildTargetFacts>;
  /** nx.json's named inputs. */
  namedInputs: NamedInputs;
  roots: Map<string, string>;
  projectDependencies: ProjectDependencies;
}

function readWorkspaceText(workspaceRoot: string, path: string): string | undefined {
  try {
    return readFileSync(join(workspaceRoot, path), 'utf8');
  } catch {
    return undefined;
  }
}

/** The facts of one project's target: its resolved inputs and outputs, where tsc writes its declarations, its project.json. */
export function buildTargetFacts(workspaceRoot: string, project: string, root: string, targetName: string, target: Record<string, unknown>): BuildTargetFacts {
  const options = typeof target.options === 'object' && target.options !== null ? (target.options as Record<string, unknown>) : {};
  const readFile = (path: string): string | undefined => readWorkspaceText(workspaceRoot, path);
  const configFile = root === '' ? 'project.json' : `${root}/project.json`;
  return {
    task: `${project}:${targetName}`,
    project,
    projectRoot: root,
    ...(Array.isArray(target.inputs) ? { inputs: target.inputs as NxInput[] } : {}),
    outputs: resolveOutputs(Array.isArray(target.outputs) ? target.outputs : [], root, options),
    declarations: declarationEmitOf(target as BuildTargetConfig, readFile),
    configFile: existsSync(join(workspaceRoot, configFile)) ? configFile : null,
  };
}

/** The facts of every project's `targetName` target, from nx's resolved configurations. */
export function declarationFactsOf(
  workspaceRoot: string,
  projects: ReadonlyMap<string, { root: string; targets: Record<string, Record<string, unknown>> }>,
  projectDependencies: ProjectDependencies,
  targetName: string,
): DeclarationFacts {
  const targets = new Map<string, BuildTargetFacts>();
  const roots = new Map<string, string>();
  for (const [name, project] of projects) {
    const root = project.root === '.' ? '' : project.root;
    roots.set(name, root);
    const target = Object.hasOwn(project.targets, targetName) ? project.targets[targetName] : undefined;
    if (target) targets.set(name, buildTargetFacts(workspaceRoot, name, root, targetName, target));
  }
  return { targets, roots, projectDependencies, namedInputs: namedInputsOfNxJson(readWorkspaceText(workspaceRoot, 'nx.json')) };
}

/** The projects reached from `project` along the project graph (its dependencies) or against it (its dependents). */
export function reachedProjects(projectDependencies: ProjectDependencies, project: string, direction: 'dependencies' | 'dependents'): string[] {
  const edges = new Map<string, string[]>();
  for (const [from, tos] of Object.entries(projectDependencies)) {
    for (const to of tos) {
      const [key, value] = direction === 'dependencies' ? [from, to] : [to, from];
      edges.set(key, [...(edges.get(key) ?? []), value]);
    }
  }
  const found = new Set<string>();
  const stack = [...(edges.get(project) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next === project || found.has(next)) continue;
    found.add(next);
    stack.push(...(edges.get(next) ?? []));
  }
  return [...found].sort();
}

/**
 * The loop time declaration-only inputs would save (an estimate from history, restores as 0 ms):
 * for the given projects, or every project some narrowed build depends on. Null when nx cannot
 * give the task graph or nothing ran yet.
 */
export function estimateDeclarationSavings(
  workspace: Workspace,
  targetName: string,
  narrowedTasks: ReadonlySet<string>,
  projects?: readonly string[],
): DeclarationInputsSaving[] | null {
  try {
    const stats = computeTargetStats(readHistory(workspace.historyDir).runs);
    const p90ByTask = new Map(stats.filter((s) => s.executions > 0).map((s) => [s.task, s.p90Ms]));
    if (p90ByTask.size === 0) return null;
    const graphs = readNxGraphs(workspace.root, [targetName]);
    return declarationInputsWhatIf({
      taskGraph: graphs.taskGraph,
      projectDependencies: graphs.projectDependencies,
      p90ByTask,
      parallel: workspace.nxParallel ?? 3,
      target: targetName,
      narrowedTasks,
      ...(projects ? { projects } : {}),
    });
  } catch {
    return null; // the plan stands without the estimate
  }
}

/** Most projects whose saving `sixty report` simulates (each costs one loop model). */
const MAX_REPORTED_PROJECTS = 50;

/**
 * Per target name, the builds that could hash their dependencies' declarations (read from nx's
 * cached graph and the tsconfigs) and the projects whose implementation-only change would then
 * leave those builds cached (their own declarations are hashed). Empty when nx's cached graph
 * cannot be read or no build emits declarations. The report's savings and the loop remedies of
 * kind `inputs` both read it.
 */
export function declarationNarrowingsOf(workspaceRoot: string, targetNames: readonly string[], projectDependencies: ProjectDependencies): DeclarationNarrowing[] {
  const projects = readCachedProjectTargets(workspaceRoot);
  if (!projects) return [];
  const narrowings: DeclarationNarrowing[] = [];
  const dependenciesOf = (name: string): string[] => reachedProjects(projectDependencies, name, 'dependencies');
  for (const targetName of targetNames) {
    const facts = declarationFactsOf(workspaceRoot, projects, projectDependencies, targetName);
    if (![...facts.targets.values()].some((target) => 'directory' in target.declarations)) continue;
    const narrowing = declarationNarrowing({ targets: facts.targets, dependenciesOf, namedInputs: facts.namedInputs });
    const narrowedTasks = new Set<string>();
    const appliedTasks = new Set<string>();
    for (const [project, target] of facts.targets) {
      const verdict = narrowing(project);
      if (verdict && 'inputs' in verdict) narrowedTasks.add(verdict.task);
      // inputs in place: the loop of an implementation-only change already skips this build
      else if (verdict && undeclaredDeclarationsReason(target) === undefined && 'already' in narrowBuildInputs(target.inputs, facts.namedInputs)) appliedTasks.add(verdict.task);
    }
    for (const task of appliedTasks) narrowedTasks.add(task);
    if (narrowedTasks.size === 0) continue;
    // a project's change can skip its dependents' builds only when its own declarations are hashed
    const changedProjects = [...facts.targets.values()]
      .filter((target) => undeclaredDeclarationsReason(target) === undefined && reachedProjects(projectDependencies, target.project, 'dependents').some((d) => narrowedTasks.has(`${d}:${targetName}`)))
      .map((target) => target.project);
    narrowings.push({ target: targetName, narrowedTasks, appliedTasks, changedProjects });
  }
  return narrowings;
}

/**
 * For `sixty report`: per analysed target name, the loop time declaration-only inputs would save
 * per project, largest first (see declarationNarrowingsOf).
 */
export function declarationSavingsForReport(
  workspaceRoot: string,
  targetNames: readonly string[],
  analysed: { taskGraph: TaskGraphInput; projectDependencies: ProjectDependencies; p90ByTask: ReadonlyMap<string, number>; parallel: number },
  narrowings: readonly DeclarationNarrowing[] = declarationNarrowingsOf(workspaceRoot, targetNames, analysed.projectDependencies),
): DeclarationInputsSaving[] {
  const savings: DeclarationInputsSaving[] = [];
  for (const { target, narrowedTasks, appliedTasks, changedProjects } of narrowings) {
    savings.push(...declarationInputsWhatIf({ ...analysed, target, narrowedTasks, appliedTasks, projects: changedProjects.slice(0, MAX_REPORTED_PROJECTS) }));
  }
  return savings.sort((a, b) => b.savedMs - a.savedMs || (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
}
