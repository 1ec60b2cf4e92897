/**
 * Where each import component goes in a split: a budgeted, acyclic partition that keeps the loop
 * time of a change to any part low. The loop time of a part is its own cost plus the heaviest
 * chain of parts (and finally the old project, the facade) that import it: nx rebuilds them in
 * a row. Parts stacked in a deep chain make a change at the bottom wait for all of them, so the
 * placement weighs that depth, not only the import edges it cuts.
 */

/** A strongly connected group of files (one file, or an import cycle). */
export interface Component {
  files: string[];
  costMs: number;
  /** Component -> weight of the import edges from this one to it. */
  out: Map<number, number>;
  /** Component -> weight of the import edges from it to this one. */
  in: Map<number, number>;
  /** Component -> co-change weight between files not linked by an import. */
  affinity: Map<number, number>;
  /** A file that stays in the old project imports this component (so the facade rebuilds after it). */
  importedByKept: boolean;
}

export interface Part {
  id: number;
  costMs: number;
  components: Set<number>;
}

export interface PlacementLimits {
  /** Most a part may cost (budget x margin). */
  capacityMs: number;
  /** Most the loop time of a change to a part may be, when it can be held (budget x margin). */
  loopCapacityMs: number;
  /** What stays in the old project: it rebuilds last, after every part it imports. */
  keptMs: number;
}

/** Bound on improvement passes over the components: each pass only accepts strict gains. */
const IMPROVEMENT_PASSES = 2;

/** The parts, their costs and the import counts between them, kept current as components move. */
class PartGraph {
  readonly parts = new Map<number, Part>();
  readonly partOf: Int32Array;
  /** importer part -> imported part -> component edges */
  private readonly imports = new Map<number, Map<number, number>>();
  /** part -> edges from kept files into it */
  private readonly keptImports = new Map<number, number>();
  private nextId = 0;

  constructor(
    private readonly components: readonly Component[],
    private readonly limits: PlacementLimits,
  ) {
    this.partOf = new Int32Array(components.length).fill(-1);
  }

  openPart(): Part {
    const part: Part = { id: this.nextId++, costMs: 0, components: new Set() };
    this.parts.set(part.id, part);
    return part;
  }

  add(index: number, partId: number): void {
    this.shift(index, partId, 1);
    const part = this.parts.get(partId) as Part;
    part.components.add(index);
    part.costMs += (this.components[index] as Component).costMs;
    this.partOf[index] = partId;
  }

  remove(index: number): void {
    const partId = this.partOf[index] as number;
    const part = this.parts.get(partId) as Part;
    part.components.delete(index);
    part.costMs -= (this.components[index] as Component).costMs;
    this.partOf[index] = -1;
    this.shift(index, partId, -1);
  }

  /** Counts (or uncounts) the edges between `index` in `partId` and its placed neighbours. */
  private shift(index: number, partId: number, delta: number): void {
    const component = this.components[index] as Component;
    for (const target of component.out.keys()) {
      const targetPart = this.partOf[target] as number;
      if (targetPart >= 0) this.bump(partId, targetPart, delta);
    }
    for (const source of component.in.keys()) {
      const sourcePart = this.partOf[source] as number;
      if (sourcePart >= 0) this.bump(sourcePart, partId, delta);
    }
    if (component.importedByKept) this.keptImports.set(partId, (this.keptImports.get(partId) ?? 0) + delta);
  }

  private bump(from: number, to: number, delta: number): void {
    if (from === to) return;
    let row = this.imports.get(from);
    if (!row) this.imports.set(from, (row = new Map()));
    const value = (row.get(to) ?? 0) + delta;
    if (value === 0) row.delete(to);
    else row.set(to, value);
  }

  acyclic(): boolean {
    const indegree = new Map<number, number>();
    for (const id of this.parts.keys()) indegree.set(id, 0);
    for (const row of this.imports.values()) for (const to of row.keys()) indegree.set(to, (indegree.get(to) ?? 0) + 1);
    const ready = [...indegree.entries()].filter(([, degree]) => degree === 0).map(([id]) => id);
    let seen = 0;
    while (ready.length > 0) {
      const id = ready.pop() as number;
      seen++;
      for (const to of this.imports.get(id)?.keys() ?? []) {
        const degree = (indegree.get(to) as number) - 1;
        indegree.set(to, degree);
        if (degree === 0) ready.push(to);
      }
    }
    return seen === this.parts.size;
  }

  /** The longest loop time over the parts (call on an acyclic graph). */
  maxLoopMs(): number {
    let max = 0;
    for (const loop of this.loopTimes().values()) max = Math.max(max, loop);
    return max;
  }

  /** Part -> its loop time: its cost plus the heaviest chain of parts (then the old project) importing it. */
  loopTimes(): Map<number, number> {
    const importers = new Map<number, number[]>();
    for (const [from, row] of this.imports) {
      for (const to of row.keys()) {
        const list = importers.get(to);
        if (list) list.push(from);
        else importers.set(to, [from]);
      }
    }
    const memo = new Map<number, number>();
    const loop = (id: number): number => {
      const known = memo.get(id);
      if (known !== undefined) return known;
      memo.set(id, 0); // guards a cycle; acyclic graphs never read it
      let above = (this.keptImports.get(id) ?? 0) > 0 ? this.limits.keptMs : 0;
      for (const importer of importers.get(id) ?? []) above = Math.max(above, loop(importer));
      const value = (this.parts.get(id) as Part).costMs + above;
      memo.set(id, value);
      return value;
    };
    for (const id of this.parts.keys()) loop(id);
    return memo;
  }

  /** Removes empty parts. */
  prune(): void {
    for (const [id, part] of this.parts) if (part.components.size === 0) this.parts.delete(id);
  }
}

/** How a component would fare in a part: past the loop capacity first, then import ties. */
interface Candidate {
  partId: number;
  /** max(loop capacity, the longest loop time once placed, counting the chain it imports as parts below it): lower is better. */
  loopMs: number;
  tie: number;
  isNew: boolean;
  costMs: number;
}

function better(a: Candidate, b: Candidate | undefined, currentId: number | undefined): boolean {
  if (b === undefined) return true;
  if (a.loopMs !== b.loopMs) return a.loopMs < b.loopMs;
  if (a.tie !== b.tie) return a.tie > b.tie;
  if (a.isNew !== b.isNew) return !a.isNew;
  if ((a.partId === currentId) !== (b.partId === currentId)) return a.partId === currentId;
  return a.costMs < b.costMs || (a.costMs === b.costMs && a.partId < b.partId);
}

function tiesOf(component: Component, partOf: Int32Array): Map<number, number> {
  const ties = new Map<number, number>();
  for (const neighbours of [component.out, component.in, component.affinity]) {
    for (const [neighbour, weight] of neighbours) {
      const part = partOf[neighbour] as number;
      if (part >= 0) ties.set(part, (ties.get(part) ?? 0) + weight);
    }
  }
  return ties;
}

/**
 * Places the components importers first (`order` lists dependencies before dependents; it is
 * walked backwards), each into the part that keeps the longest loop time lowest (held at the loop
 * capacity, any part under it is as good), then the one it has the heaviest import and co-change
 * ties with, then an existing part before a new one; never past the capacity or into a cycle. A
 * component over the capacity gets a part of its own. Then single components move to a neighbouring
 * part when that lowers the cut weight without lengthening the longest loop.
 */
export function placeComponents(components: readonly Component[], order: readonly number[], limits: PlacementLimits): Part[] {
  const graph = new PartGraph(components, limits);
  // The heaviest chain of modules a component imports: placed later, below it, they may each end
  // up in a part under its own, and a change to them waits for its part too.
  const below = new Float64Array(components.length);
  for (const index of order) {
    let deepest = 0;
    for (const dependency of (components[index] as Component).out.keys()) deepest = Math.max(deepest, (components[dependency] as Component).costMs + (below[dependency] as number));
    below[index] = deepest;
  }
  let current: number | undefined;
  for (let position = order.length - 1; position >= 0; position--) {
    const index = order[position] as number;
    const component = components[index] as Component;
    const ties = tiesOf(component, graph.partOf);
    let best: Candidate | undefined;
    const consider = (partId: number, isNew: boolean): void => {
      graph.add(index, partId);
      if (graph.acyclic()) {
        const loops = graph.loopTimes();
        let longest = (loops.get(partId) as number) + (below[index] as number);
        for (const loop of loops.values()) longest = Math.max(longest, loop);
        const candidate: Candidate = {
          partId,
          loopMs: Math.max(limits.loopCapacityMs, longest),
          tie: ties.get(partId) ?? 0,
          isNew,
          costMs: (graph.parts.get(partId) as Part).costMs - component.costMs,
        };
        if (better(candidate, best, current)) best = candidate;
      }
      graph.remove(index);
    };
    if (component.costMs <= limits.capacityMs) {
      const candidates = new Set(ties.keys());
      if (current !== undefined) candidates.add(current);
      let roomiest: Part | undefined;
      for (const part of graph.parts.values()) if (roomiest === undefined || part.costMs < roomiest.costMs) roomiest = part;
      if (roomiest !== undefined) candidates.add(roomiest.id);
      for (const partId of candidates) {
        if ((graph.parts.get(partId) as Part).costMs + component.costMs <= limits.capacityMs) consider(partId, false);
      }
    }
    const fresh = graph.openPart();
    consider(fresh.id, true);
    // A new part always fits and closes no cycle (nothing it holds imports anything yet).
    const chosen = (best as Candidate).partId;
    if (chosen !== fresh.id) graph.parts.delete(fresh.id);
    graph.add(index, chosen);
    if (component.costMs <= limits.capacityMs && (chosen === fresh.id || chosen === current || current === undefined)) current = chosen;
  }
  improvePlacement(components, order, graph, limits);
  graph.prune();
  return [...graph.parts.values()];
}

function improvePlacement(components: readonly Component[], order: readonly number[], graph: PartGraph, limits: PlacementLimits): void {
  let longest = Math.max(limits.loopCapacityMs, graph.maxLoopMs());
  for (let pass = 0; pass < IMPROVEMENT_PASSES; pass++) {
    let improved = false;
    for (const index of order) {
      const component = components[index] as Component;
      const home = graph.partOf[index] as number;
      const ties = tiesOf(component, graph.partOf);
      const homeTie = ties.get(home) ?? 0;
      const candidates = [...ties.entries()]
        .filter(([part, tie]) => part !== home && tie > homeTie && (graph.parts.get(part) as Part).costMs + component.costMs <= limits.capacityMs)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const [target] of candidates) {
        graph.remove(index);
        graph.add(index, target);
        if (graph.acyclic()) {
          const loop = graph.maxLoopMs();
          if (loop <= longest) {
            longest = Math.max(limits.loopCapacityMs, loop);
            improved = true;
            break;
          }
        }
        graph.remove(index);
        graph.add(index, home);
      }
    }
    if (!improved) break;
  }
}
