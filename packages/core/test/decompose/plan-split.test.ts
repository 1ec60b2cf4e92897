import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planSplit, splitLoopTimes, validatePlan, type ImportEdge, type ImportGraph, type PlanSplitOptions, type SplitPlan } from '@sixty/core';

type Graph = Pick<ImportGraph, 'files' | 'edges' | 'entryPoints'>;

const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, dynamic: false });

function graphOf(files: string[], edges: Array<[string, string]>, entryPoints: string[] = []): Graph {
  return { files: files.map((path) => ({ path, bytes: 100, isTest: path.includes('.test.') })), edges: edges.map(([from, to]) => edge(from, to)), entryPoints };
}

const P = (path: string): string => `libs/p/${path}`;

function options(graph: Graph, fileCosts: Record<string, number>, extra: Partial<PlanSplitOptions> = {}): PlanSplitOptions {
  return { task: 'p:test', projectName: 'p', projectRoot: 'libs/p', graph, fileCosts, budgetMs: 100, safetyMargin: 0.8, existingProjects: ['p', 'q'], ...extra };
}

function validationOf(plan: SplitPlan, graph: Graph, budgetMs = 100) {
  return validatePlan(plan, {
    projectRoot: 'libs/p',
    projectFiles: graph.files.map((file) => file.path),
    existingProjects: ['p', 'q'],
    budgetMs,
    publicExports: [...new Set(graph.edges.filter((e) => graph.entryPoints.includes(e.from)).map((e) => e.to))],
    importEdges: graph.edges,
    task: 'p:test',
  });
}

describe('planSplit on hand-drawn graphs', () => {
  // index -> one, three;  one <-> two (a cycle);  three -> two;  four -> three;  test -> one
  const graph = graphOf(
    [P('src/index.ts'), P('src/a/one.ts'), P('src/a/two.ts'), P('src/b/three.ts'), P('src/b/four.ts'), P('test/one.test.ts')],
    [
      [P('src/index.ts'), P('src/a/one.ts')],
      [P('src/index.ts'), P('src/b/three.ts')],
      [P('src/a/one.ts'), P('src/a/two.ts')],
      [P('src/a/two.ts'), P('src/a/one.ts')],
      [P('src/b/three.ts'), P('src/a/two.ts')],
      [P('src/b/four.ts'), P('src/b/three.ts')],
      [P('test/one.test.ts'), P('src/a/one.ts')],
    ],
    [P('src/index.ts')],
  );
  const costs = { [P('src/index.ts')]: 1, [P('src/a/one.ts')]: 30, [P('src/a/two.ts')]: 20, [P('src/b/three.ts')]: 30, [P('src/b/four.ts')]: 20, [P('test/one.test.ts')]: 10 };

  it('keeps the cycle whole, places modules under budget x margin (the test follows the module it tests), keeps the entry as facade, and says the longest loop', () => {
    const plan = planSplit(options(graph, costs));
    expect(plan).toEqual({
      schemaVersion: 1,
      kind: 'split',
      task: 'p:test',
      budgetMs: 100,
      source: 'local',
      rationale:
        'Split p (6 files, 111 ms) into 2 projects whose files take at most 80 ms each (80% of the 100 ms budget), forming an acyclic graph. 1 import cycle(s) kept whole inside one part. Cut weight 1 (import edges between parts, each 1 + its co-change count). p keeps its entry and 0 file(s) that import it (1 ms) and re-exports 2 moved module(s) as a facade. Longest loop: a change to p-a waits 110 ms (its build, then p-b).',
      projects: [
        {
          name: 'p-a',
          root: 'libs/p-a',
          files: [P('src/a/one.ts'), P('src/a/two.ts'), P('src/b/three.ts'), P('test/one.test.ts')],
          dependsOn: [],
          entry: 'libs/p-a/src/index.ts',
          estimatedMs: 90,
        },
        {
          name: 'p-b',
          root: 'libs/p-b',
          files: [P('src/b/four.ts')],
          dependsOn: ['p-a'],
          entry: 'libs/p-b/src/index.ts',
          estimatedMs: 20,
        },
      ],
      facade: [
        { from: P('src/index.ts'), project: 'p-a', module: P('src/a/one.ts') },
        { from: P('src/index.ts'), project: 'p-a', module: P('src/b/three.ts') },
      ],
      cutEdges: 1,
      keptFiles: [P('src/index.ts')],
      keptEstimatedMs: 1,
    });
    expect(validationOf(plan, graph)).toEqual({ valid: true, problems: [] });
    expect(splitLoopTimes(plan, graph.edges, 'p')).toEqual([
      { part: 'p-a', loopMs: 110, after: ['p-b'] },
      { part: 'p-b', loopMs: 20, after: [] },
    ]);
  });

  it('keeps the parts side by side rather than stacked, so a change to a shared module waits for one layer', () => {
    // base <- a1..a4 <- index: placed bottom-up, a chain of parts; placed for depth, base alone under the rest
    const files = [P('src/index.ts'), P('src/base.ts'), ...[1, 2, 3, 4].map((n) => P(`src/a${n}.ts`))];
    const star = graphOf(files, [...[1, 2, 3, 4].flatMap((n): Array<[string, string]> => [[P('src/index.ts'), P(`src/a${n}.ts`)], [P(`src/a${n}.ts`), P('src/base.ts')]])], [P('src/index.ts')]);
    const starCosts = { [P('src/index.ts')]: 2, [P('src/base.ts')]: 20, ...Object.fromEntries([1, 2, 3, 4].map((n) => [P(`src/a${n}.ts`), 20])) };
    const plan = planSplit(options(star, starCosts, { budgetMs: 75, safetyMargin: 1 }));
    const loops = splitLoopTimes(plan, star.edges, 'p');
    expect(Math.max(...loops.map((loop) => loop.loopMs))).toBeLessThanOrEqual(75);
    expect(plan.loopFloor).toBeUndefined();
    expect(validationOf(plan, star, 75).problems).toEqual([]);
  });

  it('names the module chain that is the floor when no split gets every loop under budget', () => {
    // d -> c -> b -> a: a change to a rebuilds all four in a row, whatever the split
    const files = [P('src/index.ts'), P('src/a.ts'), P('src/b.ts'), P('src/c.ts'), P('src/d.ts')];
    const chain = graphOf(files, [[P('src/index.ts'), P('src/d.ts')], [P('src/d.ts'), P('src/c.ts')], [P('src/c.ts'), P('src/b.ts')], [P('src/b.ts'), P('src/a.ts')]], [P('src/index.ts')]);
    const plan = planSplit(options(chain, { [P('src/index.ts')]: 1, [P('src/a.ts')]: 40, [P('src/b.ts')]: 40, [P('src/c.ts')]: 40, [P('src/d.ts')]: 40 }));
    expect(plan.loopFloor).toEqual({ files: [P('src/a.ts'), P('src/b.ts'), P('src/c.ts'), P('src/d.ts'), P('src/index.ts')], estimatedMs: 161 });
    expect(plan.rationale).toContain(`No split gets every loop under the budget: the module chain ${P('src/a.ts')} -> ${P('src/b.ts')} -> ${P('src/c.ts')} -> ${P('src/d.ts')} -> ${P('src/index.ts')} takes 161 ms in a row`);
  });

  it('avoids existing names and honours a name prefix', () => {
    const plan = planSplit(options(graph, costs, { existingProjects: ['p', 'P-A'], namePrefix: '@org/p' }));
    expect(plan.projects.map((project) => [project.name, project.root])).toEqual([
      ['@org/p-a', 'libs/p-a'],
      ['@org/p-b', 'libs/p-b'],
    ]);
    const taken = planSplit(options(graph, costs, { existingProjects: ['p', 'P-A'] }));
    expect(taken.projects.map((project) => project.name)).toEqual(['p-a-2', 'p-b']);
  });

  it('lets co-change decide between equally tied parts', () => {
    // a1 and b1 fill one part each (capacity 50); y imports both and goes with the one it changes with
    const split = graphOf([P('src/a1.ts'), P('src/b1.ts'), P('src/y.ts')], [
      [P('src/y.ts'), P('src/a1.ts')],
      [P('src/y.ts'), P('src/b1.ts')],
    ]);
    const splitCosts = { [P('src/a1.ts')]: 40, [P('src/b1.ts')]: 40, [P('src/y.ts')]: 10 };
    const plain = planSplit(options(split, splitCosts, { budgetMs: 62.5 }));
    expect(plain.projects.map((project) => project.files)).toEqual([[P('src/a1.ts')], [P('src/b1.ts'), P('src/y.ts')]]);
    const withHistory = planSplit(options(split, splitCosts, { budgetMs: 62.5, coChange: [{ a: P('src/a1.ts'), b: P('src/y.ts'), weight: 5 }] }));
    // listed in dependency order: the part holding y imports b1's part
    expect(withHistory.projects.map((project) => project.files)).toEqual([[P('src/b1.ts')], [P('src/a1.ts'), P('src/y.ts')]]);
    expect(withHistory.projects.map((project) => project.name)).toEqual(['p-part-1', 'p-part-2']);
    expect(withHistory.cutEdges).toBe(1);
  });

  it('moves a module to the part that imports it when the greedy pass left it elsewhere', () => {
    // x is placed before its importers (dependencies first) and lands with the unrelated a;
    // the y files no longer fit there, so the local pass moves x to them: cut weight 3 -> 0.
    const loose = graphOf([P('src/a.ts'), P('src/x.ts'), P('src/y1.ts'), P('src/y2.ts'), P('src/y3.ts')], [
      [P('src/y1.ts'), P('src/x.ts')],
      [P('src/y2.ts'), P('src/x.ts')],
      [P('src/y3.ts'), P('src/x.ts')],
    ]);
    const looseCosts = { [P('src/a.ts')]: 40, [P('src/x.ts')]: 10, [P('src/y1.ts')]: 5, [P('src/y2.ts')]: 5, [P('src/y3.ts')]: 5 };
    const plan = planSplit(options(loose, looseCosts, { budgetMs: 62.5 }));
    expect(plan.projects.map((project) => project.files)).toEqual([[P('src/a.ts')], [P('src/x.ts'), P('src/y1.ts'), P('src/y2.ts'), P('src/y3.ts')]]);
    expect(plan.cutEdges).toBe(0);
  });

  it('keeps files that import the entry with it, and refuses when a cycle or what stays is over budget on its own', () => {
    const tangled = graphOf(
      [P('src/index.ts'), P('src/uses-index.ts'), P('src/big-1.ts'), P('src/big-2.ts'), P('src/small.js')],
      [
        [P('src/index.ts'), P('src/big-1.ts')],
        [P('src/uses-index.ts'), P('src/index.ts')],
        [P('src/big-1.ts'), P('src/big-2.ts')],
        [P('src/big-2.ts'), P('src/big-1.ts')],
        [P('src/small.js'), P('src/big-2.ts')],
      ],
      [P('src/index.ts')],
    );
    expect(() => planSplit(options(tangled, { [P('src/big-1.ts')]: 70, [P('src/big-2.ts')]: 50, [P('src/small.js')]: 5, [P('src/uses-index.ts')]: 3 }))).toThrow(
      `no split gets every part of p under the 100 ms budget: the import cycle of 2 modules (${P('src/big-1.ts')}, ${P('src/big-2.ts')}) takes 120 ms on its own, and a part holds it whole`,
    );
    expect(() => planSplit(options(tangled, { [P('src/big-1.ts')]: 30, [P('src/big-2.ts')]: 30, [P('src/small.js')]: 5, [P('src/uses-index.ts')]: 130 }))).toThrow(
      `no split gets p under the 100 ms budget: what must stay in it (2 files: its entry, configuration files and the modules that import them, e.g. ${P('src/index.ts')}, ${P('src/uses-index.ts')}) takes 130 ms`,
    );
  });

  it('counts the start-up every build pays once per part: past the margin, smaller parts, more of them, each estimate with it', () => {
    const chain = graphOf(
      [P('src/index.ts'), ...[1, 2, 3, 4, 5, 6].map((n) => P(`src/m${n}.ts`))],
      [[P('src/index.ts'), P('src/m6.ts')], ...[2, 3, 4, 5, 6].map((n) => [P(`src/m${n}.ts`), P(`src/m${n - 1}.ts`)] as [string, string])],
      [P('src/index.ts')],
    );
    const costs = Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [P(`src/m${n}.ts`), 25]));
    const without = planSplit(options(chain, costs));
    expect(without.projects.map((part) => part.estimatedMs)).toEqual([75, 75]);
    // a start-up inside the 20% margin changes nothing but the estimates
    expect(planSplit(options(chain, costs, { runStartupMs: 15 })).projects.map((part) => part.estimatedMs)).toEqual([90, 90]);
    const withStartup = planSplit(options(chain, costs, { runStartupMs: 30 }));
    expect(withStartup.projects.map((part) => part.estimatedMs)).toEqual([80, 80, 80]);
    expect(withStartup.keptEstimatedMs).toBe(30);
    expect(withStartup.rationale).toContain("whose files take at most 70 ms each (the least of 80% of the 100 ms budget and what it leaves after the 30 ms of start-up each part's build pays, estimated from the fastest run of another project)");
    expect(() => planSplit(options(chain, costs, { runStartupMs: 100 }))).toThrow('no split of p fits the 100 ms budget: a test run takes about 100 ms before its first file (the fastest test of another project)');
  });

  it('plans nothing for a project within its budget, nor a split into one part', () => {
    expect(() => planSplit(options(graph, { [P('src/a/one.ts')]: 50, [P('src/b/four.ts')]: 50 }))).toThrow('p is within its budget: its files are estimated at 100 ms, the budget is 100 ms');
    const pair = graphOf([P('src/index.ts'), P('src/a.ts'), P('src/b.ts')], [[P('src/index.ts'), P('src/a.ts')], [P('src/a.ts'), P('src/b.ts')]], [P('src/index.ts')]);
    expect(() => planSplit(options(pair, { [P('src/index.ts')]: 40, [P('src/a.ts')]: 35, [P('src/b.ts')]: 35 }))).toThrow(
      'a split of p into one new project would not help: the part (70 ms) and what stays (40 ms) rebuild in a row after every change to the part',
    );
  });

  it('never moves a configuration file, and keeps the modules that import one with it (the part would import the old project back)', () => {
    const withManifest = graphOf(
      [P('package.json'), P('src/index.ts'), P('src/version.ts'), P('src/uses-version.ts'), P('src/a/one.ts'), P('src/a/two.ts')],
      [
        [P('src/index.ts'), P('src/uses-version.ts')],
        [P('src/index.ts'), P('src/a/one.ts')],
        [P('src/version.ts'), P('package.json')],
        [P('src/uses-version.ts'), P('src/version.ts')],
        [P('src/a/one.ts'), P('src/a/two.ts')],
      ],
      [P('src/index.ts')],
    );
    const plan = planSplit(options(withManifest, { [P('src/a/one.ts')]: 50, [P('src/a/two.ts')]: 50, [P('src/version.ts')]: 5, [P('src/uses-version.ts')]: 5 }));
    expect(plan.keptFiles).toEqual([P('package.json'), P('src/index.ts'), P('src/uses-version.ts'), P('src/version.ts')]);
    expect(plan.projects.flatMap((project) => project.files).sort()).toEqual([P('src/a/one.ts'), P('src/a/two.ts')]);
    expect(plan.rationale).toContain('p keeps its entry, 1 configuration file(s) (they never move) and 2 file(s) that import them (10 ms)');
    expect(validationOf(plan, withManifest).problems).toEqual([]);
  });

  it('moves a test with the module it tests and a fixture with the tests that use it; ambient typings stay for every part', () => {
    const files = [P('src/index.ts'), P('src/a/one.ts'), P('src/b/two.ts'), P('typings/global.d.ts'), P('src/a/one.test.ts'), P('src/b/two.test.ts'), P('test/both.test.ts'), P('test/fixtures/data.ts')];
    const shaped = graphOf(
      files,
      [
        [P('src/index.ts'), P('src/a/one.ts')],
        [P('src/index.ts'), P('src/b/two.ts')],
        [P('src/a/one.test.ts'), P('src/a/one.ts')],
        [P('src/a/one.test.ts'), P('test/fixtures/data.ts')],
        [P('src/b/two.test.ts'), P('src/b/two.ts')],
        [P('test/both.test.ts'), P('src/a/one.ts')],
        [P('test/both.test.ts'), P('src/b/two.ts')],
      ],
      [P('src/index.ts')],
    );
    const plan = planSplit(options(shaped, { [P('src/a/one.ts')]: 60, [P('src/b/two.ts')]: 60 }));
    expect(plan.keptFiles).toEqual([P('src/index.ts'), P('typings/global.d.ts')]);
    expect(plan.projects.map((project) => project.files)).toEqual([
      [P('src/a/one.test.ts'), P('src/a/one.ts'), P('test/both.test.ts'), P('test/fixtures/data.ts')],
      [P('src/b/two.test.ts'), P('src/b/two.ts')],
    ]);
    // a test of both modules goes with one of them, and its part then depends on the other
    expect(plan.projects.map((project) => project.dependsOn)).toEqual([['p-b'], []]);
    expect(validationOf(plan, shaped).problems).toEqual([]);
  });

  it('refuses a project whose every file is its entry or imports it, and bad budgets', () => {
    const barrel = graphOf([P('src/index.ts'), P('src/a.ts')], [[P('src/a.ts'), P('src/index.ts')]], [P('src/index.ts')]);
    expect(() => planSplit(options(barrel, {}))).toThrow('p has nothing to split: every file is its entry or imports it');
    expect(() => planSplit(options(barrel, {}, { budgetMs: -1 }))).toThrow('budgetMs must be a positive number of milliseconds, got -1');
    expect(() => planSplit(options(graphOf([], []), {}))).toThrow('p has no source files to split');
  });
});

/** A random project: files with costs, import edges (cycles allowed), maybe an entry. */
const randomProject = fc
  .record({
    size: fc.integer({ min: 1, max: 40 }),
    edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 120 }),
    costs: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 40, maxLength: 40 }),
    entry: fc.option(fc.nat(), { nil: undefined }),
    budgetMs: fc.integer({ min: 20, max: 400 }),
    startupShare: fc.constantFrom(0, 0, 0.1, 0.3, 0.9),
    coChange: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 5 })), { maxLength: 20 }),
  })
  .map(({ size, edges, costs, entry, budgetMs, startupShare, coChange }) => {
    const files = Array.from({ length: size }, (_, i) => P(`src/${['a', 'b', 'c'][i % 3]}/f${i}.ts`));
    const at = (n: number): string => files[n % size] as string;
    const graph = graphOf(
      files,
      [...new Map(edges.filter(([a, b]) => a % size !== b % size).map(([a, b]) => [`${a % size}>${b % size}`, [at(a), at(b)] as [string, string]])).values()],
      entry === undefined ? [] : [at(entry)],
    );
    const fileCosts = Object.fromEntries(files.map((file, i) => [file, costs[i] as number]));
    const pairs = coChange.filter(([a, b]) => a % size !== b % size).map(([a, b, weight]) => ({ a: at(a), b: at(b), weight }));
    return { graph, fileCosts, budgetMs, pairs, runStartupMs: Math.round(budgetMs * startupShare) };
  });

/** Strongly connected components, the slow obvious way (mutual reachability): the oracle for "can the budget hold". */
function componentsOf(files: string[], edges: ImportEdge[]): string[][] {
  const reach = new Map(files.map((file) => [file, new Set([file])]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const e of edges) {
      const from = reach.get(e.from);
      const to = reach.get(e.to);
      if (!from || !to) continue;
      for (const file of to) if (!from.has(file)) (from.add(file), (changed = true));
    }
  }
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const file of files) {
    if (seen.has(file)) continue;
    const group = files.filter((other) => reach.get(file)?.has(other) && reach.get(other)?.has(file));
    for (const member of group) seen.add(member);
    groups.push(group);
  }
  return groups;
}

describe('planSplit properties', () => {
  it('places every file exactly once, forms an acyclic part graph, and holds the budget whenever it can', () => {
    fc.assert(
      fc.property(randomProject, ({ graph, fileCosts, budgetMs, pairs, runStartupMs }) => {
        let plan: SplitPlan;
        try {
          plan = planSplit(options(graph, fileCosts, { budgetMs, coChange: pairs, runStartupMs }));
        } catch (error) {
          // within budget, nothing movable, or a split that cannot help: each says so
          const { code, message } = error as { code: string; message: string };
          if (code === 'WITHIN_BUDGET') expect(runStartupMs + Object.values(fileCosts).reduce((sum, cost) => sum + cost, 0)).toBeLessThanOrEqual(budgetMs);
          else if (code !== 'NO_USEFUL_PLAN') expect(message).toBe('p has nothing to split: every file is its entry or imports it');
          return;
        }
        const placed = [...plan.projects.flatMap((project) => project.files), ...(plan.keptFiles ?? [])];
        expect([...placed].sort()).toEqual(graph.files.map((file) => file.path).sort());

        // acyclic over the real import edges, and dependsOn says exactly which parts each imports
        const partOf = new Map(plan.projects.flatMap((project, index) => project.files.map((file) => [file, index] as const)));
        const imports = plan.projects.map(() => new Set<number>());
        for (const e of graph.edges) {
          const from = partOf.get(e.from);
          const to = partOf.get(e.to);
          if (from !== undefined && to !== undefined && from !== to) (imports[from] as Set<number>).add(to);
        }
        plan.projects.forEach((project, index) => {
          expect(project.dependsOn).toEqual([...(imports[index] as Set<number>)].map((target) => (plan.projects[target] as { name: string }).name).sort());
        });
        const state = new Map<number, 'open' | 'done'>();
        const visit = (node: number): void => {
          expect(state.get(node)).not.toBe('open'); // back edge: a cycle
          if (state.get(node) === 'done') return;
          state.set(node, 'open');
          for (const next of imports[node] as Set<number>) visit(next);
          state.set(node, 'done');
        };
        plan.projects.forEach((_, index) => visit(index));

        // budget holds for every part (its files and the start-up its build pays) unless some import cycle alone is over the capacity
        const capacity = Math.max(budgetMs * 0.8, runStartupMs + Math.min(budgetMs * 0.8, budgetMs - runStartupMs));
        const kept = new Set(plan.keptFiles);
        const movable = graph.files.map((file) => file.path).filter((file) => !kept.has(file));
        const movableEdges = graph.edges.filter((e) => !kept.has(e.from) && !kept.has(e.to));
        const largestCycle = Math.max(...componentsOf(movable, movableEdges).map((group) => group.reduce((sum, file) => sum + (fileCosts[file] as number), 0)));
        if (runStartupMs + largestCycle <= Math.min(budgetMs, capacity)) for (const project of plan.projects) expect(project.estimatedMs).toBeLessThanOrEqual(capacity);
        for (const project of plan.projects) expect(project.estimatedMs).toBeGreaterThanOrEqual(runStartupMs);

        const problems = validationOf(plan, graph, budgetMs).problems.filter((line) => !/over the \d+ ms budget/.test(line));
        expect(problems).toEqual([]);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('is deterministic', () => {
    fc.assert(
      fc.property(randomProject, ({ graph, fileCosts, budgetMs, pairs }) => {
        const run = (): unknown => {
          try {
            return planSplit(options(graph, fileCosts, { budgetMs, coChange: pairs }));
          } catch (error) {
            return (error as Error).message;
          }
        };
        const shuffled = { ...graph, files: [...graph.files].reverse(), edges: [...graph.edges].reverse() };
        const again = ((): unknown => {
          try {
            return planSplit(options(shuffled, fileCosts, { budgetMs, coChange: [...pairs].reverse() }));
          } catch (error) {
            return (error as Error).message;
          }
        })();
        expect(again).toEqual(run());
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
