import { buildWeightedTaskGraph, simulateSchedule, type Plan, type PlanningInput, type ShardPlan, type SplitPlan } from '@sixty/core';

/** What a plan is worth, computed from the measured facts, never from the plan's own claims. */
export interface PlanFigures {
  /** Shards, or new projects (the old project that keeps the entry is not counted). */
  parts: number;
  /** The slowest part (the old project's kept files count as one). */
  longestMs: number;
  /**
   * When the last part finishes, running them as nx would with `parallel` workers (split parts
   * after the parts they depend on); with every part at once when parallel is not given.
   */
  wallMs: number;
  /** The workers wallMs assumes; null: as many as there are parts. */
  parallel: number | null;
  /** Parts (and kept files) estimated over the budget. */
  overBudget: number;
  /** Estimated loop-time gain of this target: its p90 now minus wallMs, at least 0. */
  gainMs: number;
  /** Split: import edges between different new parts, each weighing 1 + its co-change count; null for shards. */
  cutEdges: number | null;
}

/** Cost per file, as the local planner counts it: whole ms for test files, exact for modules. */
function costLookup(input: PlanningInput): (file: string) => number {
  const costs = new Map(input.fileCosts.map((file) => [file.path, input.kind === 'shard' ? Math.round(file.costMs) : file.costMs]));
  return (file) => costs.get(file) ?? 0;
}

const sum = (files: readonly string[], costOf: (file: string) => number): number => files.reduce((total, file) => total + costOf(file), 0);

function coChangeLookup(input: PlanningInput): (a: string, b: string) => number {
  const weights = new Map<string, number>();
  for (const pair of input.coChange?.pairs ?? []) {
    weights.set(`${pair.a}\0${pair.b}`, pair.weight);
    weights.set(`${pair.b}\0${pair.a}`, pair.weight);
  }
  return (a, b) => weights.get(`${a}\0${b}`) ?? 0;
}

/** The split's cut weight, defined as the local split planner defines it. */
function cutWeight(plan: SplitPlan, input: PlanningInput): number {
  const partOf = new Map<string, number>();
  plan.projects.forEach((part, index) => {
    for (const file of part.files) if (!partOf.has(file)) partOf.set(file, index);
  });
  const coChange = coChangeLookup(input);
  let weight = 0;
  for (const edge of input.importGraph?.edges ?? []) {
    if (edge.from === edge.to) continue;
    const from = partOf.get(edge.from);
    const to = partOf.get(edge.to);
    if (from !== undefined && to !== undefined && from !== to) weight += 1 + coChange(edge.from, edge.to);
  }
  return weight;
}

/**
 * The plan with every estimate recomputed from the measured file costs: a model cannot bring
 * a part under budget by writing a smaller number. Call it on a plan that matches the schema.
 */
export function restatePlanEstimates(plan: Plan, input: PlanningInput): Plan {
  const costOf = costLookup(input);
  if (plan.kind === 'shard') {
    const restated: ShardPlan = { ...plan, shards: plan.shards.map((shard) => ({ ...shard, estimatedMs: sum(shard.files, costOf) })) };
    if (plan.oversizedFiles) restated.oversizedFiles = plan.oversizedFiles.map((entry) => ({ ...entry, estimatedMs: costOf(entry.file) }));
    return restated;
  }
  const restated: SplitPlan = { ...plan, projects: plan.projects.map((part) => ({ ...part, estimatedMs: sum(part.files, costOf) })) };
  if (plan.keptFiles) restated.keptEstimatedMs = sum(plan.keptFiles, costOf);
  restated.cutEdges = cutWeight(restated, input);
  return restated;
}

export interface PlanFigureOptions {
  /** Workers, as nx --parallel N (nx.json `parallel`); default: one per part. */
  parallel?: number;
}

interface TimedPart {
  id: string;
  ms: number;
  dependsOn: string[];
}

/** The plan's parts with their measured times and what each waits for. */
function timedParts(plan: Plan, input: PlanningInput, costOf: (file: string) => number): TimedPart[] {
  if (plan.kind === 'shard') return plan.shards.map((shard, index) => ({ id: `${index}`, ms: sum(shard.files, costOf), dependsOn: [] }));
  const indexByName = new Map(plan.projects.map((part, index) => [part.name, `${index}`]));
  const parts = plan.projects.map((part, index) => ({
    id: `${index}`,
    ms: sum(part.files, costOf),
    dependsOn: [...new Set(part.dependsOn.map((name) => indexByName.get(name)).filter((id): id is string => id !== undefined))],
  }));
  if (plan.keptFiles?.length) {
    const reexported = (plan.facade ?? []).map((entry) => indexByName.get(entry.project)).filter((id): id is string => id !== undefined);
    parts.push({ id: 'kept', ms: sum(plan.keptFiles, costOf), dependsOn: [...new Set(reexported)] });
  }
  return parts;
}

/** nx's schedule of the parts (core's list-scheduling simulation); the sum of all when the parts form a cycle. */
function wallTime(parts: readonly TimedPart[], input: PlanningInput, parallel: number): number {
  if (parts.length === 0) return 0;
  try {
    const graph = buildWeightedTaskGraph(
      { tasks: parts.map((part) => ({ id: part.id, project: part.id, target: input.target })), dependencies: Object.fromEntries(parts.map((part) => [part.id, part.dependsOn])) },
      new Map(parts.map((part) => [part.id, part.ms])),
    );
    return simulateSchedule(graph, { parallel }).predictedWallMs;
  } catch {
    return parts.reduce((total, part) => total + part.ms, 0); // an invalid plan: no better than one after another
  }
}

/** Figures of a plan, from the measured costs (see restatePlanEstimates). */
export function planFigures(plan: Plan, input: PlanningInput, options: PlanFigureOptions = {}): PlanFigures {
  const costOf = costLookup(input);
  const parts = timedParts(plan, input, costOf);
  const times = parts.map((part) => part.ms);
  const wallMs = wallTime(parts, input, options.parallel ?? Math.max(1, parts.length));
  return {
    parts: plan.kind === 'shard' ? plan.shards.length : plan.projects.length,
    longestMs: times.length > 0 ? Math.max(...times) : 0,
    wallMs,
    parallel: options.parallel ?? null,
    overBudget: times.filter((time) => time > input.budgetMs).length,
    gainMs: Math.max(0, input.p90Ms - wallMs),
    cutEdges: plan.kind === 'split' ? cutWeight(plan, input) : null,
  };
}
