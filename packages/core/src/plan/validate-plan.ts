import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { splitPlanFiles } from './file-hashes';
import { planSchemaProblems } from './plan-schema';
import type { PlanProject, ShardPlan, SplitPlan } from './plan-types';
import { MAX_PROBLEM_LINES, quote } from './problem-lines';
import { isProjectConfigurationFile } from './project-configuration-files';
import { isValidProjectName } from './project-name';
import { isInsideDirectory, normalizeProjectRoot, unsafePathReason } from '../workspace-files/safe-path';
import type { WorkspaceConfinement } from './workspace-confinement';

/** What a plan is checked against: facts about the project, read by the caller (never from the plan). */
export interface PlanValidationContext {
  /** Workspace-relative root of the project the plan decomposes. */
  projectRoot: string;
  /** The files the plan must place, workspace-relative: the test files for a shard plan, the project's files for a split. */
  projectFiles: readonly string[];
  /** Names of the projects already in the workspace (new parts must not reuse them). */
  existingProjects: readonly string[];
  /** The target's budget. */
  budgetMs: number;
  /** Modules the old entry exposes (ImportGraph.publicModules): each must stay reachable. */
  publicExports?: readonly string[];
  /** Paths inside the project that are symbolic links pointing outside it (ImportGraph.symlinksOutside). */
  symlinksOutside?: readonly string[];
  /** Import edges between the project's files (ImportGraph.edges): cycles through them count too. */
  importEdges?: ReadonlyArray<{ from: string; to: string }>;
  /** The target the plan must be for, `project:target`. */
  task?: string;
  /** The targets the project has: a plan for any other target is refused. */
  projectTargets?: readonly string[];
  /** Where a plan may write or delete, symbolic links followed: every root and file it names is checked. */
  confinement?: WorkspaceConfinement;
}

export interface PlanValidation {
  valid: boolean;
  /** One line per problem, naming the file or part; at most MAX_PROBLEM_LINES, then "... and N more". */
  problems: string[];
}

/**
 * Checks a plan (local or from an agent) before anything is touched: the schema, then every
 * file placed exactly once inside the project, safe paths, valid and new project names, no
 * cycle between the new parts, every part within budget, no public export lost.
 * Never throws, whatever the input.
 */
export function validatePlan(plan: unknown, givenContext: PlanValidationContext): PlanValidation {
  const problems = new ProblemCollector();
  try {
    const context = { ...givenContext, projectRoot: normalizeProjectRoot(givenContext.projectRoot) };
    const schemaProblems = planSchemaProblems(plan);
    if (schemaProblems.length > 0) {
      for (const line of schemaProblems) problems.add(line);
    } else {
      const document = plan as ShardPlan | SplitPlan;
      checkHeader(document, context, problems);
      if (document.kind === 'shard') checkShardPlan(document, context, problems);
      else checkSplitPlan(document, context, problems);
      checkFileHashes(document, problems);
    }
  } catch (error) {
    problems.add(`plan: could not be fully checked (${error instanceof Error ? error.message.slice(0, 200) : 'unknown error'})`);
  }
  return { valid: problems.count === 0, problems: problems.lines() };
}

/** Keeps the first lines, counts the rest: a hostile plan cannot make the report huge. */
class ProblemCollector {
  private readonly kept: string[] = [];
  count = 0;
  add(line: string): void {
    this.count++;
    if (this.kept.length < MAX_PROBLEM_LINES) this.kept.push(line);
  }
  lines(): string[] {
    return this.count > this.kept.length ? [...this.kept, `... and ${this.count - this.kept.length} more`] : [...this.kept];
  }
}

const TASK_PATTERN = /^[^\s:]+:[^\s:]+(?::[^\s:]+)?$/;

function checkHeader(plan: ShardPlan | SplitPlan, context: PlanValidationContext, problems: ProblemCollector): void {
  if (!TASK_PATTERN.test(plan.task)) problems.add(`plan.task: ${quote(plan.task)} must look like project:target`);
  else if (context.task !== undefined && plan.task !== context.task) problems.add(`plan.task: ${quote(plan.task)} is not the target being planned (${context.task})`);
  else if (context.projectTargets !== undefined) {
    // the target is all after the project (`test:lib` is one target, as sixty plan reads it); a last
    // `:<name>` may also be a configuration of the target before it (`build:production`)
    const at = plan.task.indexOf(':');
    const project = plan.task.slice(0, at);
    const target = plan.task.slice(at + 1);
    // A Set, not an object: names like __proto__ or toString must not be found on a prototype.
    const targets = new Set(context.projectTargets);
    if (!targets.has(target) && !targets.has(target.slice(0, Math.max(0, target.lastIndexOf(':'))))) problems.add(`plan.task: ${quote(plan.task)} names no target of ${project} (it has ${context.projectTargets.length === 0 ? 'none' : [...context.projectTargets].sort().slice(0, 8).join(', ')})`);
  }
  if (plan.budgetMs !== context.budgetMs) problems.add(`plan.budgetMs: ${plan.budgetMs} is not the target's budget (${context.budgetMs} ms)`);
}

/** Where each file went; reports unsafe, foreign, duplicated and missing files. */
class FilePlacement {
  private readonly projectFiles: ReadonlySet<string>;
  private readonly ownersOf = new Map<string, string[]>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly context: PlanValidationContext,
    private readonly problems: ProblemCollector,
  ) {
    this.projectFiles = new Set(context.projectFiles);
  }

  /** Places `file` in `owner` (a label like `part "x"`); true when the path itself is acceptable. */
  place(owner: string, file: string): boolean {
    const reason = unsafePathReason(file);
    if (reason) return this.report(`${owner}: ${quote(file)} ${reason}`);
    if (!isInsideDirectory(file, this.context.projectRoot)) return this.report(`${owner}: ${quote(file)} is outside the project ${this.context.projectRoot}`);
    const link = (this.context.symlinksOutside ?? []).find((path) => isInsideDirectory(file, path));
    if (link !== undefined) return this.report(`${owner}: ${quote(file)} goes through the symbolic link ${link}, which points outside the project`);
    const outside = this.context.confinement?.reasonOutside(file);
    if (outside !== undefined) return this.report(`${owner}: ${quote(file)} ${outside}`);
    if (!this.projectFiles.has(file)) return this.report(`${owner}: ${quote(file)} is not a file of the project`);
    const owners = this.ownersOf.get(file);
    if (owners) owners.push(owner);
    else this.ownersOf.set(file, [owner]);
    return true;
  }

  ownerOf(file: string): string | undefined {
    return this.ownersOf.get(file)?.[0];
  }

  /** Files listed more than once, and project files listed nowhere. */
  reportDuplicatesAndMissing(noun: string): void {
    for (const [file, owners] of this.ownersOf) {
      if (owners.length < 2) continue;
      const distinct = [...new Set(owners)];
      this.problems.add(
        distinct.length === 1
          ? `${quote(file)} is listed ${owners.length} times in ${distinct[0]}`
          : `${quote(file)} is listed ${owners.length} times (in ${distinct.slice(0, 3).join(', ')}${distinct.length > 3 ? ', ...' : ''})`,
      );
    }
    for (const file of this.context.projectFiles) {
      if (!this.ownersOf.has(file)) this.problems.add(`${quote(file)} is in no ${noun}: every file of the project must be placed`);
    }
  }

  private report(line: string): false {
    if (!this.reported.has(line)) {
      this.reported.add(line);
      this.problems.add(line);
    }
    return false;
  }
}

const SHARD_NAME = /^shard-([1-9]\d{0,5})-of-([1-9]\d{0,5})$/;

function checkShardPlan(plan: ShardPlan, context: PlanValidationContext, problems: ProblemCollector): void {
  const placement = new FilePlacement(context, problems);
  const count = plan.shards.length;
  const seenIndexes = new Set<number>();
  const oversized = new Map((plan.oversizedFiles ?? []).map((entry) => [entry.file, entry.estimatedMs]));
  plan.shards.forEach((shard, position) => {
    const label = `shard ${quote(shard.name)}`;
    const match = SHARD_NAME.exec(shard.name);
    const index = match ? Number(match[1]) : NaN;
    if (!match || Number(match[2]) !== count || index > count) {
      problems.add(`plan.shards[${position}]: name ${quote(shard.name)} must be shard-<i>-of-${count} with i from 1 to ${count}`);
    } else if (seenIndexes.has(index)) {
      problems.add(`${label}: the name is used by more than one shard`);
    } else {
      seenIndexes.add(index);
    }
    if (shard.files.length === 0) problems.add(`${label}: has no files`);
    for (const file of shard.files) placement.place(label, file);
    if (shard.estimatedMs > context.budgetMs) {
      const alone = shard.files.length === 1 && oversized.has(shard.files[0] as string);
      problems.add(
        alone
          ? `${label}: ${quote(shard.files[0] as string)} alone takes ${formatMs(shard.estimatedMs)}, over the ${formatMs(context.budgetMs)} budget; no shard count fixes it (split that test file)`
          : `${label}: estimated ${formatMs(shard.estimatedMs)}, over the ${formatMs(context.budgetMs)} budget`,
      );
    }
  });
  const projectFiles = new Set(context.projectFiles);
  for (const file of oversized.keys()) {
    if (placement.ownerOf(file) === undefined && unsafePathReason(file) === undefined && projectFiles.has(file)) {
      problems.add(`plan.oversizedFiles: ${quote(file)} is in no shard`);
    }
  }
  placement.reportDuplicatesAndMissing('shard');
}

const OLD_PROJECT = 'the old project';

function checkSplitPlan(plan: SplitPlan, context: PlanValidationContext, problems: ProblemCollector): void {
  const placement = new FilePlacement(context, problems);
  const existing = new Map(context.existingProjects.map((name) => [name.toLowerCase(), name]));
  const partIndexByName = new Map<string, number>();
  const seenLowerNames = new Set<string>();
  const roots = new RootIndex();
  let directories: Map<string, string> | undefined;
  // Directory -> first project file under it (for root projects), built once on demand.
  const projectDirectories = (): ReadonlyMap<string, string> => {
    if (!directories) {
      directories = new Map();
      for (const file of context.projectFiles) for (const directory of ancestorsOf(file, true)) if (!directories.has(directory)) directories.set(directory, file);
    }
    return directories;
  };

  plan.projects.forEach((part, index) => {
    const label = `part ${quote(part.name)}`;
    const lower = part.name.toLowerCase();
    if (!isValidProjectName(part.name)) {
      problems.add(`${label}: not a valid Nx project name (letters, digits, -, _ and ., optionally @scope/ first)`);
    } else if (existing.has(lower)) {
      problems.add(`${label}: collides with the existing project ${existing.get(lower)}`);
    } else if (seenLowerNames.has(lower)) {
      problems.add(`${label}: the name is used by more than one part`);
    }
    seenLowerNames.add(lower);
    if (!partIndexByName.has(part.name)) partIndexByName.set(part.name, index);
    checkPartRoot(part, label, context, roots, projectDirectories, problems);
    for (const file of part.files) {
      if (placement.place(label, file) && isProjectConfigurationFile(file)) {
        problems.add(`${label}: ${quote(file)} configures the project being split and never moves (list it in keptFiles; the new project gets its own copy)`);
      }
    }
    if (part.files.length === 0) problems.add(`${label}: has no files`);
    if (part.estimatedMs > context.budgetMs) {
      problems.add(`${label}: estimated ${formatMs(part.estimatedMs)}, over the ${formatMs(context.budgetMs)} budget`);
    }
  });
  for (const file of plan.keptFiles ?? []) placement.place(`${OLD_PROJECT} (keptFiles)`, file);
  if (plan.keptEstimatedMs !== undefined && plan.keptEstimatedMs > context.budgetMs) {
    problems.add(`${OLD_PROJECT} (keptFiles): estimated ${formatMs(plan.keptEstimatedMs)}, over the ${formatMs(context.budgetMs)} budget`);
  }
  placement.reportDuplicatesAndMissing('part and not in keptFiles');

  checkDependencies(plan, context, partIndexByName, existing, problems);
  checkFacade(plan, context, partIndexByName, placement, problems);
}

/** Directories already claimed by earlier parts' roots, indexed so each check is O(path depth). */
class RootIndex {
  /** root -> part name */
  private readonly roots = new Map<string, string>();
  /** every ancestor directory of a root -> a part name whose root is under it */
  private readonly ancestors = new Map<string, string>();

  /** The name of a part whose root overlaps `root` (equal, inside, or containing it). */
  overlapping(root: string): string | undefined {
    for (const prefix of ancestorsOf(root, true)) {
      const owner = this.roots.get(prefix);
      if (owner !== undefined) return owner;
    }
    return this.ancestors.get(root);
  }

  add(root: string, name: string): void {
    if (!this.roots.has(root)) this.roots.set(root, name);
    for (const prefix of ancestorsOf(root, false)) if (!this.ancestors.has(prefix)) this.ancestors.set(prefix, name);
  }
}

/** `a/b/c` -> `a`, `a/b` (and `a/b/c` when inclusive). */
function ancestorsOf(path: string, inclusive: boolean): string[] {
  const segments = path.split('/');
  const result: string[] = [];
  for (let length = 1; length < segments.length + (inclusive ? 1 : 0); length++) result.push(segments.slice(0, length).join('/'));
  return result;
}

function checkPartRoot(part: PlanProject, label: string, context: PlanValidationContext, roots: RootIndex, projectDirectories: () => ReadonlyMap<string, string>, problems: ProblemCollector): void {
  const rootReason = unsafePathReason(part.root);
  if (rootReason) {
    problems.add(`${label}: root ${quote(part.root)} ${rootReason}`);
    return;
  }
  if (context.projectRoot !== '' && isInsideDirectory(part.root, context.projectRoot)) {
    problems.add(`${label}: root ${quote(part.root)} is inside the project being split; put new projects next to it`);
  } else if (context.projectRoot === '') {
    // A root project can only gain nested projects: their folders must not hold its files.
    const clash = projectDirectories().get(part.root);
    if (clash !== undefined) problems.add(`${label}: root ${quote(part.root)} already holds ${quote(clash)} of the project being split`);
  }
  const link = (context.symlinksOutside ?? []).find((path) => isInsideDirectory(part.root, path));
  if (link !== undefined) problems.add(`${label}: root ${quote(part.root)} goes through the symbolic link ${link}`);
  const outside = context.confinement?.reasonOutside(part.root);
  if (outside !== undefined) problems.add(`${label}: root ${quote(part.root)} ${outside}`);
  const other = roots.overlapping(part.root);
  if (other !== undefined) problems.add(`${label}: root ${quote(part.root)} overlaps the root of part ${quote(other)}`);
  roots.add(part.root, part.name);
  const entryReason = unsafePathReason(part.entry);
  if (entryReason) problems.add(`${label}: entry ${quote(part.entry)} ${entryReason}`);
  else if (!part.entry.startsWith(`${part.root}/`)) problems.add(`${label}: entry ${quote(part.entry)} is not inside its root ${quote(part.root)}`);
}

/** Every recorded hash names a safe path the plan places: an apply reads the files it names. */
function checkFileHashes(plan: ShardPlan | SplitPlan, problems: ProblemCollector): void {
  if (plan.kind !== 'split' || plan.fileHashes === undefined) return;
  const placed = new Set(splitPlanFiles(plan));
  for (const { file } of plan.fileHashes) {
    const reason = unsafePathReason(file);
    if (reason !== undefined) problems.add(`plan.fileHashes: ${quote(file)} ${reason}`);
    else if (!placed.has(file)) problems.add(`plan.fileHashes: ${quote(file)} is not a file the plan places`);
  }
}

/** Unknown dependencies, dependencies the imports need but the plan omits, and cycles. */
function checkDependencies(
  plan: SplitPlan,
  context: PlanValidationContext,
  partIndexByName: ReadonlyMap<string, number>,
  existing: ReadonlyMap<string, string>,
  problems: ProblemCollector,
): void {
  const graph = new DirectedGraph();
  const oldNode = 'old';
  plan.projects.forEach((_, index) => graph.addNode(String(index)));
  graph.addNode(oldNode);
  const labelOf = (node: string): string => (node === oldNode ? OLD_PROJECT : quote((plan.projects[Number(node)] as PlanProject).name));

  plan.projects.forEach((part, index) => {
    for (const dependency of new Set(part.dependsOn)) {
      const target = partIndexByName.get(dependency);
      if (target !== undefined) graph.mergeEdge(String(index), String(target));
      else if (!existing.has(dependency.toLowerCase())) problems.add(`part ${quote(part.name)}: depends on ${quote(dependency)}, which is neither a part nor an existing project`);
    }
  });

  if (context.importEdges) {
    const partOfFile = new Map<string, string>();
    plan.projects.forEach((part, index) => {
      for (const file of part.files) if (!partOfFile.has(file)) partOfFile.set(file, String(index));
    });
    const projectFiles = new Set(context.projectFiles);
    const missingDependency = new Set<string>();
    for (const edge of context.importEdges) {
      if (!projectFiles.has(edge.from) || !projectFiles.has(edge.to)) continue;
      // Files in no part stay in the old project, whose entry depends on every part it re-exports.
      const from = partOfFile.get(edge.from) ?? oldNode;
      const to = partOfFile.get(edge.to) ?? oldNode;
      if (from === to) continue;
      graph.mergeEdge(from, to);
      if (from !== oldNode && to !== oldNode) {
        const part = plan.projects[Number(from)] as PlanProject;
        const target = plan.projects[Number(to)] as PlanProject;
        const key = `${from}>${to}`;
        if (!part.dependsOn.includes(target.name) && !missingDependency.has(key)) {
          missingDependency.add(key);
          problems.add(`part ${quote(part.name)}: imports part ${quote(target.name)} (${quote(edge.from)} -> ${quote(edge.to)}) but does not list it in dependsOn`);
        }
      }
    }
  }
  for (const facade of plan.facade ?? []) {
    const target = partIndexByName.get(facade.project);
    if (target !== undefined) graph.mergeEdge(oldNode, String(target));
  }

  for (const node of graph.nodes()) {
    if (graph.hasEdge(node, node)) problems.add(`cycle: part ${labelOf(node)} depends on itself`);
  }
  for (const component of stronglyConnectedComponents(graph)) {
    if (component.length < 2) continue;
    const cycle = findCycle(graph, component);
    const between = component.includes(oldNode) ? 'the new parts and the old project' : 'new parts';
    problems.add(`cycle between ${between}: ${cycle.map(labelOf).join(' -> ')}`);
  }
}

/** A concrete cycle through the first node of a strongly connected component, shortest first. */
function findCycle(graph: DirectedGraph, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0] as string;
  const parent = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    for (const next of graph.outNeighbors(node)) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = parent.get(at)) path.push(at);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

function checkFacade(
  plan: SplitPlan,
  context: PlanValidationContext,
  partIndexByName: ReadonlyMap<string, number>,
  placement: FilePlacement,
  problems: ProblemCollector,
): void {
  const projectFiles = new Set(context.projectFiles);
  const reexported = new Set<string>();
  const filesOfPart = new Map<number, Set<string>>();
  (plan.facade ?? []).forEach((facade, index) => {
    const path = `plan.facade[${index}]`;
    const partIndex = partIndexByName.get(facade.project);
    if (partIndex === undefined) {
      problems.add(`${path}: ${quote(facade.project)} is not a part of this plan`);
      return;
    }
    const part = plan.projects[partIndex] as PlanProject;
    const partFiles = filesOfPart.get(partIndex) ?? new Set(part.files);
    filesOfPart.set(partIndex, partFiles);
    if (!projectFiles.has(facade.from) || placement.ownerOf(facade.from)?.startsWith('part ')) {
      problems.add(`${path}: ${quote(facade.from)} is not a file the old project keeps (the facade lives in the old entry)`);
    }
    if (!partFiles.has(facade.module)) {
      problems.add(`${path}: ${quote(facade.module)} is not a file of part ${quote(part.name)}`);
      return;
    }
    reexported.add(facade.module);
  });
  for (const module of context.publicExports ?? []) {
    const owner = placement.ownerOf(module);
    if (owner === undefined || !owner.startsWith('part ')) continue; // stays in the old project, or already reported missing
    if (!reexported.has(module)) problems.add(`lost public export: ${quote(module)} (exposed by the old entry) moves to ${owner} with no facade re-export`);
  }
}

function formatMs(ms: number): string {
  // One decimal when whole milliseconds would hide the difference (60000.4 vs 60000).
  return Number.isInteger(ms) ? `${ms} ms` : `${ms.toFixed(1)} ms`;
}
