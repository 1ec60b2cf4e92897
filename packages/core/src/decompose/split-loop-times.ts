import type { SplitPlan } from '../plan/plan-types';

/** The estimated loop time of a change to one part of a split: its build, then every build that waits for it. */
export interface PartLoopTime {
  part: string;
  /** The part's estimate plus the heaviest chain of builds that import it, up to the old project (the facade). */
  loopMs: number;
  /** The builds after it on that chain, in the order nx runs them (part names, then the old project's). */
  after: string[];
}

/**
 * The loop time of a change to each part, estimated from the plan alone: nx rebuilds the part,
 * then every project that imports it, and a project waits for all its dependencies; so the wait
 * is the part's estimate plus the heaviest chain of importers above it. The old project (the
 * facade, `keptEstimatedMs`) imports the parts it re-exports and the parts its kept files import.
 * Targets outside the split are not counted: `sixty report` measures the whole loop.
 */
export function splitLoopTimes(plan: SplitPlan, importEdges: ReadonlyArray<{ from: string; to: string }>, oldProject: string): PartLoopTime[] {
  const partOf = new Map<string, number>();
  plan.projects.forEach((part, index) => {
    for (const file of part.files) partOf.set(file, index);
  });
  const old = plan.projects.length;
  const importers = plan.projects.map(() => new Set<number>());
  for (const edge of importEdges) {
    const from = partOf.get(edge.from) ?? old;
    const to = partOf.get(edge.to);
    if (to !== undefined && from !== to) (importers[to] as Set<number>).add(from);
  }
  const indexByName = new Map(plan.projects.map((part, index) => [part.name, index]));
  for (const facade of plan.facade ?? []) {
    const to = indexByName.get(facade.project);
    if (to !== undefined) (importers[to] as Set<number>).add(old);
  }
  const costOf = (node: number): number => (node === old ? (plan.keptEstimatedMs ?? 0) : (plan.projects[node]?.estimatedMs ?? 0));
  const nameOf = (node: number): string => (node === old ? oldProject : (plan.projects[node]?.name ?? ''));
  // Longest path upward, memoized; a cycle (an invalid plan) stops the walk instead of looping.
  const memo = new Map<number, { ms: number; after: number[] }>();
  const open = new Set<number>();
  const above = (node: number): { ms: number; after: number[] } => {
    const known = memo.get(node);
    if (known !== undefined) return known;
    if (open.has(node) || node === old) return { ms: costOf(node), after: [] };
    open.add(node);
    let best = { ms: 0, after: [] as number[] };
    for (const importer of [...(importers[node] as Set<number>)].sort((a, b) => a - b)) {
      const chain = above(importer);
      if (chain.ms > best.ms) best = { ms: chain.ms, after: [importer, ...chain.after] };
    }
    open.delete(node);
    const result = { ms: costOf(node) + best.ms, after: best.after };
    memo.set(node, result);
    return result;
  };
  return plan.projects.map((part, index) => {
    const { ms, after } = above(index);
    return { part: part.name, loopMs: ms, after: after.map(nameOf) };
  });
}
