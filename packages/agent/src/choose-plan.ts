import { formatDuration, type Plan, type PlanningInput, type PlanValidation, plural } from '@sixty/core';
import { planFigures, type PlanFigures } from './plan-figures';

export interface ChoosePlanOptions {
  /** Why there is no agent plan, when there is none. */
  agentFailure?: string;
  /** Workers the loop runs with (nx.json `parallel`); default: one per part. */
  parallel?: number;
}

export interface PlanCandidate {
  plan: Plan;
  validation: PlanValidation;
}

export type PlanWinner = 'local' | 'agent';

export interface PlanChoice {
  winner: PlanWinner;
  plan: Plan;
  validation: PlanValidation;
  /** One line: why this plan, with the figures that decided. */
  reason: string;
  figures: { local: PlanFigures; agent: PlanFigures | null };
}

/** Gains closer than this share of the budget are a tie: a few ms do not justify a different plan. */
const GAIN_TIE_SHARE = 0.01;


/**
 * Chooses between the local plan and the agent's. A valid plan beats an invalid one; between
 * valid plans: fewer parts over budget, then the larger estimated loop-time gain (when the
 * parts finish, scheduled as nx would with `parallel` workers), then fewer cut edges, then
 * fewer parts; a full tie keeps the local plan, which is deterministic and needs no model to
 * reproduce.
 */
export function choosePlan(input: PlanningInput, local: PlanCandidate, agent: PlanCandidate | null, options: ChoosePlanOptions = {}): PlanChoice {
  const { agentFailure, parallel } = options;
  const figureOptions = parallel !== undefined ? { parallel } : {};
  const localFigures = planFigures(local.plan, input, figureOptions);
  const agentFigures = agent ? planFigures(agent.plan, input, figureOptions) : null;
  const figures = { local: localFigures, agent: agentFigures };
  const pick = (winner: PlanWinner, reason: string): PlanChoice => {
    const chosen = winner === 'agent' && agent ? agent : local;
    return { winner, plan: chosen.plan, validation: chosen.validation, reason, figures };
  };

  if (!agent || !agentFigures) {
    const why = agentFailure ?? 'no agent plan';
    return pick('local', local.validation.valid ? `${why}; fell back to the local plan` : `${why}; the local plan is not valid either`);
  }
  if (!agent.validation.valid) {
    return pick('local', `the agent plan is not valid (${plural(agent.validation.problems.length, 'problem')}); fell back to the local plan`);
  }
  if (!local.validation.valid) {
    return pick('agent', `the local plan is not valid (${plural(local.validation.problems.length, 'problem')}); the agent plan is`);
  }
  if (agentFigures.overBudget !== localFigures.overBudget) {
    const winner = agentFigures.overBudget < localFigures.overBudget ? 'agent' : 'local';
    return pick(winner, `fewer parts over budget: ${agentFigures.overBudget} (agent) vs ${localFigures.overBudget} (local)`);
  }
  const gainDifference = agentFigures.gainMs - localFigures.gainMs;
  if (Math.abs(gainDifference) > input.budgetMs * GAIN_TIE_SHARE) {
    const winner = gainDifference > 0 ? 'agent' : 'local';
    const workers = parallel !== undefined ? ` at --parallel ${parallel}` : ' with a worker per part';
    return pick(
      winner,
      `larger estimated loop-time gain: ${formatDuration(agentFigures.gainMs)} (agent) vs ${formatDuration(localFigures.gainMs)} (local); the parts finish in ${formatDuration(agentFigures.wallMs)} vs ${formatDuration(localFigures.wallMs)}${workers}, against ${formatDuration(input.p90Ms)} now`,
    );
  }
  const agentCut = agentFigures.cutEdges ?? 0;
  const localCut = localFigures.cutEdges ?? 0;
  if (agentCut !== localCut) {
    return pick(agentCut < localCut ? 'agent' : 'local', `same estimated gain, fewer cut edges: ${agentCut} (agent) vs ${localCut} (local)`);
  }
  if (agentFigures.parts !== localFigures.parts) {
    return pick(agentFigures.parts < localFigures.parts ? 'agent' : 'local', `same gain and cut edges, fewer parts: ${agentFigures.parts} (agent) vs ${localFigures.parts} (local)`);
  }
  return pick('local', 'the agent plan is no better (same gain, cut edges and parts); kept the local plan, which needs no model to reproduce');
}
