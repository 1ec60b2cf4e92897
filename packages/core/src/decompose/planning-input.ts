import type { CoChangeWeights } from './co-change';
import type { FileCost } from './file-costs';
import { planShards } from '../sharding/plan-shards';
import type { ShardCostModel } from '../sharding/shard-cost-model';
import { planSplit } from './plan-split';
import type { ImportGraph } from '../imports/import-graph-types';
import type { Plan } from '../plan/plan-types';
import type { PlanValidationContext } from '../plan/validate-plan';

/** How a target is decomposed: its test files into shards, or its project into new projects. */
export type PlanKind = 'shard' | 'split';

/**
 * Everything a planner (local or agent) knows about a target over budget. Gathered by the CLI
 * (history, nx, the import graph, git); plain data, so the agent brief is built from it deterministically.
 */
export interface PlanningInput {
  kind: PlanKind;
  task: string;
  project: string;
  target: string;
  projectRoot: string;
  budgetMs: number;
  p90Ms: number;
  executions: number;
  /** Split plans: what every build of the target pays before its first file (estimateRunStartupMs); fileCosts share the rest of the p90. */
  runStartupMs?: number;
  /** Shard plans: the fixed cost per shard and per-file scale learned from the history; fileCosts are then the files' measured times. */
  shardCostModel?: ShardCostModel;
  /** Test files (shard) or modules (split), with what each costs, sorted by path. */
  fileCosts: FileCost[];
  /** The project's import graph; null when it was not read (shards of a project whose sources were not read). */
  importGraph: ImportGraph | null;
  coChange: CoChangeWeights | null;
  existingProjects: string[];
  /** What the validator checks the plan against. */
  validation: PlanValidationContext;
}

/** Test targets are sharded; anything else (build, typecheck, lint) needs its project split. */
export function defaultPlanKind(target: string): PlanKind {
  return /(^|[-_:])(test|tests|spec|e2e|jest|vitest|mocha)($|[-_:])/i.test(target) ? 'shard' : 'split';
}

/** The local planner: LPT shards for a shard plan, the budgeted acyclic partition for a split. */
export function planLocally(input: PlanningInput): Plan {
  if (input.kind === 'shard') {
    return planShards({
      task: input.task,
      budgetMs: input.budgetMs,
      files: input.fileCosts.map((file) => ({ path: file.path, costMs: Math.round(file.costMs) })),
      ...(input.shardCostModel ? { costModel: input.shardCostModel } : {}),
      source: 'local',
    });
  }
  if (!input.importGraph) throw new Error('a split plan needs the import graph');
  return planSplit({
    task: input.task,
    projectName: input.project,
    projectRoot: input.projectRoot,
    graph: input.importGraph,
    fileCosts: Object.fromEntries(input.fileCosts.map((file) => [file.path, file.costMs])),
    budgetMs: input.budgetMs,
    ...(input.runStartupMs ? { runStartupMs: input.runStartupMs } : {}),
    ...(input.coChange ? { coChange: input.coChange } : {}),
    existingProjects: input.existingProjects,
    source: 'local',
  });
}
