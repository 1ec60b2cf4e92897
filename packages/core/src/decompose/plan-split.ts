import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import { SixtyError } from '../errors/sixty-error';
import type { ImportGraph } from '../imports/import-graph-types';
import { PLAN_SCHEMA_VERSION, type PlanFacadeExport, type PlanProject, type PlanSource, type SplitPlan } from '../plan/plan-types';
import { isProjectConfigurationFile } from '../plan/project-configuration-files';
import { isValidProjectName } from '../plan/project-name';
import { normalizeProjectRoot } from '../plan/safe-path';
import type { CoChangePair, CoChangeWeights } from './co-change';
import { DEFAULT_SAFETY_MARGIN } from './plan-shards';

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
  /** Files changed together in git (coChangeWeights): an import edge weighs 1 + its pair's weight. */
  coChange?: readonly CoChangePair[] | CoChangeWeights;
  /** Names of the workspace's projects: new names avoid them. */
  existingProjects: readonly string[];
  /** Start of every new project's name. Default: the project's name. */
  namePrefix?: string;
  source?: PlanSource;
}

/** Bound on improvement passes over the components: each pass only accepts strict gains. */
const IMPROVEMENT_PASSES = 2;

interface Component {
  files: string[];
  costMs: number;
  /** Component -> weight of the import edges from this one to it. */
  out: Map<number, number>;
  /** Component -> weight of the import edges from it to this one. */
  in: Map<number, number>;
  /** Component -> co-change weight between files not linked by an import. */
  affinity: Map<number, number>;
}

interface Part {
  id: number;
  costMs: number;
  components: Set<number>;
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
  const capacityMs = options.budgetMs * margin;
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
  const kept = keptFiles([...options.graph.entryPoints.filter((entry) => fileSet.has(entry)), ...configuration], edges);
  const movable = files.filter((file) => !kept.has(file));
  if (movable.length === 0) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      configuration.length === 0
        ? `${options.projectName} has nothing to split: every file is its entry or imports it`
        : `${options.projectName} has nothing to split: every file is its entry, a configuration file (${configuration.slice(0, 3).join(', ')}), or imports one of them`,
      'import modules directly instead of through the project entry (index), then plan again',
    );
  }

  const { components, cycles } = condense(movable, edges, costOf, coChange);
  const order = dependencyOrder(components);
  const parts = placeComponents(components, order, capacityMs);
  improvePlacement(components, order, parts, capacityMs);

  const partOfFile = new Map<string, number>();
  const liveParts = orderParts([...parts.values()].filter((part) => part.components.size > 0), components);
  liveParts.forEach((part, index) => {
    for (const component of part.components) for (const file of (components[component] as Component).files) partOfFile.set(file, index);
  });

  const names = partNames(liveParts, components, options);
  const projects: PlanProject[] = liveParts.map((part, index) => {
    const partFiles = [...part.components].flatMap((component) => (components[component] as Component).files).sort(compareStrings);
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
      estimatedMs: partFiles.reduce((sum, file) => sum + costOf(file), 0),
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
  const keptMs = keptList.reduce((sum, file) => sum + costOf(file), 0);
  const totalMs = files.reduce((sum, file) => sum + costOf(file), 0);
  const over = projects.filter((project) => project.estimatedMs > options.budgetMs);
  const rationale = [
    `Split ${options.projectName} (${files.length} files, ${Math.round(totalMs)} ms) into ${projects.length} project${projects.length === 1 ? '' : 's'} of at most ${Math.round(capacityMs)} ms each (${Math.round(margin * 100)}% of the ${Math.round(options.budgetMs)} ms budget), forming an acyclic graph.`,
    cycles > 0 ? `${cycles} import cycle(s) kept whole inside one part.` : '',
    `Cut weight ${cutWeight} (import edges between parts, each 1 + its co-change count).`,
    keptList.length > 0 ? keptSentence(options.projectName, keptList.length, options.graph.entryPoints.filter((entry) => kept.has(entry)).length, configuration.length, keptMs, facade.length) : '',
    over.length > 0 ? `Over budget even alone (a single file or import cycle larger than the budget): ${over.map((project) => project.name).join(', ')}; split that file or break that cycle first.` : '',
    keptMs > options.budgetMs ? `What stays in ${options.projectName} (${Math.round(keptMs)} ms) is over budget: import modules directly rather than through the entry.` : '',
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
  };
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
    return { files: group, costMs: group.reduce((sum, file) => sum + costOf(file), 0), out: new Map(), in: new Map(), affinity: new Map() };
  });
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

/** Greedy placement in dependency order; see planSplit. */
function placeComponents(components: readonly Component[], order: readonly number[], capacityMs: number): Map<number, Part> {
  const parts = new Map<number, Part>();
  const partOf = new Int32Array(components.length).fill(-1);
  const partDependencies = new Map<number, Set<number>>();
  let current: Part | undefined;
  let nextId = 0;
  const openPart = (): Part => {
    const part: Part = { id: nextId++, costMs: 0, components: new Set() };
    parts.set(part.id, part);
    partDependencies.set(part.id, new Set());
    return part;
  };
  const reachableFrom = (start: number): Set<number> => {
    const seen = new Set([start]);
    const pending = [start];
    while (pending.length > 0) {
      for (const next of partDependencies.get(pending.pop() as number) ?? []) {
        if (!seen.has(next)) {
          seen.add(next);
          pending.push(next);
        }
      }
    }
    return seen;
  };

  for (const index of order) {
    const component = components[index] as Component;
    const dependencyParts = new Set<number>();
    for (const dependency of component.out.keys()) dependencyParts.add(partOf[dependency] as number);
    // Joining part P adds P -> Q for each dependency part Q; that closes a cycle iff Q already reaches P.
    const forbidden = new Set<number>();
    for (const dependencyPart of dependencyParts) {
      for (const reached of reachableFrom(dependencyPart)) if (reached !== dependencyPart) forbidden.add(reached);
    }
    const score = new Map<number, number>();
    const tally = (neighbours: Map<number, number>): void => {
      for (const [neighbour, weight] of neighbours) {
        const part = partOf[neighbour] as number;
        if (part >= 0) score.set(part, (score.get(part) ?? 0) + weight);
      }
    };
    tally(component.out);
    tally(component.in);
    tally(component.affinity);
    const fits = (part: Part): boolean => part.costMs + component.costMs <= capacityMs && !forbidden.has(part.id);

    let chosen: Part | undefined;
    if (component.costMs <= capacityMs) {
      let bestScore = 0;
      for (const [partId, weight] of score) {
        const part = parts.get(partId) as Part;
        if (!fits(part)) continue;
        if (weight > bestScore || (weight === bestScore && chosen !== undefined && (part === current || (chosen !== current && part.id < chosen.id)))) {
          bestScore = weight;
          chosen = part;
        }
      }
      if (!chosen && current && fits(current)) chosen = current;
      // Unrelated to every placed part: fill the roomiest part that fits before opening another.
      if (!chosen) {
        for (const part of parts.values()) if (fits(part) && (chosen === undefined || part.costMs < chosen.costMs)) chosen = part;
      }
    }
    if (!chosen) {
      chosen = openPart();
      if (component.costMs <= capacityMs) current = chosen; // an oversized component stays alone
    }
    chosen.components.add(index);
    chosen.costMs += component.costMs;
    partOf[index] = chosen.id;
    const dependencies = partDependencies.get(chosen.id) as Set<number>;
    for (const dependencyPart of dependencyParts) if (dependencyPart !== chosen.id) dependencies.add(dependencyPart);
  }
  for (const part of parts.values()) for (const component of part.components) partOf[component] = part.id;
  return parts;
}

/**
 * Moves single components to the neighbouring part they are most tied to when that lowers the
 * cut weight, fits the capacity and keeps the part graph acyclic (checked on a weighted edge
 * count between parts, updated incrementally).
 */
function improvePlacement(components: readonly Component[], order: readonly number[], parts: Map<number, Part>, capacityMs: number): void {
  const partOf = new Map<number, number>();
  for (const part of parts.values()) for (const component of part.components) partOf.set(component, part.id);
  const between = new Map<number, Map<number, number>>(); // part -> part -> number of component edges
  const bump = (from: number, to: number, delta: number): void => {
    if (from === to) return;
    let row = between.get(from);
    if (!row) between.set(from, (row = new Map()));
    const value = (row.get(to) ?? 0) + delta;
    if (value === 0) row.delete(to);
    else row.set(to, value);
  };
  components.forEach((component, index) => {
    for (const target of component.out.keys()) bump(partOf.get(index) as number, partOf.get(target) as number, 1);
  });
  const move = (index: number, from: number, to: number): void => {
    const component = components[index] as Component;
    for (const target of component.out.keys()) {
      const targetPart = partOf.get(target) as number;
      bump(from, targetPart, -1);
      bump(to, targetPart, 1);
    }
    for (const source of component.in.keys()) {
      const sourcePart = partOf.get(source) as number;
      bump(sourcePart, from, -1);
      bump(sourcePart, to, 1);
    }
    partOf.set(index, to);
    (parts.get(from) as Part).components.delete(index);
    (parts.get(from) as Part).costMs -= component.costMs;
    (parts.get(to) as Part).components.add(index);
    (parts.get(to) as Part).costMs += component.costMs;
  };
  const acyclic = (): boolean => {
    const indegree = new Map<number, number>();
    for (const id of parts.keys()) indegree.set(id, 0);
    for (const row of between.values()) for (const to of row.keys()) indegree.set(to, (indegree.get(to) ?? 0) + 1);
    const ready = [...indegree.entries()].filter(([, degree]) => degree === 0).map(([id]) => id);
    let seen = 0;
    while (ready.length > 0) {
      const id = ready.pop() as number;
      seen++;
      for (const to of between.get(id)?.keys() ?? []) {
        const degree = (indegree.get(to) as number) - 1;
        indegree.set(to, degree);
        if (degree === 0) ready.push(to);
      }
    }
    return seen === parts.size;
  };

  for (let pass = 0; pass < IMPROVEMENT_PASSES; pass++) {
    let improved = false;
    for (const index of order) {
      const component = components[index] as Component;
      const home = partOf.get(index) as number;
      const ties = new Map<number, number>();
      for (const neighbours of [component.out, component.in, component.affinity]) {
        for (const [neighbour, weight] of neighbours) {
          const part = partOf.get(neighbour) as number;
          ties.set(part, (ties.get(part) ?? 0) + weight);
        }
      }
      const homeTie = ties.get(home) ?? 0;
      const candidates = [...ties.entries()]
        .filter(([part, tie]) => part !== home && tie > homeTie && (parts.get(part) as Part).costMs + component.costMs <= capacityMs)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [target] of candidates) {
        move(index, home, target);
        if (acyclic()) {
          improved = true;
          break;
        }
        move(index, target, home);
      }
    }
    if (!improved) break;
  }
}

/** Parts in dependency order (a part after the parts it imports), ties by creation. */
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
  const byId = parts.map((_, position) => position).sort((a, b) => (parts[a] as Part).id - (parts[b] as Part).id);
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
