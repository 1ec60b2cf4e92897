import { readJson, type ProjectConfiguration, type Tree } from 'nx/src/devkit-exports';
import { DEFAULT_TEST_FILE_PATTERN, findEntryPoints, unsafePathReason, type PlanValidationContext, type SplitPlan } from '@sixty/core';
import { isSourceFile } from './workspace-source-files';
import { readManifest, type WorkspaceFacts } from './workspace-facts';

/** The project a split plan decomposes, read from the Tree. */
export interface SplitProjectFacts {
  name: string;
  target: string;
  root: string;
  configuration: ProjectConfiguration;
  /** project.json as written, when the project has one. */
  projectJson?: Record<string, unknown>;
  /** package.json as written, when the project has one. */
  manifest?: Record<string, unknown>;
  /** How other projects import it: package name, else its tsconfig alias, else its project name. */
  importName: string;
  /** Its source files, plus the non-source files they import (json, css): what a plan must place. Sorted. */
  files: string[];
  entryPoints: string[];
  /** Import edges between its files (any import form, type-only included). */
  edges: Array<{ from: string; to: string }>;
  /** Files its entry points import directly. */
  publicModules: string[];
  /** Paths in it that are links leaving it. */
  symlinksOutside: string[];
}

export function isTestFile(path: string, projectRoot: string): boolean {
  return DEFAULT_TEST_FILE_PATTERN.test(projectRoot === '' ? path : path.slice(projectRoot.length + 1));
}

function isInside(path: string, directory: string): boolean {
  return directory === '' || path === directory || path.startsWith(`${directory}/`);
}

/** Reads the facts of the project `plan.task` names; undefined when there is no such project. */
export function readSplitProjectFacts(tree: Tree, workspace: WorkspaceFacts, plan: SplitPlan): SplitProjectFacts | undefined {
  const [name = '', target = ''] = plan.task.split(':');
  const configuration = workspace.projects.get(name);
  if (configuration === undefined) return undefined;
  const root = configuration.root === '.' ? '' : configuration.root.replace(/\/+$/, '');
  const projectJsonPath = root === '' ? 'project.json' : `${root}/project.json`;
  const projectJson = tree.exists(projectJsonPath) ? (readJson(tree, projectJsonPath) as Record<string, unknown>) : undefined;
  const manifest = readManifest(tree, root);
  // Files of nested projects belong to them, not to this one.
  const nestedRoots = [...workspace.projects.values()].map((p) => p.root).filter((other) => other !== configuration.root && other !== '.' && isInside(other, root));
  const sources = workspace.sourceFiles.filter((file) => isInside(file, root) && !nestedRoots.some((nested) => isInside(file, nested)));
  const sourceSet = new Set(sources);

  const edges: Array<{ from: string; to: string }> = [];
  const imported = new Set<string>();
  for (const file of sources) {
    const targets = new Set<string>();
    for (const reference of workspace.syntaxOf(file).references) {
      const resolved = workspace.resolver.resolve(reference.specifier, file)?.file;
      if (resolved === undefined || resolved === file || !isInside(resolved, root) || nestedRoots.some((nested) => isInside(resolved, nested))) continue;
      targets.add(resolved);
    }
    for (const to of [...targets].sort()) {
      edges.push({ from: file, to });
      if (!sourceSet.has(to)) imported.add(to);
    }
  }
  const files = [...sources, ...[...imported].filter((file) => !isSourceFile(file))].sort();
  const fileSet = new Set(files);
  const entryPoints = findEntryPoints({ projectRoot: root, manifest, isProjectFile: (path) => fileSet.has(path) });
  const entrySet = new Set(entryPoints);
  const publicModules = [...new Set(edges.filter((edge) => entrySet.has(edge.from) && !entrySet.has(edge.to)).map((edge) => edge.to))].sort();
  const symlinksOutside = new Set<string>();
  for (const file of planFiles(plan)) {
    if (unsafePathReason(file) !== undefined || !isInside(file, root)) continue; // never look outside the project
    const link = workspace.links.linkLeaving(file, root);
    if (link !== undefined && isInside(link, root)) symlinksOutside.add(link);
  }
  return {
    name,
    target,
    root,
    configuration,
    ...(projectJson ? { projectJson } : {}),
    ...(manifest ? { manifest } : {}),
    importName: importNameOf(name, root, manifest, workspace, entryPoints),
    files,
    entryPoints,
    edges,
    publicModules,
    symlinksOutside: [...symlinksOutside].sort(),
  };
}

function importNameOf(name: string, root: string, manifest: Record<string, unknown> | undefined, workspace: WorkspaceFacts, entryPoints: readonly string[]): string {
  if (typeof manifest?.name === 'string' && root !== '') return manifest.name;
  const alias = workspace.aliases.aliases.find((candidate) => !candidate.wildcard && candidate.targets.some((target) => entryPoints.includes(target)));
  return alias?.key ?? name;
}

/** Every path a split plan names as a file: the parts' files, kept files, facade modules. */
export function planFiles(plan: SplitPlan): string[] {
  return [...new Set([...plan.projects.flatMap((p) => p.files), ...(plan.keptFiles ?? []), ...(plan.facade ?? []).flatMap((f) => [f.from, f.module])])];
}

/** What validatePlan checks the plan against: facts of the Tree, never of the plan. */
export function validationContext(project: SplitProjectFacts, workspace: WorkspaceFacts, plan: SplitPlan, budgetMs: number): PlanValidationContext {
  return {
    projectRoot: project.root,
    projectFiles: project.files,
    existingProjects: [...workspace.projects.keys()].sort(),
    budgetMs,
    publicExports: project.publicModules,
    symlinksOutside: project.symlinksOutside,
    importEdges: project.edges,
    task: plan.task,
    confinement: workspace.confinement,
  };
}
