import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { SixtyError } from '../errors/sixty-error';
import type { ImportGraph } from '../imports/import-graph-types';
import { PLAN_SCHEMA_VERSION, type PlanFacadeExport, type PlanProject, type PlanSource, type SplitPlan } from '../plan/plan-types';
import { isProjectConfigurationFile } from '../plan/project-configuration-files';
import { isValidProjectName } from '../plan/project-name';
import { normalizeProjectRoot } from '../workspace-files/safe-path';
import type { CoChangePair, CoChangeWeights } from './co-change';
import { DEFAULT_SAFETY_MARGIN } from '../config/sixty-options';
import { splitLoopTimes } from './split-loop-times';
import { placeComponents, type Component, type Part } from './split-placement';

export interface PlanSplitOptions {
  /** The target over budget, `project:target`. */
  task: string;
  projectName: string;
  /** Workspace-relative root of the project to split. */
  projectRoot: string;
  /** From readImportGraph (files, edges and entry points are used). */
  graph: Pick<ImportGraph, 'files' | 'edges' | 'entryPoints'>;
  /** ms per file for the target being split (test or build costs); files not listed cost 0. */
  fileCosts: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
  budgetMs: number;
  /** Fill each part to at most budget x margin. Default 0.85. */
  safetyMargin?: number;
  /**
   * What every build of the target pays before its first file (estimateRunStartupMs), not in
   * fileCosts: each part and the old project pay it once. Default 0.
   */
  runStartupMs?: number;
  /** Files changed together in git (coChangeWeights): an import edge weighs 1 + its pair's weight. */
  coChange?: readonly CoChangePair[] | CoChangeWeights;
  /** Names of the workspace's projects: new names avoid them. */
  existingProjects: readonly string[];
  /** Start of every new project's name. Default: the project's name. */
  namePrefix?: string;
  source?: PlanSource;
}

/**
 * Plans the split of a project whose target is over budget into new projects ("parts") that
 * each fit budget x margin and form an acyclic project graph:
 *  1. the entry points and every file that imports them stay in the old project, which keeps
 *     its public API as a facade re-exporting the moved modules;
 *  2. import cycles among the other files are condensed (strongly connected components);
 *  3. components are placed in dependency order (depth-first, so related modules are adjacent),
 *     each into the part it has the heaviest import and co-change ties with, among the parts
 *     with room that would not close a cycle; a new part is opened when none fits;
 *  4. a local pass moves single components to a neighbouring part when that lowers the cut
 *     weight and keeps budgets and acyclicity.
 * An import edge weighs 1 + how often its two files changed together.
 */
export function planSplit(givenOptions: PlanSplitOptions): SplitPlan {
  const options = { ...givenOptions, projectRoot: normalizeProjectRoot(givenOptions.projectRoot) };
  const margin = options.safetyMargin ?? DEFAULT_SAFETY_MARGIN;
  checkOptions(options, margin);
  const startupMs = options.runStartupMs ?? 0;
  // a part's files get what the budget leaves after the start-up its build pays; the margin
  // alone when the start-up fits in it
  const capacityMs = Math.min(options.budgetMs * margin, options.budgetMs - startupMs);
  if (capacityMs <= 0) {
    const target = options.task.slice(options.task.lastIndexOf(':') + 1);
    throw new SixtyError(
      'NO_USEFUL_PLAN',
      `no split of ${options.projectName} fits the ${formatMs(options.budgetMs)} budget: a ${target} run takes about ${formatMs(startupMs)} before its first file (the fastest ${target} of another project)`,
      'make the target start faster (fewer plugins, a lighter config), or raise the budget',
    );
  }
  const costOf = costLookup(options.fileCosts);
  const files = options.graph.files.map((file) => file.path).sort(compareStrings);
  const fileSet = new Set(files);
  const edges = options.graph.edges.filter((edge) => fileSet.has(edge.from) && fileSet.has(edge.to) && edge.from !== edge.to);
  const coChange = coChangeLookup(options.coChange);
  const outgoing = new Map<string, ImportGraph['edges']>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from);
    if (list) list.push(edge);
    else outgoing.set(edge.from, [edge]);
  }
  const edgesFrom = (file: string): ImportGraph['edges'] => outgoing.get(file) ?? [];

  // Configuration files never move; a module importing one (package.json for its version) stays
  // with it: moved, it would import the old project by path and close a cycle through the facade.
  const configuration = files.filter(isProjectConfigurationFile);
  // Ambient declaration files (no module imports them) serve every part: they stay, and each part references them.
  const imported = new Set(edges.map((edge) => edge.to));
  const ambient = files.filter((file) => DECLARATION_FILE.test(file) && !imported.has(file));
  const kept = keptFiles([...options.graph.entryPoints.filter((entry) => fileSet.has(entry)), ...configuration, ...ambient], edges);
  const testGroups = groupTestFiles(options.graph.files, edges, kept);
  const inTestGroup = new Set(testGroups.flat());
  const movable = files.filter((file) => !kept.has(file) && !inTestGroup.has(file));
  if (movable.length === 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      configuration.length === 0
        ? `${options.projectName} has nothing to split: every file is its entry or imports it`
        : `${options.projectName} has nothing to split: every file is its entry, a configuration file (${configuration.slice(0, 3).join(', ')}), or imports one of them`,
      'import modules directly instead of through the project entry (index), then plan again',
    );
  }

  let keptMs = [...kept].reduce((sum, file) => sum + costOf(file), 0);
  const totalMs = startupMs + files.reduce((sum, file) => sum + costOf(file), 0);
  if (totalMs <= options.budgetMs) {
    throw new SixtyError(
      'WITHIN_BUDGET',
      `${options.projectName} is within its budget: its files are estimated at ${formatMs(totalMs)}, the budget is ${formatMs(options.budgetMs)}; a split would move files for nothing`,
      'nothing to do; plan again when `sixty report` shows the target over budget',
    );
  }
  const { components, cycles } = condense(movable, edges, costOf, coChange, kept);
  const order = dependencyOrder(components);
  const placed = placeComponents(components, order, { capacityMs, loopCapacityMs: capacityMs, keptMs });

  const partOfFile = new Map<string, number>();
  const liveParts = orderParts(placed, components);
  liveParts.forEach((part, index) => {
    for (const component of part.components) for (const file of (components[component] as Component).files) partOfFile.set(file, index);
  });
  const testsOfPart = attachTestGroups(testGroups, liveParts.length, edges, partOfFile, kept);

  const names = partNames(liveParts, components, options);
  const projects: PlanProject[] = liveParts.map((part, index) => {
    const partFiles = [...[...part.components].flatMap((component) => (components[component] as Component).files), ...(testsOfPart.get(index) ?? [])].sort(compareStrings);
    const dependsOn = new Set<string>();
    for (const file of partFiles) {
      for (const edge of edgesFrom(file)) {
        const target = partOfFile.get(edge.to);
        if (target !== undefined && target !== index) dependsOn.add(names[target] as string);
      }
    }
    const name = names[index] as string;
    const root = rootFor(options.projectRoot, name);
    const typeScript = partFiles.filter((file) => /\.[cm]?tsx?$/.test(file)).length * 2 >= partFiles.length;
    return {
      name,
      root,
      files: partFiles,
      dependsOn: [...dependsOn].sort(compareStrings),
      entry: `${root}/src/index.${typeScript ? 'ts' : 'js'}`,
      estimatedMs: startupMs + partFiles.reduce((sum, file) => sum + costOf(file), 0),
    };
  });

  const facade: PlanFacadeExport[] = [];
  for (const entry of options.graph.entryPoints) {
    if (!kept.has(entry)) continue;
    for (const edge of edgesFrom(entry)) {
      const target = partOfFile.get(edge.to);
      if (target !== undefined) facade.push({ from: entry, project: names[target] as string, module: edge.to });
    }
  }
  facade.sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.module, b.module));

  let cutWeight = 0;
  for (const edge of edges) {
    const from = partOfFile.get(edge.from);
    const to = partOfFile.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) cutWeight += 1 + coChange.weight(edge.from, edge.to);
  }
  const keptList = [...kept].sort(compareStrings);
  keptMs = startupMs + keptList.reduce((sum, file) => sum + costOf(file), 0); // with the test groups no part could take
  refuseUselessSplit(options, projects, components, keptList, keptMs, startupMs);
  const floor = loopFloor(components, keptMs, options.graph.entryPoints.find((file) => kept.has(file)));
  const loops = splitLoopTimes({ projects, facade, keptEstimatedMs: keptMs } as SplitPlan, edges, options.projectName);
  const longest = loops.reduce((max, loop) => (loop.loopMs > max.loopMs ? loop : max), loops[0] as (typeof loops)[number]);
  const rationale = [
    `Split ${options.projectName} (${files.length} files, ${Math.round(totalMs)} ms) into ${projects.length} project${projects.length === 1 ? '' : 's'} whose files take at most ${Math.round(capacityMs)} ms each (${startupMs > 0 ? `the least of ${Math.round(margin * 100)}% of the ${Math.round(options.budgetMs)} ms budget and what it leaves after the ${Math.round(startupMs)} ms of start-up each part's build pays, estimated from the fastest run of another project` : `${Math.round(margin * 100)}% of the ${Math.round(options.budgetMs)} ms budget`}), forming an acyclic graph.`,
    cycles > 0 ? `${cycles} import cycle(s) kept whole inside one part.` : '',
    `Cut weight ${cutWeight} (import edges between parts, each 1 + its co-change count).`,
    keptList.length > 0 ? keptSentence(options.projectName, keptList.length, options.graph.entryPoints.filter((entry) => kept.has(entry)).length, configuration.length, keptMs, facade.length) : '',
    `Longest loop: a change to ${longest.part} waits ${Math.round(longest.loopMs)} ms (its build, then ${longest.after.length === 0 ? 'nothing else' : longest.after.join(', ')}).`,
    floor.estimatedMs > options.budgetMs
      ? `No split gets every loop under the budget: the module chain ${chainText(floor.files)} takes ${Math.round(floor.estimatedMs)} ms in a row; break that chain (an interface both sides import, or fewer imports through it).`
      : '',
  ]
    .filter((line) => line !== '')
    .join(' ');

  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'split',
    task: options.task,
    budgetMs: options.budgetMs,
    rationale,
    source: options.source ?? 'local',
    projects,
    facade,
    cutEdges: cutWeight,
    keptFiles: keptList,
    keptEstimatedMs: keptMs,
    ...(floor.estimatedMs > options.budgetMs ? { loopFloor: floor } : {}),
  };
}

/** `a.ts -> b.ts -> (entry)`, long chains cut in the middle. */
function chainText(files: readonly string[]): string {
  const shown = files.length > 6 ? [...files.slice(0, 3), `... ${files.length - 5} more`, ...files.slice(-2)] : files;
  return shown.join(' -> ');
}

/**
 * Refuses a split that cannot help: one part only (it and the old project rebuild in a row, so no
 * loop gets shorter), a part over budget on its own (an import cycle or file larger than the
 * budget: the floor no partition gets under), or what must stay in the old project over budget.
 */
function refuseUselessSplit(options: PlanSplitOptions, projects: readonly PlanProject[], components: readonly Component[], keptList: readonly string[], keptMs: number, startupMs: number): void {
  const oversized = components.filter((component) => startupMs + component.costMs > options.budgetMs).sort((a, b) => b.costMs - a.costMs)[0];
  if (oversized !== undefined) {
    const what = oversized.files.length === 1 ? `the module ${oversized.files[0]}` : `the import cycle of ${oversized.files.length} modules (${oversized.files.slice(0, 4).join(', ')}${oversized.files.length > 4 ? ', ...' : ''})`;
    throw new SixtyError(
      'NO_USEFUL_PLAN',
      `no split gets every part of ${options.projectName} under the ${formatMs(options.budgetMs)} budget: ${what} takes ${formatMs(startupMs + oversized.costMs)} on its own${startupMs > 0 ? ` (with the ${formatMs(startupMs)} start-up of its build)` : ''}, and a part holds it whole`,
      oversized.files.length === 1 ? 'split that module first, then plan again' : 'break that import cycle (move what both sides need into a module both import), then plan again',
    );
  }
  if (keptMs > options.budgetMs) {
    throw new SixtyError(
      'NO_USEFUL_PLAN',
      `no split gets ${options.projectName} under the ${formatMs(options.budgetMs)} budget: what must stay in it (${keptList.length} files: its entry, configuration files and the modules that import them, e.g. ${keptList.slice(0, 3).join(', ')}) takes ${formatMs(keptMs)}`,
      'import modules directly rather than through the entry or package.json, then plan again',
    );
  }
  if (projects.length < 2) {
    throw new SixtyError(
      'NO_USEFUL_PLAN',
      `a split of ${options.projectName} into one new project would not help: the part (${formatMs(projects[0]?.estimatedMs ?? 0)}) and what stays (${formatMs(keptMs)}) rebuild in a row after every change to the part`,
      'nothing to apply; a larger project, or a smaller budget, gives a split of two or more parts',
    );
  }
}

/**
 * The heaviest chain of components, each imported by the next, ending at one the old project
 * imports (which then rebuilds too): the least loop time any split can give a change to its first.
 */
function loopFloor(components: readonly Component[], keptMs: number, entry: string | undefined): { files: string[]; estimatedMs: number } {
  const memo = new Map<number, { ms: number; next: number | undefined }>();
  const above = (index: number): { ms: number; next: number | undefined } => {
    const known = memo.get(index);
    if (known !== undefined) return known;
    const component = components[index] as Component;
    let best = { ms: component.importedByKept ? keptMs : 0, next: undefined as number | undefined };
    for (const importer of [...component.in.keys()].sort((a, b) => a - b)) {
      const chain = above(importer).ms;
      if (chain > best.ms) best = { ms: chain, next: importer };
    }
    const result = { ms: component.costMs + best.ms, next: best.next };
    memo.set(index, result);
    return result;
  };
  // Iterative warm-up from the top keeps recursion shallow on deep chains.
  const order = dependencyOrder(components);
  for (let position = order.length - 1; position >= 0; position--) above(order[position] as number);
  let start = 0;
  for (let index = 1; index < components.length; index++) if (above(index).ms > above(start).ms) start = index;
  const files: string[] = [];
  let keptAtTop = false;
  for (let at: number | undefined = start; at !== undefined; at = above(at).next) {
    const component = components[at] as Component;
    files.push(component.files[0] as string); // an import cycle by its first file
    if (above(at).next === undefined) keptAtTop = component.importedByKept;
  }
  if (keptAtTop && entry !== undefined) files.push(entry);
  return { files, estimatedMs: components.length === 0 ? 0 : above(start).ms };
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/**
 * Test files with the files only tests use (fixtures, test helpers, test-only declarations), in
 * groups that share such a file: a group moves whole, so a fixture stays next to every test using it.
 * Files that stay in the old project are left out.
 */
function groupTestFiles(files: ImportGraph['files'], edges: ImportGraph['edges'], kept: ReadonlySet<string>): string[][] {
  const isTest = new Set(files.filter((file) => file.isTest && !kept.has(file.path)).map((file) => file.path));
  const importers = new Map<string, string[]>();
  for (const edge of edges) {
    const list = importers.get(edge.to);
    if (list) list.push(edge.from);
    else importers.set(edge.to, [edge.from]);
  }
  // Support files: imported, and only by tests or other support files (grown to a fixpoint).
  const support = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const file of files) {
      const path = file.path;
      if (isTest.has(path) || support.has(path) || kept.has(path)) continue;
      const users = importers.get(path) ?? [];
      if (users.length > 0 && users.every((user) => isTest.has(user) || support.has(user))) {
        support.add(path);
        changed = true;
      }
    }
  }
  const parent = new Map<string, string>();
  const find = (file: string): string => {
    let root = file;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    parent.set(file, root);
    return root;
  };
  for (const file of [...isTest, ...support]) parent.set(file, file);
  for (const file of support) for (const user of importers.get(file) ?? []) if (parent.has(user)) parent.set(find(user), find(file));
  const groups = new Map<string, string[]>();
  for (const file of parent.keys()) {
    const root = find(file);
    const group = groups.get(root);
    if (group) group.push(file);
    else groups.set(root, [file]);
  }
  return [...groups.values()].map((group) => group.sort(compareStrings)).sort((a, b) => compareStrings(a[0] as string, b[0] as string));
}

/**
 * Puts each test group in the part of the module it tests (the one named like its test file,
 * else the part it imports most), when that closes no cycle between the parts; a group no part
 * can take stays in the old project, which imports every part anyway. Part index -> files.
 */
function attachTestGroups(groups: readonly string[][], partCount: number, edges: ImportGraph['edges'], partOfFile: Map<string, number>, kept: Set<string>): Map<number, string[]> {
  const dependencies = Array.from({ length: partCount }, () => new Set<number>());
  for (const edge of edges) {
    const from = partOfFile.get(edge.from);
    const to = partOfFile.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) (dependencies[from] as Set<number>).add(to);
  }
  const reaches = (start: number, goal: number): boolean => {
    const seen = new Set([start]);
    const pending = [start];
    while (pending.length > 0) {
      const at = pending.pop() as number;
      if (at === goal) return true;
      for (const next of dependencies[at] as Set<number>) if (!seen.has(next)) seen.add(next), pending.push(next);
    }
    return false;
  };
  const attached = new Map<number, string[]>();
  for (const group of groups) {
    const members = new Set(group);
    const weight = new Map<number, number>();
    let named: number | undefined;
    for (const edge of edges) {
      if (!members.has(edge.from) || members.has(edge.to)) continue;
      const part = partOfFile.get(edge.to);
      if (part === undefined) continue;
      weight.set(part, (weight.get(part) ?? 0) + 1);
      if (testedModuleName(edge.from) === moduleName(edge.to)) named ??= part;
    }
    const imported = [...weight.keys()];
    const candidates = [...imported].sort((a, b) => Number(b === named) - Number(a === named) || (weight.get(b) as number) - (weight.get(a) as number) || a - b);
    const home = candidates.find((part) => imported.every((other) => other === part || !reaches(other, part)));
    if (home === undefined) {
      for (const file of group) kept.add(file);
      continue;
    }
    for (const file of group) partOfFile.set(file, home);
    for (const other of imported) if (other !== home) (dependencies[home] as Set<number>).add(other);
    attached.set(home, [...(attached.get(home) ?? []), ...group]);
  }
  return attached;
}

/** `src/a/parse.spec.ts` -> `parse`; the module a test is named for. */
function testedModuleName(file: string): string {
  return moduleName(file).replace(/\.(?:test|spec)$/, '');
}

function moduleName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1).replace(/\.d\.[cm]?ts$|\.[cm]?[jt]sx?$|\.json$/, '');
}

function keptSentence(project: string, keptCount: number, entryCount: number, configurationCount: number, keptMs: number, facadeCount: number): string {
  const importers = keptCount - entryCount - configurationCount;
  const configurationPart = configurationCount > 0 ? `, ${configurationCount} configuration file(s) (they never move)` : '';
  return `${project} keeps its entry${configurationPart} and ${importers} file(s) that import ${configurationCount > 0 ? 'them' : 'it'} (${Math.round(keptMs)} ms) and re-exports ${facadeCount} moved module(s) as a facade.`;
}

function checkOptions(options: PlanSplitOptions, margin: number): void {
  if (!(Number.isFinite(options.budgetMs) && options.budgetMs > 0)) {
    throw new SixtyError('INVALID_ARGUMENT', `budgetMs must be a positive number of milliseconds, got ${options.budgetMs}`, 'pass the target budget, e.g. 60000');
  }
  if (!(Number.isFinite(margin) && margin > 0 && margin <= 1)) {
    throw new SixtyError('INVALID_ARGUMENT', `safetyMargin must be in (0, 1], got ${margin}`, 'pass a fraction of the budget such as 0.85');
  }
  if (options.graph.files.length === 0) {
    throw new SixtyError('INVALID_ARGUMENT', `${options.projectName} has no source files to split`, 'check the project root; readImportGraph lists its files');
  }
}

function costLookup(costs: PlanSplitOptions['fileCosts']): (file: string) => number {
  const read = costs instanceof Map ? (file: string) => costs.get(file) : (file: string) => (Object.prototype.hasOwnProperty.call(costs, file) ? (costs as Record<string, number>)[file] : undefined);
  return (file) => {
    const value = read(file);
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
  };
}

interface CoChangeLookup {
  weight(a: string, b: string): number;
  /** The usable pairs (positive finite weight). */
  pairs: readonly CoChangePair[];
}

function coChangeLookup(coChange: PlanSplitOptions['coChange']): CoChangeLookup {
  const given: readonly CoChangePair[] = coChange === undefined ? [] : Array.isArray(coChange) ? coChange : (coChange as CoChangeWeights).pairs;
  const pairs = given.filter((pair) => Number.isFinite(pair.weight) && pair.weight > 0 && pair.a !== pair.b);
  const weights = new Map<string, number>();
  for (const pair of pairs) weights.set(pairKey(pair.a, pair.b), (weights.get(pairKey(pair.a, pair.b)) ?? 0) + pair.weight);
  return { weight: (a, b) => (weights.size === 0 ? 0 : (weights.get(pairKey(a, b)) ?? 0)), pairs };
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\0${b}` : `${b}\0${a}`;
}

/** The seeds (entries, configuration files) and every file that imports them, directly or not: moving one would import the old project back. */
function keptFiles(seeds: readonly string[], edges: ImportGraph['edges']): Set<string> {
  const importers = new Map<string, string[]>();
  for (const edge of edges) {
    const list = importers.get(edge.to);
    if (list) list.push(edge.from);
    else importers.set(edge.to, [edge.from]);
  }
  const kept = new Set(seeds);
  const pending = [...seeds];
  while (pending.length > 0) {
    for (const importer of importers.get(pending.pop() as string) ?? []) {
      if (!kept.has(importer)) {
        kept.add(importer);
        pending.push(importer);
      }
    }
  }
  return kept;
}

/** Strongly connected components of the movable files, with weighted edges between components. */
function condense(
  movable: readonly string[],
  edges: ImportGraph['edges'],
  costOf: (file: string) => number,
  coChange: CoChangeLookup,
  kept: ReadonlySet<string>,
): { components: Component[]; componentOf: Map<string, number>; cycles: number } {
  const graph = new DirectedGraph();
  for (const file of movable) graph.addNode(file);
  for (const edge of edges) if (graph.hasNode(edge.from) && graph.hasNode(edge.to)) graph.mergeEdge(edge.from, edge.to);
  const groups = stronglyConnectedComponents(graph)
    .map((group) => [...group].sort(compareStrings))
    .sort((a, b) => compareStrings(a[0] as string, b[0] as string));
  const componentOf = new Map<string, number>();
  const components: Component[] = groups.map((group, index) => {
    for (const file of group) componentOf.set(file, index);
    return { files: group, costMs: group.reduce((sum, file) => sum + costOf(file), 0), out: new Map(), in: new Map(), affinity: new Map(), importedByKept: false };
  });
  for (const edge of edges) {
    const target = kept.has(edge.from) ? componentOf.get(edge.to) : undefined;
    if (target !== undefined) (components[target] as Component).importedByKept = true;
  }
  const add = (map: Map<number, number>, key: number, weight: number): void => {
    map.set(key, (map.get(key) ?? 0) + weight);
  };
  const linked = new Set<string>();
  graph.forEachEdge((_edge, _attributes, from, to) => {
    const a = componentOf.get(from) as number;
    const b = componentOf.get(to) as number;
    linked.add(pairKey(from, to));
    if (a === b) return;
    const weight = 1 + coChange.weight(from, to);
    add((components[a] as Component).out, b, weight);
    add((components[b] as Component).in, a, weight);
  });
  // Co-change between files with no import between them pulls their components together too.
  for (const pair of coChange.pairs) {
    const a = componentOf.get(pair.a);
    const b = componentOf.get(pair.b);
    if (a === undefined || b === undefined || a === b || linked.has(pairKey(pair.a, pair.b))) continue;
    add((components[a] as Component).affinity, b, pair.weight);
    add((components[b] as Component).affinity, a, pair.weight);
  }
  return { components, componentOf, cycles: groups.filter((group) => group.length > 1).length };
}

/** Depth-first post-order over the components: dependencies before dependents, related ones adjacent. */
function dependencyOrder(components: readonly Component[]): number[] {
  const order: number[] = [];
  const state = new Uint8Array(components.length); // 0 new, 1 open, 2 done
  const sortedOut = components.map((component) => [...component.out.keys()].sort((a, b) => a - b));
  for (let root = 0; root < components.length; root++) {
    if (state[root] !== 0) continue;
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [node, next] = top;
      const children = sortedOut[node] as number[];
      if (next < children.length) {
        top[1] = next + 1;
        const child = children[next] as number;
        if (state[child] === 0) {
          state[child] = 1;
          stack.push([child, 0]);
        }
      } else {
        state[node] = 2;
        order.push(node);
        stack.pop();
      }
    }
  }
  return order;
}

/** Parts in dependency order (a part after the parts it imports), ties by their first file. */
function orderParts(parts: Part[], components: readonly Component[]): Part[] {
  const partOf = new Map<number, number>();
  parts.forEach((part, position) => {
    for (const component of part.components) partOf.set(component, position);
  });
  const dependencies = parts.map(() => new Set<number>());
  parts.forEach((part, position) => {
    for (const component of part.components) {
      for (const target of (components[component] as Component).out.keys()) {
        const targetPosition = partOf.get(target) as number;
        if (targetPosition !== position) (dependencies[position] as Set<number>).add(targetPosition);
      }
    }
  });
  const ordered: Part[] = [];
  const placed = new Set<number>();
  // Ties by the first file each holds: the order (and so the names) does not depend on placement order.
  const firstFile = parts.map((part) => [...part.components].flatMap((component) => (components[component] as Component).files).sort(compareStrings)[0] ?? '');
  const byId = parts.map((_, position) => position).sort((a, b) => compareStrings(firstFile[a] as string, firstFile[b] as string));
  while (ordered.length < parts.length) {
    const next = byId.find((position) => !placed.has(position) && [...(dependencies[position] as Set<number>)].every((dependency) => placed.has(dependency)));
    // The placement never creates a cycle; should one appear, fall back to creation order rather than loop.
    const position = next ?? (byId.find((candidate) => !placed.has(candidate)) as number);
    placed.add(position);
    ordered.push(parts[position] as Part);
  }
  return ordered;
}

const TEST_PATH = /(?:^|\/)(?:__tests__|tests?|spec)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;

/**
 * `<prefix>-<folder>` when most of a part's files share a folder under src/, else
 * `<prefix>-part-<n>`; made unique against each other and the existing projects.
 */
function partNames(parts: readonly Part[], components: readonly Component[], options: PlanSplitOptions): string[] {
  const prefix = options.namePrefix ?? options.projectName;
  const taken = new Set(options.existingProjects.map((name) => name.toLowerCase()));
  taken.add(options.projectName.toLowerCase());
  const projectPrefix = options.projectRoot === '' ? '' : `${options.projectRoot}/`;
  return parts.map((part, index) => {
    // a part is named for its modules, not for the tests that follow them
    const files = [...part.components].flatMap((component) => (components[component] as Component).files).filter((file) => !TEST_PATH.test(file));
    const counts = new Map<string, number>();
    for (const file of files) {
      const inner = file.slice(projectPrefix.length).replace(/^src\//, '');
      const slash = inner.indexOf('/');
      if (slash > 0) counts.set(inner.slice(0, slash), (counts.get(inner.slice(0, slash)) ?? 0) + 1);
    }
    const [folder, count] = [...counts.entries()].sort((a, b) => b[1] - a[1] || compareStrings(a[0], b[0]))[0] ?? ['', 0];
    const suffix = folder !== '' && count * 2 >= files.length ? sanitize(folder) : '';
    const candidates = [suffix !== '' ? `${prefix}-${suffix}` : '', `${prefix}-part-${index + 1}`, `${sanitize(prefix) || 'project'}-part-${index + 1}`].filter((name) => name !== '');
    for (const base of candidates) {
      for (let attempt = 1; attempt < 1000; attempt++) {
        const name = attempt === 1 ? base : `${base}-${attempt}`;
        if (isValidProjectName(name) && !taken.has(name.toLowerCase())) {
          taken.add(name.toLowerCase());
          return name;
        }
      }
    }
    throw new SixtyError('INVALID_ARGUMENT', `no free project name for part ${index + 1} of ${options.projectName}`, 'pass a namePrefix that is a valid Nx project name');
  });
}

function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '');
}

/** Next to the old project: libs/lib-c + lib-c-utils -> libs/lib-c-utils; under libs/ for a root project. */
function rootFor(projectRoot: string, name: string): string {
  const base = name.slice(name.indexOf('/') + 1);
  if (projectRoot === '') return `libs/${base}`;
  const slash = projectRoot.lastIndexOf('/');
  return slash === -1 ? base : `${projectRoot.slice(0, slash)}/${base}`;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
