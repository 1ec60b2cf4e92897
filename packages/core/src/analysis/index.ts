export * from './analysis-types';
export { buildWeightedTaskGraph } from './weighted-task-graph';
export type { BuildWeightedTaskGraphOptions, WeightedTaskGraph } from './weighted-task-graph';
export { findCriticalPath, criticalPathTaskIds } from './critical-path';
export { simulateSchedule } from './simulate-schedule';
export type { SimulateScheduleOptions } from './simulate-schedule';
export { countProjectDependents } from './project-dependents';
export { computeLoopTimes } from './loop-times';
export type { LoopTimeOptions } from './loop-times';
export { splitTaskInGraph, splitPartId, whatIf } from './what-if';
export type { WhatIfOptions } from './what-if';
export { EXACT_VIOLATIONS, rankBudgetViolations } from './budget-violations';
export type { RankBudgetViolationsOptions } from './budget-violations';
export { analyzeGraph } from './analyze';
export type { AnalyzeGraphInput } from './analyze';
export { findCycle } from './task-cycle';
export { narrowTaskGraph, type NarrowedTaskGraph } from './narrow-task-graph';
export { expandTaskGraph, type ExpandTaskGraphInput, type ExpandTargetConfig } from './expand-task-graph';
export { preferShardedTargets } from './prefer-sharded';
export { declarationInputsWhatIf, type DeclarationInputsWhatIfInput, type DeclarationInputsSaving } from './declaration-inputs-what-if';
export { loopGraphFor, loopGraphOf, simulateLoop, type LoopEdit, type LoopGraph } from './loop-graph';
export {
  LOOP_REMEDY_COST,
  loopRemedies,
  MAX_TASKS_WITH_REMEDIES,
  MIN_PART_MS,
  rankLoopRemedies,
  type LoopRemedy,
  type LoopRemedyContext,
  type LoopRemedyKind,
  type LoopRemedyProvider,
  type RankedLoopRemedy,
} from './loop-remedies';
export { cheapestRemedySet, MAX_REMEDY_SET_SIMULATIONS, type RemedySet } from './cheapest-remedies';
export { loopViolationsOnModel, MAX_LOOPS_WITH_REMEDIES, type LoopViolation, type LoopViolationOptions } from './loop-violations';
export { buildLoopTimeModel, type LoopTimeModel } from './loop-times';
export { inputsRemedies, type DeclarationNarrowing } from './inputs-remedies';
