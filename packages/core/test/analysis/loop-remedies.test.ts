import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeGraph,
  cheapestRemedySet,
  computeLoopTimes,
  inputsRemedies,
  loopGraphFor,
  loopRemedies,
  rankLoopRemedies,
  simulateLoop,
  splitTaskInGraph,
  type LoopEdit,
  type LoopGraph,
  type LoopRemedy,
  type ProjectDependencies,
} from '@sixty/core';
import { CHAIN_PROJECTS, chainOfThreeProjects, taskGraphInput, weightedGraph } from './graph-fixtures';

/**
 * A random workspace: project i may depend on projects below it; each has a build (after its
 * dependencies' builds) and a test (after its own build), as `^build` and `build` make them.
 */
const randomWorkspace = fc
  .integer({ min: 1, max: 6 })
  .chain((size) =>
    fc.record({
      size: fc.constant(size),
      edges: fc.array(fc.tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 })), { maxLength: size * 2 }),
      build: fc.array(fc.integer({ min: 0, max: 9_000 }), { minLength: size, maxLength: size }),
      test: fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: size, maxLength: size }),
      parallel: fc.integer({ min: 1, max: 4 }),
      changed: fc.integer({ min: 0, max: size - 1 }),
    }),
  )
  .map(({ size, edges, build, test, parallel, changed }) => {
    const projectDependencies: ProjectDependencies = {};
    for (let p = 0; p < size; p++) projectDependencies[`p${p}`] = [];
    for (const [a, b] of edges) if (a !== b) projectDependencies[`p${Math.max(a, b)}`]!.push(`p${Math.min(a, b)}`);
    for (const p of Object.keys(projectDependencies)) projectDependencies[p] = [...new Set(projectDependencies[p])];
    const durations: Record<string, number> = {};
    const dependencies: Record<string, string[]> = {};
    for (let p = 0; p < size; p++) {
      durations[`p${p}:build`] = build[p]!;
      durations[`p${p}:test`] = test[p]!;
      dependencies[`p${p}:build`] = projectDependencies[`p${p}`]!.map((d) => `${d}:build`);
      dependencies[`p${p}:test`] = [`p${p}:build`];
    }
    return { graph: weightedGraph(durations, dependencies), durations, dependencies, projectDependencies, parallel, project: `p${changed}` };
  });

describe('loopGraphFor and simulateLoop', () => {
  it('predict the same loop time as the analysis, for every project of random workspaces', () => {
    fc.assert(
      fc.property(randomWorkspace, ({ graph, projectDependencies, parallel }) => {
        const loopTimes = computeLoopTimes(graph, projectDependencies, { parallel });
        for (const loopTime of loopTimes) {
          const loop = loopGraphFor(graph, projectDependencies, loopTime.project, parallel);
          expect(loop === null ? 0 : simulateLoop(loop)).toBe(loopTime.ms);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('predict a split as the what-if graph does (splitTaskInGraph)', () => {
    fc.assert(
      fc.property(randomWorkspace, fc.integer({ min: 2, max: 5 }), ({ graph, projectDependencies, parallel, project }, parts) => {
        const loop = loopGraphFor(graph, projectDependencies, project, parallel)!;
        const task = loop.tasks[loop.tasks.length - 1]!.id;
        const split = computeLoopTimes(splitTaskInGraph(graph, task, parts), projectDependencies, { parallel });
        expect(simulateLoop(loop, [{ kind: 'split', task, parts }])).toBe(split.find((l) => l.project === project)!.ms);
      }),
      { numRuns: 100 },
    );
  });

  it('runs the loop of a change: the project and its dependents, their dependencies from cache', () => {
    const loop = loopGraphFor(chainOfThreeProjects(), CHAIN_PROJECTS, 'lib-b', 1)!;
    expect(loop.tasks.map((t) => t.id)).toEqual(['lib-b:build', 'lib-b:test', 'app-c:build', 'app-c:test']);
    expect(loop.projectDependencies).toEqual({ 'lib-b': [], 'app-c': ['lib-b'] });
    expect(simulateLoop(loop)).toBe(20 + 30 + 50 + 60);
    // on two workers lib-b:test runs beside app-c's chain; cached and shorter tasks compose
    expect(simulateLoop(loop, [{ kind: 'parallel', workers: 2 }])).toBe(20 + 50 + 60);
    expect(simulateLoop(loop, [{ kind: 'cached', tasks: ['app-c:build'] }, { kind: 'duration', task: 'app-c:test', durationMs: 10 }])).toBe(20 + 30 + 10);
    expect(loopGraphFor(chainOfThreeProjects(), CHAIN_PROJECTS, 'nowhere', 1)).toBeNull();
  });
});

/** The loop of lib-a in a fan: lib-a <- app-1..3, each app with a slow test. */
function fanLoop(parallel = 2): LoopGraph {
  const durations = { 'lib-a:build': 2_000, 'lib-a:test': 30_000, 'app-1:build': 4_000, 'app-1:test': 20_000, 'app-2:build': 4_000, 'app-2:test': 12_000 };
  const dependencies = {
    'lib-a:test': ['lib-a:build'],
    'app-1:build': ['lib-a:build'],
    'app-1:test': ['app-1:build'],
    'app-2:build': ['lib-a:build'],
    'app-2:test': ['app-2:build'],
  };
  return loopGraphFor(weightedGraph(durations, dependencies), { 'lib-a': [], 'app-1': ['lib-a'], 'app-2': ['lib-a'] }, 'lib-a', parallel)!;
}

describe('loopRemedies', () => {
  const budgetMsFor = () => 10_000;

  it('offers shards for test tasks, splits for the others, more workers, and a selection when its time is known', () => {
    const remedies = loopRemedies(fanLoop(), { budgetMsFor, selectedMsByTask: new Map([['app-1:test', 3_000], ['lib-a:build', 1]]) });
    const summaries = remedies.map((r) => `${r.cost} ${r.summary} | ${r.command}`);
    expect(summaries).toContain('2 shard lib-a:test in 3 | sixty plan lib-a:test --kind shard --budget 11.8');
    expect(summaries).toContain('2 shard lib-a:test in 4 | sixty plan lib-a:test --kind shard --budget 8.9');
    expect(summaries).toContain('5 split app-1 so app-1:build runs in 2 parts | sixty plan app-1:build --kind split --budget 2');
    expect(summaries).toContain('1 run the loop on 3 workers (--parallel 3, or CI jobs: sixty ci-matrix) | sixty check --parallel 3');
    expect(summaries).toContain('2 run the loop on 4 workers (--parallel 4, or CI jobs: sixty ci-matrix) | sixty check --parallel 4');
    // a build's selected time is no test selection: only app-1:test counts
    expect(remedies.find((r) => r.kind === 'selection')?.edits).toEqual([{ kind: 'duration', task: 'app-1:test', durationMs: 3_000 }]);
    // lib-a:build (2 s) is cut at most in 2: parts of at least MIN_PART_MS
    expect(remedies.filter((r) => r.slot === 'split lib-a:build').map((r) => r.edits)).toEqual([[{ kind: 'split', task: 'lib-a:build', parts: 2 }]]);
  });

  it('takes more kinds from providers (the extension point for inputs narrowing)', () => {
    const inputs: LoopRemedy = { kind: 'inputs', slot: 'inputs lib-a', summary: 'dependents build against declarations', cost: 2, edits: [{ kind: 'cached', tasks: ['app-1:build', 'app-2:build'] }], command: 'sixty plan lib-a:build --kind inputs' };
    const ranked = rankLoopRemedies(fanLoop(), loopRemedies(fanLoop(), { budgetMsFor, providers: [() => [inputs]] }));
    expect(ranked.find((r) => r.kind === 'inputs')).toMatchObject({ summary: inputs.summary, savingMs: expect.any(Number) });
  });

  it('offers declaration-only inputs for a project whose dependents can hash its declarations (inputsRemedies)', () => {
    const narrowings = [{ target: 'build', narrowedTasks: new Set(['app-1:build', 'app-2:build', 'lib-a:build']), appliedTasks: new Set<string>(), changedProjects: ['lib-a'] }];
    const [remedy] = inputsRemedies(narrowings)(fanLoop());
    expect(remedy).toEqual({
      kind: 'inputs',
      slot: 'inputs lib-a:build',
      summary: 'declaration-only inputs: an implementation-only change in lib-a restores 2 dependent builds from cache',
      cost: 2,
      edits: [{ kind: 'cached', tasks: ['app-1:build', 'app-2:build'] }],
      command: 'sixty plan lib-a:build --kind inputs',
    });
    expect(inputsRemedies([{ ...narrowings[0]!, changedProjects: ['app-1'] }])(fanLoop())).toEqual([]);
    // in place already: nothing to propose
    expect(inputsRemedies([{ ...narrowings[0]!, appliedTasks: new Set(['app-1:build', 'app-2:build']) }])(fanLoop())).toEqual([]);
    const ranked = rankLoopRemedies(fanLoop(), [remedy!]);
    expect(ranked[0]!.loopMsAfter).toBe(simulateLoop(fanLoop(), [{ kind: 'cached', tasks: ['app-1:build', 'app-2:build'] }]));
  });

  it('ranks one remedy per slot by its simulated saving, dropping those that save nothing', () => {
    const loop = fanLoop();
    const before = simulateLoop(loop);
    const ranked = rankLoopRemedies(loop, loopRemedies(loop, { budgetMsFor }));
    expect(new Set(ranked.map((r) => r.slot)).size).toBe(ranked.length);
    for (const remedy of ranked) {
      expect(remedy.savingMs).toBeGreaterThan(0);
      expect(remedy.loopMsAfter).toBe(simulateLoop(loop, remedy.edits));
      expect(remedy.savingMs).toBe(before - remedy.loopMsAfter);
    }
    expect(ranked.map((r) => r.savingMs)).toEqual([...ranked.map((r) => r.savingMs)].sort((a, b) => b - a));
    // on 2 workers the fan is bound by its work (72 s): more workers save most, a shard alone nothing
    expect(ranked.map((r) => `${r.summary} -${r.savingMs}`)).toEqual(['run the loop on 3 workers (--parallel 3, or CI jobs: sixty ci-matrix) -6000', 'split lib-a so lib-a:build runs in 2 parts -1000', 'shard app-2:test in 8 -500']);
  });
});

/** Every set with at most one remedy per slot: the oracle's search space. */
function everySet(remedies: readonly LoopRemedy[]): LoopRemedy[][] {
  const slots = [...new Set(remedies.map((r) => r.slot))].map((slot) => remedies.filter((r) => r.slot === slot));
  let sets: LoopRemedy[][] = [[]];
  for (const slot of slots) sets = sets.flatMap((set) => [set, ...slot.map((remedy) => [...set, remedy])]);
  return sets;
}

/** A small random remedy list over a loop: splits, shorter times, cached tasks, workers, with random costs. */
function randomRemedies(loop: LoopGraph) {
  const edit: fc.Arbitrary<LoopEdit> = fc.oneof(
    fc.record({ kind: fc.constant('split' as const), task: fc.constantFrom(...loop.tasks.map((t) => t.id)), parts: fc.integer({ min: 2, max: 4 }) }),
    fc.record({ kind: fc.constant('duration' as const), task: fc.constantFrom(...loop.tasks.map((t) => t.id)), durationMs: fc.integer({ min: 0, max: 5_000 }) }),
    fc.record({ kind: fc.constant('cached' as const), tasks: fc.subarray(loop.tasks.map((t) => t.id), { minLength: 1 }) }),
    fc.record({ kind: fc.constant('parallel' as const), workers: fc.integer({ min: 1, max: 5 }) }),
  );
  return fc.array(
    fc.record({ slot: fc.constantFrom('a', 'b', 'c', 'd', 'e'), cost: fc.integer({ min: 0, max: 6 }), edits: fc.array(edit, { minLength: 1, maxLength: 2 }) }),
    { minLength: 1, maxLength: 7 },
  ).map((list) => list.map((r, i): LoopRemedy => ({ kind: 'shard', slot: r.slot, summary: `remedy ${i}`, cost: r.cost, edits: r.edits, command: `remedy ${i}` })));
}

describe('cheapestRemedySet against a brute-force oracle', () => {
  it('fits the budget whenever some set does, at the lowest cost, with the shortest loop among those', () => {
    fc.assert(
      fc.property(
        randomWorkspace.chain((workspace) => {
          const loop = loopGraphFor(workspace.graph, workspace.projectDependencies, workspace.project, workspace.parallel)!;
          return fc.record({ loop: fc.constant(loop), remedies: randomRemedies(loop), budgetShare: fc.double({ min: 0.2, max: 1.1, noNaN: true }) });
        }),
        ({ loop, remedies, budgetShare }) => {
          const budgetMs = Math.floor(simulateLoop(loop) * budgetShare);
          const sets = everySet(remedies).map((set) => ({
            set,
            cost: set.reduce((sum, r) => sum + r.cost, 0),
            ms: simulateLoop(loop, set.flatMap((r) => r.edits)),
          }));
          const fitting = sets.filter((s) => s.ms <= budgetMs);
          const chosen = cheapestRemedySet(loop, remedies, budgetMs);
          expect(chosen.exhaustive).toBe(true);
          expect(new Set(chosen.remedies.map((r) => r.slot)).size).toBe(chosen.remedies.length);
          expect(chosen.loopMsAfter).toBe(simulateLoop(loop, chosen.remedies.flatMap((r) => r.edits)));
          expect(chosen.cost).toBe(chosen.remedies.reduce((sum, r) => sum + r.cost, 0));
          if (fitting.length === 0) {
            expect(chosen.underBudget).toBe(false);
            expect(chosen.loopMsAfter).toBe(Math.min(...sets.map((s) => s.ms)));
            return;
          }
          const cheapest = Math.min(...fitting.map((s) => s.cost));
          expect(chosen.underBudget).toBe(true);
          expect(chosen.loopMsAfter).toBeLessThanOrEqual(budgetMs);
          expect(chosen.cost).toBe(cheapest);
          expect(chosen.loopMsAfter).toBe(Math.min(...fitting.filter((s) => s.cost === cheapest).map((s) => s.ms)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('chooses nothing when the loop already fits, and says when its simulation limit stopped it', () => {
    const loop = fanLoop();
    const remedies = loopRemedies(loop, { budgetMsFor: () => 10_000 });
    expect(cheapestRemedySet(loop, remedies, simulateLoop(loop))).toMatchObject({ remedies: [], cost: 0, underBudget: true, exhaustive: true, simulations: 1 });
    const limited = cheapestRemedySet(loop, remedies, 1, 5);
    expect(limited).toMatchObject({ underBudget: false, exhaustive: false, simulations: 5 });
  });

  it('brings the fan under a 25 s budget: two shards and 4 workers, as no remedy alone does', () => {
    const loop = fanLoop();
    const chosen = cheapestRemedySet(loop, loopRemedies(loop, { budgetMsFor: () => 10_000 }), 25_000);
    expect(chosen).toMatchObject({ underBudget: true, cost: 6, exhaustive: true });
    expect(chosen.remedies.map((r) => r.summary)).toEqual(['shard lib-a:test in 2', 'shard app-1:test in 8', 'run the loop on 4 workers (--parallel 4, or CI jobs: sixty ci-matrix)']);
    expect(chosen.loopMsAfter).toBeLessThanOrEqual(25_000);
  });

  it('refuses a cost that is not a whole number', () => {
    const loop = fanLoop();
    const bad: LoopRemedy = { kind: 'workers', slot: 'w', summary: 'half a worker', cost: 0.5, edits: [], command: 'x' };
    expect(() => cheapestRemedySet(loop, [bad], 1)).toThrow(/half a worker.*whole numbers/);
  });
});

describe('analyzeGraph with a loop budget', () => {
  it('lists the loops over it, slowest first, with the largest contributor and ranked remedies', () => {
    const analysis = analyzeGraph({
      taskGraph: taskGraphInput(['lib-a:build', 'lib-a:test', 'app-1:build'], { 'lib-a:test': ['lib-a:build'], 'app-1:build': ['lib-a:build'] }),
      projectDependencies: { 'lib-a': [], 'app-1': ['lib-a'] },
      p90ByTask: new Map([['lib-a:build', 3_000], ['lib-a:test', 40_000], ['app-1:build', 5_000]]),
      parallel: 3,
      budgetMsFor: () => 60_000,
      loopBudgetMs: 20_000,
      loopRemedies: { budgetMsFor: () => 60_000, planCommand: (project) => `sixty plan ${project} --loop` },
    });
    expect(analysis.loopViolations).toHaveLength(1);
    const [violation] = analysis.loopViolations!;
    expect(violation).toMatchObject({ project: 'lib-a', loopMs: 43_000, loopBudgetMs: 20_000, parallel: 3, taskCount: 3, largestTask: { id: 'lib-a:test', durationMs: 40_000 }, planCommand: 'sixty plan lib-a --loop' });
    // in 2 or in 4 the loop ends at 23 s (4 parts on 3 workers take two rounds), in 8 at 18 s
    expect(violation!.remedies[0]).toMatchObject({ kind: 'shard', summary: 'shard lib-a:test in 8', loopMsAfter: 18_000, savingMs: 25_000 });
    expect(analysis.loopTimes.find((l) => l.project === 'lib-a')!.overBudget).toBe(true);
    expect(analysis.loopTimes.find((l) => l.project === 'app-1')!.overBudget).toBe(false);
  });
});
