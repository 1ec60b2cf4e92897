import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PROBLEM_LINES, validatePlan, type PlanProject, type PlanShard, type PlanValidationContext, type ShardPlan, type SplitPlan } from '@sixty/core';
import { FILES, TESTS, shardContext, shardPlan, splitContext, splitPlan } from './plan-fixtures';

const part = (plan: SplitPlan, index: number): PlanProject => plan.projects[index] as PlanProject;
const shard = (plan: ShardPlan, index: number): PlanShard => plan.shards[index] as PlanShard;

describe('validatePlan on split plans', () => {
  it('accepts a plan that places every file once, inside budget, acyclic, with its facade', () => {
    expect(validatePlan(splitPlan(), splitContext())).toEqual({ valid: true, problems: [] });
  });

  it('reports missing, duplicated and foreign files, one line each', () => {
    const plan = splitPlan();
    part(plan, 0).files = [FILES.one, FILES.one, 'libs/a/src/ghost.ts', 'libs/b/src/other.ts'];
    part(plan, 1).files.push(FILES.one);
    plan.facade = [{ from: FILES.index, project: 'lib-a-y', module: FILES.three }];
    expect(validatePlan(plan, splitContext()).problems).toEqual([
      'part "lib-a-x": "libs/a/src/ghost.ts" is not a file of the project',
      'part "lib-a-x": "libs/b/src/other.ts" is outside the project libs/a',
      '"libs/a/src/x/one.ts" is listed 3 times (in part "lib-a-x", part "lib-a-y")',
      '"libs/a/src/x/two.ts" is in no part and not in keptFiles: every file of the project must be placed',
      // two.ts, placed nowhere, counts as staying in the old project: three.ts (lib-a-y) imports it
      'cycle between the new parts and the old project: "lib-a-y" -> the old project -> "lib-a-y"',
      'lost public export: "libs/a/src/x/one.ts" (exposed by the old entry) moves to part "lib-a-x" with no facade re-export',
    ]);
  });

  it('rejects paths that leave the project: absolute, .., backslashes, symlinks out', () => {
    const plan = splitPlan();
    part(plan, 0).files = [FILES.one, FILES.two, '/etc/passwd', 'libs/a/../../etc/passwd', 'libs\\a\\src\\x\\one.ts', 'C:/x.ts', 'libs/a/src/link/secret.ts', 'libs/a//src/x/one.ts'];
    part(plan, 1).root = '../outside';
    const context: PlanValidationContext = { ...splitContext(), symlinksOutside: ['libs/a/src/link'] };
    expect(validatePlan(plan, context).problems).toEqual([
      'part "lib-a-x": "/etc/passwd" is absolute; use a path relative to the workspace root',
      'part "lib-a-x": "libs/a/../../etc/passwd" contains ".."; it must stay inside the project',
      'part "lib-a-x": "libs\\\\a\\\\src\\\\x\\\\one.ts" contains a backslash; use / as the separator',
      'part "lib-a-x": "C:/x.ts" is absolute; use a path relative to the workspace root',
      'part "lib-a-x": "libs/a/src/link/secret.ts" goes through the symbolic link libs/a/src/link, which points outside the project',
      'part "lib-a-x": "libs/a//src/x/one.ts" is not normalized (empty or "." segment)',
      'part "lib-a-y": root "../outside" contains ".."; it must stay inside the project',
    ]);
  });

  it('refuses to move a file that configures the project (package.json, project.json, tsconfig*, test and lint configs)', () => {
    const configuration = ['libs/a/package.json', 'libs/a/project.json', 'libs/a/tsconfig.lib.json', 'libs/a/vitest.config.mts', 'libs/a/jest.config.ts', 'libs/a/.eslintrc.json', 'libs/a/eslint.config.mjs'];
    const plan = splitPlan();
    part(plan, 0).files.push(...configuration);
    const context: PlanValidationContext = { ...splitContext(), projectFiles: [...Object.values(FILES), ...configuration] };
    expect(validatePlan(plan, context).problems).toEqual(
      configuration.map((file) => `part "lib-a-x": "${file}" configures the project being split and never moves (list it in keptFiles; the new project gets its own copy)`),
    );
    part(plan, 0).files.splice(2);
    plan.keptFiles = [FILES.index, ...configuration];
    expect(validatePlan(plan, context)).toEqual({ valid: true, problems: [] });
  });

  it('rejects invalid names, names of existing projects, and names used twice', () => {
    const plan = splitPlan();
    part(plan, 0).name = 'Lib-B';
    part(plan, 1).name = 'lib a!';
    plan.facade = [];
    plan.projects.push({ ...part(splitPlan(), 1), name: 'lib-a-z', root: 'libs/lib-a-z', entry: 'libs/lib-a-z/src/index.ts', files: [], dependsOn: [] });
    plan.projects.push({ ...part(splitPlan(), 1), name: 'LIB-A-Z', root: 'libs/lib-a-w', entry: 'libs/lib-a-w/index.ts', files: [], dependsOn: [] });
    const problems = validatePlan(plan, { ...splitContext(), publicExports: [], importEdges: [] }).problems;
    expect(problems).toEqual([
      'part "Lib-B": collides with the existing project lib-b',
      'part "lib a!": not a valid Nx project name (letters, digits, -, _ and ., optionally @scope/ first)',
      'part "lib-a-z": has no files',
      'part "LIB-A-Z": the name is used by more than one part',
      'part "LIB-A-Z": has no files',
      'part "lib a!": depends on "lib-a-x", which is neither a part nor an existing project',
    ]);
  });

  it('accepts scoped names and dependencies on existing projects', () => {
    const plan = splitPlan();
    part(plan, 0).name = '@org/lib-a-x';
    part(plan, 1).dependsOn = ['@org/lib-a-x', '@org/util'];
    plan.facade = [
      { from: FILES.index, project: '@org/lib-a-x', module: FILES.one },
      { from: FILES.index, project: 'lib-a-y', module: FILES.three },
    ];
    expect(validatePlan(plan, splitContext())).toEqual({ valid: true, problems: [] });
  });

  it('finds cycles through dependsOn', () => {
    const plan = splitPlan();
    part(plan, 0).dependsOn = ['lib-a-y'];
    expect(validatePlan(plan, { ...splitContext(), importEdges: undefined }).problems).toEqual(['cycle between new parts: "lib-a-x" -> "lib-a-y" -> "lib-a-x"']);
    part(plan, 0).dependsOn = ['lib-a-x'];
    expect(validatePlan(plan, { ...splitContext(), importEdges: undefined }).problems).toEqual(['cycle: part "lib-a-x" depends on itself']);
  });

  it('finds cycles and undeclared dependencies through import edges between the parts files', () => {
    const context = splitContext();
    const edges = [...(context.importEdges ?? []), { from: FILES.one, to: FILES.three }];
    expect(validatePlan(splitPlan(), { ...context, importEdges: edges }).problems).toEqual([
      'part "lib-a-x": imports part "lib-a-y" ("libs/a/src/x/one.ts" -> "libs/a/src/y/three.ts") but does not list it in dependsOn',
      'cycle between new parts: "lib-a-x" -> "lib-a-y" -> "lib-a-x"',
    ]);
    const throughFacade = [...(context.importEdges ?? []), { from: FILES.two, to: FILES.index }];
    expect(validatePlan(splitPlan(), { ...context, importEdges: throughFacade }).problems).toEqual([
      'cycle between the new parts and the old project: "lib-a-x" -> the old project -> "lib-a-x"',
    ]);
  });

  it('reports parts and kept files over budget, and a budget or task that is not the target', () => {
    const plan = splitPlan();
    part(plan, 1).estimatedMs = 60_001;
    plan.keptEstimatedMs = 70_000;
    plan.task = 'lib-b:test';
    plan.budgetMs = 120_000;
    expect(validatePlan(plan, splitContext()).problems).toEqual([
      'plan.task: "lib-b:test" is not the target being planned (lib-a:test)',
      "plan.budgetMs: 120000 is not the target's budget (60000 ms)",
      'part "lib-a-y": estimated 60001 ms, over the 60000 ms budget',
      'the old project (keptFiles): estimated 70000 ms, over the 60000 ms budget',
    ]);
  });

  it('checks roots, entries and facade entries', () => {
    const plan = splitPlan();
    part(plan, 0).root = 'libs/a/sub';
    part(plan, 0).entry = 'libs/elsewhere/index.ts';
    part(plan, 1).root = 'libs/a/sub/deeper';
    part(plan, 1).entry = 'libs/a/sub/deeper/src/index.ts';
    plan.facade = [
      { from: FILES.one, project: 'lib-a-x', module: FILES.one },
      { from: FILES.index, project: 'lib-a-q', module: FILES.three },
      { from: FILES.index, project: 'lib-a-y', module: FILES.two },
    ];
    expect(validatePlan(plan, splitContext()).problems).toEqual([
      'part "lib-a-x": root "libs/a/sub" is inside the project being split; put new projects next to it',
      'part "lib-a-x": entry "libs/elsewhere/index.ts" is not inside its root "libs/a/sub"',
      'part "lib-a-y": root "libs/a/sub/deeper" is inside the project being split; put new projects next to it',
      'part "lib-a-y": root "libs/a/sub/deeper" overlaps the root of part "lib-a-x"',
      'plan.facade[0]: "libs/a/src/x/one.ts" is not a file the old project keeps (the facade lives in the old entry)',
      'plan.facade[1]: "lib-a-q" is not a part of this plan',
      'plan.facade[2]: "libs/a/src/x/two.ts" is not a file of part "lib-a-y"',
      'lost public export: "libs/a/src/y/three.ts" (exposed by the old entry) moves to part "lib-a-y" with no facade re-export',
    ]);
  });

  it('lets a root project gain nested projects only in folders that hold none of its files', () => {
    const plan = splitPlan();
    plan.projects = [
      { ...part(plan, 0), root: 'libs/a', entry: 'libs/a/index.ts' },
      { ...part(plan, 1), root: 'packages/y', entry: 'packages/y/src/index.ts' },
    ];
    const context: PlanValidationContext = { ...splitContext(), projectRoot: '.' };
    expect(validatePlan(plan, context).problems).toEqual(['part "lib-a-x": root "libs/a" already holds "libs/a/src/index.ts" of the project being split']);
  });

  it('stays fast on a plan with thousands of parts', () => {
    const plan = splitPlan();
    plan.projects = Array.from({ length: 5_000 }, (_, i) => ({ name: `p-${i}`, root: `libs/p-${i}`, files: [], dependsOn: i > 0 ? [`p-${i - 1}`] : [], entry: `libs/p-${i}/index.ts`, estimatedMs: 1 }));
    const started = performance.now();
    const { problems } = validatePlan(plan, { ...splitContext(), projectRoot: '' });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(problems[0]).toBe('part "p-0": has no files');
  });

  it(`caps the report at ${MAX_PROBLEM_LINES} lines and says how many more there were`, () => {
    const plan = splitPlan();
    part(plan, 0).files.push(...Array.from({ length: 120 }, (_, i) => `libs/a/src/ghost-${i}.ts`));
    const { valid, problems } = validatePlan(plan, splitContext());
    expect(valid).toBe(false);
    expect(problems).toHaveLength(MAX_PROBLEM_LINES + 1);
    expect(problems[0]).toBe('part "lib-a-x": "libs/a/src/ghost-0.ts" is not a file of the project');
    expect(problems[MAX_PROBLEM_LINES]).toBe('... and 70 more');
  });
});

describe('validatePlan on shard plans', () => {
  it('accepts shards that cover every test file once within budget', () => {
    expect(validatePlan(shardPlan(), shardContext())).toEqual({ valid: true, problems: [] });
  });

  it('checks shard names, empty shards, coverage and budget', () => {
    const plan = shardPlan();
    shard(plan, 0).name = 'shard-1-of-3';
    shard(plan, 1).files = [TESTS[1] as string, TESTS[0] as string];
    shard(plan, 1).estimatedMs = 61_000;
    plan.shards.push({ name: 'shard-2-of-2', files: [], estimatedMs: 0 });
    expect(validatePlan(plan, { ...shardContext(), budgetMs: 60_000 }).problems).toEqual([
      'plan.shards[1]: name "shard-2-of-2" must be shard-<i>-of-3 with i from 1 to 3',
      'shard "shard-2-of-2": estimated 61000 ms, over the 60000 ms budget',
      'plan.shards[2]: name "shard-2-of-2" must be shard-<i>-of-3 with i from 1 to 3',
      'shard "shard-2-of-2": has no files',
      '"libs/a/test/a.test.ts" is listed 2 times (in shard "shard-1-of-3", shard "shard-2-of-2")',
      '"libs/a/test/c.test.ts" is in no shard: every file of the project must be placed',
    ]);
  });

  it('names a file that alone exceeds the budget', () => {
    const plan = shardPlan();
    plan.shards = [
      { name: 'shard-1-of-2', files: [TESTS[0] as string, TESTS[1] as string, TESTS[2] as string], estimatedMs: 50_000 },
      { name: 'shard-2-of-2', files: [TESTS[3] as string], estimatedMs: 95_000 },
    ];
    plan.oversizedFiles = [{ file: TESTS[3] as string, estimatedMs: 95_000 }];
    expect(validatePlan(plan, shardContext()).problems).toEqual([
      'shard "shard-2-of-2": "libs/a/test/d.test.ts" alone takes 95000 ms, over the 60000 ms budget; no shard count fixes it (split that test file)',
    ]);
  });
});

describe('validatePlan on hostile input', () => {
  const context = splitContext();
  const expectWellFormed = (result: { valid: boolean; problems: string[] }): void => {
    expect(typeof result.valid).toBe('boolean');
    expect(result.problems.length).toBeLessThanOrEqual(MAX_PROBLEM_LINES + 1);
    for (const line of result.problems) {
      expect(typeof line).toBe('string');
      expect(line.length).toBeLessThan(1000);
    }
    expect(result.valid).toBe(result.problems.length === 0);
  };

  it('survives huge strings, deep nesting, pollution keys, non-objects and NaN', () => {
    const huge = 'x'.repeat(5_000_000);
    let deepArray: unknown = 'leaf';
    let deepObject: unknown = { leaf: true };
    for (let i = 0; i < 10_000; i++) {
      deepArray = [deepArray];
      deepObject = { nested: deepObject };
    }
    const hostile: unknown[] = [
      undefined,
      null,
      NaN,
      0,
      'plan',
      huge,
      [],
      deepArray,
      deepObject,
      { ...splitPlan(), rationale: huge },
      { ...splitPlan(), task: huge },
      { ...splitPlan(), projects: [{ ...part(splitPlan(), 0), name: huge, files: [huge] }] },
      { ...splitPlan(), projects: deepArray },
      { ...splitPlan(), facade: deepObject },
      { ...splitPlan(), budgetMs: NaN },
      { ...shardPlan(), shards: [{ name: 'shard-1-of-1', files: TESTS, estimatedMs: NaN }] },
      JSON.parse('{"__proto__": {"kind": "split"}, "constructor": {"prototype": {"polluted": 1}}}'),
      { ...splitPlan(), [huge]: 1 },
    ];
    for (const value of hostile) {
      const result = validatePlan(value, context);
      expectWellFormed(result);
      expect(result.valid).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A plan without a prototype is still a plan.
    expect(validatePlan(Object.assign(Object.create(null), splitPlan()), context)).toEqual({ valid: true, problems: [] });
  });

  it('never throws and always answers in bounded lines for any value (fc.anything)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }), (value) => {
        expectWellFormed(validatePlan(value, context));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on JSON values shaped like plans (fc.jsonValue mixed into real plans)', () => {
    const planKeys = ['schemaVersion', 'kind', 'task', 'budgetMs', 'rationale', 'source', 'shards', 'projects', 'facade', 'keptFiles', 'name', 'files', '__proto__'];
    fc.assert(
      fc.property(fc.constantFrom(splitPlan(), shardPlan()), fc.constantFrom(...planKeys), fc.jsonValue(), (base, key, value) => {
        const copy = (): unknown => JSON.parse(JSON.stringify(value));
        const plan = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
        for (const list of [plan.projects, plan.shards]) {
          if (Array.isArray(list) && typeof list[0] === 'object' && list[0] !== null) (list[0] as Record<string, unknown>)[key] = copy();
        }
        plan[key] = copy();
        expectWellFormed(validatePlan(plan, base.kind === 'split' ? context : shardContext()));
        expectWellFormed(validatePlan(JSON.parse(JSON.stringify(plan)), context));
      }),
      { numRuns: 300 },
    );
  });
});
