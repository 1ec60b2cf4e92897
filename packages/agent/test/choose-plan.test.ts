import { describe, expect, it } from 'vitest';
import { planLocally, validatePlan, type Plan, type PlanningInput } from '@sixty/core';
import { choosePlan, planFigures, restatePlanEstimates } from '../src/index';
import { shardInput, splitInput, threeShards, twoParts } from './fixtures';

const candidate = (plan: Plan, input: PlanningInput) => ({ plan, validation: validatePlan(plan, input.validation) });

describe('plan figures', () => {
  it('come from the measured costs, not the plan\'s claims', () => {
    const input = shardInput();
    const claims = { ...threeShards(), shards: threeShards().shards.map((shard) => ({ ...shard, estimatedMs: 1 })) };
    expect(planFigures(claims, input)).toEqual({ parts: 3, longestMs: 35_000, wallMs: 35_000, parallel: null, overBudget: 0, gainMs: 55_000, cutEdges: null });
    // two workers, in core's simulation of nx's order: 35 s and 30 s first, then 25 s after the 30 s one
    expect(planFigures(claims, input, { parallel: 2 })).toMatchObject({ wallMs: 55_000, parallel: 2, gainMs: 35_000 });
    expect(restatePlanEstimates(claims, input)).toEqual(threeShards());
  });

  it('schedule a split\'s parts after their dependencies, count the kept files as a part, and weigh cut edges by co-change', () => {
    const input = splitInput();
    // lib-a-y (45 s) waits for lib-a-x (40 s); the kept entry (1 s) re-exports both
    expect(planFigures(twoParts(), input)).toEqual({ parts: 2, longestMs: 45_000, wallMs: 86_000, parallel: null, overBudget: 0, gainMs: 0, cutEdges: 1 });
    const siblings = twoParts();
    siblings.projects[1]!.dependsOn = [];
    siblings.projects[1]!.files = [siblings.projects[1]!.files[1]!];
    siblings.projects[0]!.files = [...siblings.projects[0]!.files, 'libs/a/src/x/two.ts'];
    expect(planFigures(siblings, input)).toMatchObject({ wallMs: 61_000, gainMs: 25_000 });
    expect(restatePlanEstimates(twoParts(), input)).toMatchObject({ keptEstimatedMs: 1_000, cutEdges: 1, projects: [{ estimatedMs: 40_000 }, { estimatedMs: 45_000 }] });
    // the local split keeps the test with the module it tests (one) and cuts only two -> one
    expect(planFigures(planLocally(input), input).cutEdges).toBe(1);
  });
});

describe('choosing between the local and the agent plan', () => {
  it('keeps the local plan on a tie: it needs no model to reproduce', () => {
    const input = shardInput();
    const local = candidate(planLocally(input), input);
    const agent = candidate({ ...local.plan, source: 'agent' }, input);
    expect(choosePlan(input, local, agent)).toMatchObject({
      winner: 'local',
      plan: local.plan,
      reason: 'the agent plan is no better (same gain, cut edges and parts); kept the local plan, which needs no model to reproduce',
    });
  });

  it('takes the larger loop-time gain, beyond 1% of the budget, at the loop\'s parallelism', () => {
    const input = shardInput();
    const local = candidate(planLocally(input), input);
    expect(choosePlan(input, local, candidate(threeShards(), input)).winner).toBe('agent');
    // with two workers three shards take longer than two balanced ones
    expect(choosePlan(input, local, candidate(threeShards(), input), { parallel: 2 })).toMatchObject({
      winner: 'local',
      reason: 'larger estimated loop-time gain: 35.0s (agent) vs 45.0s (local); the parts finish in 55.0s vs 45.0s at --parallel 2, against 1m 30s now',
    });
    const slower = { ...threeShards(), shards: [{ name: 'shard-1-of-2', files: ['libs/a/test/a.test.ts', 'libs/a/test/b.test.ts'], estimatedMs: 0 }, { name: 'shard-2-of-2', files: ['libs/a/test/c.test.ts', 'libs/a/test/d.test.ts'], estimatedMs: 0 }] };
    const choice = choosePlan(input, local, candidate(restatePlanEstimates(slower, input), input));
    expect(choice).toMatchObject({ winner: 'local', reason: 'larger estimated loop-time gain: 35.0s (agent) vs 45.0s (local); the parts finish in 55.0s vs 45.0s with a worker per part, against 1m 30s now' });
  });

  it('breaks a gain tie with cut edges', () => {
    const input = splitInput();
    const local = candidate(restatePlanEstimates(twoParts(), input), input);
    const swapped = twoParts();
    // the same chain (30 s, then 55 s, then the 1 s entry: 1m 26s) but the test leaves its module: a cut edge weighing 1 + 3 more
    swapped.projects[0]!.files = ['libs/a/src/x/one.ts'];
    swapped.projects[1]!.files = ['libs/a/src/x/two.ts', 'libs/a/src/y/three.ts', 'libs/a/test/one.test.ts'];
    const agent = candidate(restatePlanEstimates(swapped, input), input);
    expect(agent.validation.problems).toEqual([]);
    expect(choosePlan(input, local, agent)).toMatchObject({ winner: 'local', reason: 'same estimated gain, fewer cut edges: 5 (agent) vs 1 (local)' });
  });

  it('prefers a valid plan, and says when neither is', () => {
    const input = shardInput();
    const broken = { ...planLocally(input), budgetMs: 1 };
    const local = candidate(broken, input);
    expect(choosePlan(input, local, candidate(threeShards(), input))).toMatchObject({ winner: 'agent', reason: 'the local plan is not valid (1 problem); the agent plan is' });
    expect(choosePlan(input, local, null, { agentFailure: 'the model refused: no' })).toMatchObject({ winner: 'local', plan: broken, reason: 'the model refused: no; the local plan is not valid either' });
  });
});
