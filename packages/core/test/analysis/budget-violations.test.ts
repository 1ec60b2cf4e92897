import { describe, expect, it } from 'vitest';
import { EXACT_VIOLATIONS, rankBudgetViolations } from '@sixty/core';
import { weightedGraph } from './graph-fixtures';

// Three libraries and an app using all of them; and a tool nothing depends on.
const PROJECTS = { 'lib-1': [], 'lib-2': [], 'lib-3': [], app: ['lib-1', 'lib-2', 'lib-3'], tool: [] };
const graph = () =>
  weightedGraph(
    {
      'lib-1:build': 10,
      'lib-2:build': 10,
      'lib-3:build': 10,
      'app:build': 10,
      'app:test': 150,
      'tool:test': 190,
    },
    { 'app:build': ['lib-1:build', 'lib-2:build', 'lib-3:build'], 'app:test': ['app:build'] },
  );

describe('rankBudgetViolations', () => {
  it('ranks a task on the path of many changes above an isolated slower one', () => {
    expect(rankBudgetViolations(graph(), PROJECTS, { parallel: 2, budgetMsFor: () => 100 })).toEqual([
      {
        task: 'app:test',
        p90Ms: 150,
        budgetMs: 100,
        // Changes in app, lib-1, lib-2 and lib-3 all run it.
        affectedBy: 4,
        // app: 160 -> 85; each lib: 170 -> 95 (the two 75 ms parts run side by side).
        loopCostMs: 75 * 4,
        loopCostExact: true,
        parts: 2,
        estimated: false,
      },
      { task: 'tool:test', p90Ms: 190, budgetMs: 100, affectedBy: 1, loopCostMs: 95, loopCostExact: true, parts: 2, estimated: false },
    ]);
  });

  it('uses each task budget, and splits in ceil(p90 / budget) parts', () => {
    const violations = rankBudgetViolations(graph(), PROJECTS, {
      parallel: 4,
      budgetMsFor: (task) => (task.project === 'tool' ? 60 : 200),
    });
    // tool:test in 4 parts of 48 ms at parallel 4; app:test fits its 200 ms budget.
    expect(violations).toEqual([
      { task: 'tool:test', p90Ms: 190, budgetMs: 60, affectedBy: 1, loopCostMs: 190 - 48, loopCostExact: true, parts: 4, estimated: false },
    ]);
  });

  it('is empty when every task fits its budget', () => {
    expect(rankBudgetViolations(graph(), PROJECTS, { parallel: 2, budgetMsFor: () => 60_000 })).toEqual([]);
  });

  it('simulates the top violations exactly and bounds the rest', () => {
    // 30 isolated tasks over a 100 ms budget: each saves exactly its bound, d - ceil(d/2)
    const durations: Record<string, number> = {};
    const projects: Record<string, string[]> = {};
    for (let i = 0; i < 30; i++) {
      durations[`p${String(i).padStart(2, '0')}:test`] = 110 + i * 2;
      projects[`p${String(i).padStart(2, '0')}`] = [];
    }
    const ranked = rankBudgetViolations(weightedGraph(durations, {}), projects, { parallel: 2, budgetMsFor: () => 100 });
    expect(ranked).toHaveLength(30);
    expect(ranked.filter((v) => v.loopCostExact).length).toBe(EXACT_VIOLATIONS);
    expect(ranked.slice(0, EXACT_VIOLATIONS).every((v) => v.loopCostExact)).toBe(true);
    // the order is the exact order: slowest (largest saving) first
    expect(ranked.map((v) => v.task)).toEqual(Object.keys(durations).reverse());
    for (const v of ranked) expect(v.loopCostMs).toBe(v.p90Ms - Math.ceil(v.p90Ms / 2));
  });

  const isolated = (count: number) => {
    const durations: Record<string, number> = {};
    const projects: Record<string, string[]> = {};
    for (let i = 0; i < count; i++) {
      durations[`p${String(i).padStart(2, '0')}:test`] = 110 + i * 2;
      projects[`p${String(i).padStart(2, '0')}`] = [];
    }
    return { graph: weightedGraph(durations, {}), projects, ids: Object.keys(durations) };
  };

  it('simulates only the violations whose loops fit the work limit', () => {
    const { graph: g, projects, ids } = isolated(30);
    // each loop runs one task, split in two: 2 placements, so a limit of 10 allows 5 exact violations
    const ranked = rankBudgetViolations(g, projects, { parallel: 2, budgetMsFor: () => 100, exactWorkLimit: 10 });
    expect(ranked.map((v) => v.loopCostExact)).toEqual([...Array(5).fill(true), ...Array(25).fill(false)]);
    expect(ranked.map((v) => v.task)).toEqual([...ids].reverse());
    const none = rankBudgetViolations(g, projects, { parallel: 2, budgetMsFor: () => 100, exactWorkLimit: 1 });
    expect(none.filter((v) => v.loopCostExact)).toEqual([]);
    expect(none.map((v) => v.task)).toEqual([...ids].reverse());
  });

  it('ranks a simulated split that saves nothing below the bounded ones', () => {
    // at parallel 1 two halves run one after the other: splitting saves nothing
    const { graph: g, projects, ids } = isolated(4);
    const ranked = rankBudgetViolations(g, projects, { parallel: 1, budgetMsFor: () => 100, exactWorkLimit: 4 });
    // p03 and p02 were simulated (they save 0 ms); p01 and p00 kept their bounds
    expect(ranked.map((v) => [v.task, v.loopCostExact, v.loopCostMs])).toEqual([
      [ids[1], false, 112 - 56],
      [ids[0], false, 110 - 55],
      [ids[3], true, 0],
      [ids[2], true, 0],
    ]);
  });
});
