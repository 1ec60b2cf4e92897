/** Why a changed file is checked by no task of this run. */
export type UncoveredReason =
  /** nx leaves it out of `affected` (.nxignore, .gitignore). */
  | 'nx-ignored'
  /** It lies in no project's root, and nothing nx found affected is owed to it. */
  | 'no-project'
  /** Its project ran none of the requested targets (it has none of them). */
  | 'no-task';

export interface UncoveredFile {
  file: string;
  reason: UncoveredReason;
}

export interface ChangeCoverageInput {
  changedFiles: readonly string[];
  /** The changed files nx ignores, as nx itself answered. */
  nxIgnored: ReadonlySet<string>;
  projects: ReadonlyArray<{ name: string; root: string }>;
  projectDependencies: Readonly<Record<string, readonly string[]>>;
  /** The affected projects, as nx itself answered. */
  nxAffected: readonly string[];
  /** Projects that had at least one task in this run. */
  projectsWithTasks: ReadonlySet<string>;
}

/** The project that owns a file: the deepest root holding it, as nx maps files to projects. */
export function owningProject(file: string, projectsDeepestFirst: ReadonlyArray<{ name: string; root: string }>): string | null {
  const owner = projectsDeepestFirst.find((p) => p.root === '.' || p.root === '' || file === p.root || file.startsWith(`${p.root}/`));
  return owner?.name ?? null;
}

/** The projects and every project depending on them, transitively. */
export function withDependents(start: Iterable<string>, projectDependencies: Readonly<Record<string, readonly string[]>>): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [project, deps] of Object.entries(projectDependencies)) {
    for (const dep of deps) {
      const list = dependents.get(dep);
      if (list) list.push(project);
      else dependents.set(dep, [project]);
    }
  }
  const reached = new Set(start);
  const queue = [...reached];
  while (queue.length > 0) {
    for (const dependent of dependents.get(queue.pop()!) ?? []) {
      if (!reached.has(dependent)) {
        reached.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return reached;
}

/**
 * The changed files no task of this check looked at, each with the reason. The affected set
 * is nx's; this only explains it. A file outside every project is counted as covered when nx
 * affected a project that the in-project changes do not reach (nx.json, a lock file or a
 * workspace-level input did that), since then nx acted on it.
 */
export function uncoveredChanges(input: ChangeCoverageInput): UncoveredFile[] {
  const byDepth = [...input.projects].sort((a, b) => b.root.length - a.root.length);
  const owners = new Map<string, string | null>();
  const touched = new Set<string>();
  for (const file of input.changedFiles) {
    if (input.nxIgnored.has(file)) continue;
    const owner = owningProject(file, byDepth);
    owners.set(file, owner);
    if (owner) touched.add(owner);
  }
  const reachedByProjectFiles = withDependents(touched, input.projectDependencies);
  const nxActedOnWorkspaceFiles = input.nxAffected.some((p) => !reachedByProjectFiles.has(p) && input.projectsWithTasks.has(p));
  const uncovered: UncoveredFile[] = [];
  for (const file of input.changedFiles) {
    if (input.nxIgnored.has(file)) {
      uncovered.push({ file, reason: 'nx-ignored' });
      continue;
    }
    const owner = owners.get(file) ?? null;
    if (owner === null) {
      if (!nxActedOnWorkspaceFiles) uncovered.push({ file, reason: 'no-project' });
    } else if (!input.projectsWithTasks.has(owner)) {
      uncovered.push({ file, reason: 'no-task' });
    }
  }
  return uncovered.sort((a, b) => a.file.localeCompare(b.file));
}
