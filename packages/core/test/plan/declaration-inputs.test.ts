import { describe, expect, it } from 'vitest';
import {
  declarationEmitOf,
  declarationInputsWhatIf,
  resolveOutputs,
  DECLARATION_OUTPUTS_INPUT,
  isSixtyError,
  narrowBuildInputs,
  namedInputsOfNxJson,
  planDeclarationInputs,
  undeclaredDeclarationsReason,
  validateInputsPlan,
  type BuildTargetFacts,
  type InputsPlan,
} from '@sixty/core';

const facts = (project: string, overrides: Partial<BuildTargetFacts> = {}): BuildTargetFacts => ({
  task: `${project}:build`,
  project,
  projectRoot: `libs/${project}`,
  inputs: ['production', '^production'],
  outputs: [`libs/${project}/dist`],
  declarations: { directory: `libs/${project}/dist` },
  configFile: `libs/${project}/project.json`,
  ...overrides,
});

/** core <- a, b, c; a <- app (app depends on a, so on core transitively). */
const DEPENDENCIES: Record<string, string[]> = { core: [], a: ['core'], b: ['core'], c: ['core'], app: ['a'] };
const transitive = (project: string): string[] => {
  const found = new Set<string>();
  const stack = [...(DEPENDENCIES[project] ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (!found.has(next)) (found.add(next), stack.push(...(DEPENDENCIES[next] ?? [])));
  }
  return [...found];
};

describe('narrowBuildInputs', () => {
  it('replaces dependency-source inputs by the declaration outputs, in place, keeping the rest', () => {
    expect(narrowBuildInputs(['production', '^production', '{workspaceRoot}/scripts/**/*', { externalDependencies: ['typescript'] }])).toEqual({
      inputs: ['production', DECLARATION_OUTPUTS_INPUT, '{workspaceRoot}/scripts/**/*', { externalDependencies: ['typescript'] }],
    });
    expect(narrowBuildInputs(['^default', 'default', { input: 'production', dependencies: true }])).toEqual({ inputs: [DECLARATION_OUTPUTS_INPUT, 'default'] });
    // nx's default when a target sets none: default and ^default
    expect(narrowBuildInputs(undefined)).toEqual({ inputs: ['default', DECLARATION_OUTPUTS_INPUT] });
  });

  it('expands a named input that reads dependency sources, as nx does, so they can be narrowed', () => {
    const named = { default: ['{projectRoot}/**/*'], production: ['default', '!{projectRoot}/test/**/*', '^production'], sharedGlobals: ['{workspaceRoot}/babel.config.json'] };
    expect(narrowBuildInputs(['production', 'sharedGlobals'], named)).toEqual({
      inputs: ['default', '!{projectRoot}/test/**/*', DECLARATION_OUTPUTS_INPUT, 'sharedGlobals'],
    });
    expect(namedInputsOfNxJson('{ // comment\n "namedInputs": { "production": ["default"] } }')).toEqual({ production: ['default'] });
  });

  it('says when there is nothing to narrow', () => {
    expect(narrowBuildInputs(['production', { ...DECLARATION_OUTPUTS_INPUT }])).toEqual({ already: true });
    expect(narrowBuildInputs(['production'])).toEqual({ nothing: true });
  });
});

describe('undeclaredDeclarationsReason', () => {
  it('accepts declarations inside a declared output, path or glob', () => {
    expect(undeclaredDeclarationsReason(facts('a'))).toBeUndefined();
    expect(undeclaredDeclarationsReason(facts('a', { outputs: ['libs/a/dist/**/*.d.ts'] }))).toBeUndefined();
    expect(undeclaredDeclarationsReason(facts('a', { outputs: ['libs/a'] }))).toBeUndefined();
  });

  it('refuses a build without declarations, or whose declarations are not in its declared outputs', () => {
    expect(undeclaredDeclarationsReason(facts('a', { declarations: { none: 'esbuild emits no .d.ts' } }))).toBe('emits no declarations (esbuild emits no .d.ts)');
    expect(undeclaredDeclarationsReason(facts('a', { outputs: [] }))).toBe(
      'declares no outputs, and nx hashes dependentTasksOutputFiles only from declared outputs; add "outputs": ["libs/a/dist"] to it (where it writes its declarations)',
    );
    expect(undeclaredDeclarationsReason(facts('a', { outputs: ['libs/a/bundle'] }))).toBe(
      'writes its declarations to libs/a/dist, outside its declared outputs (libs/a/bundle), so nx would not hash them; add "libs/a/dist" to its outputs',
    );
  });
});

describe('planDeclarationInputs', () => {
  const plan = (targets: BuildTargetFacts[]): InputsPlan =>
    planDeclarationInputs({
      task: 'core:build',
      budgetMs: 60_000,
      targets: new Map(targets.map((target) => [target.project, target])),
      dependents: ['a', 'b', 'c', 'app'],
      dependenciesOf: transitive,
    });

  it('narrows every dependent build that emits declared declarations, and says why it leaves the others', () => {
    const result = plan([facts('core'), facts('a'), facts('b', { declarations: { none: 'no "declaration" in libs/b/tsconfig.lib.json' } }), facts('c', { configFile: null }), facts('app')]);
    expect(result.targets.map((target) => target.task)).toEqual(['a:build', 'app:build']);
    expect(result.targets[0]).toEqual({ task: 'a:build', configFile: 'libs/a/project.json', inputsBefore: ['production', '^production'], inputs: ['production', DECLARATION_OUTPUTS_INPUT] });
    expect(result.refused).toEqual([
      { task: 'b:build', reason: 'emits no declarations (no "declaration" in libs/b/tsconfig.lib.json)' },
      { task: 'c:build', reason: 'c has no project.json to set the inputs in (its targets are all inferred); add one with the target\'s "inputs"' },
    ]);
  });

  it('leaves a dependent whose other dependency hides its declarations', () => {
    const result = plan([facts('core'), facts('a', { outputs: [] }), facts('b'), facts('app')]);
    expect(result.targets.map((target) => target.task)).toEqual(['b:build']);
    expect(result.refused.find((r) => r.task === 'app:build')?.reason).toMatch(/^depends on a:build, whose declarations nx would not hash \(declares no outputs/);
  });

  it('refuses the whole plan when the planned build itself has no declared declarations', () => {
    try {
      plan([facts('core', { declarations: { none: 'esbuild bundle' } }), facts('a')]);
      expect.unreachable();
    } catch (error) {
      expect(isSixtyError(error) && error.code).toBe('NO_USEFUL_PLAN');
      expect((error as Error).message).toBe('core:build emits no declarations (esbuild bundle); its dependents must keep hashing its sources');
    }
  });
});

describe('validateInputsPlan', () => {
  const roots = new Map([['core', 'libs/core'], ['a', 'libs/a']]);
  const valid: InputsPlan = {
    schemaVersion: 1,
    kind: 'inputs',
    task: 'core:build',
    budgetMs: 60_000,
    rationale: 'r',
    source: 'local',
    targets: [{ task: 'a:build', configFile: 'libs/a/project.json', inputsBefore: ['production', '^production'], inputs: ['production', { ...DECLARATION_OUTPUTS_INPUT }] }],
    refused: [],
    verification: { change: 'appended "void 0;" to libs/core/src/index.ts', rebuilt: ['core:build'], cached: ['a:build'], comparedFiles: 4, differentFiles: [], identical: true },
  };

  it('accepts a verified plan', () => {
    expect(validateInputsPlan(valid, { projectRoots: roots })).toEqual({ valid: true, problems: [] });
  });

  it('names every problem', () => {
    const { verification, ...unverified } = valid;
    void verification;
    expect(validateInputsPlan(unverified, { projectRoots: roots }).problems).toEqual(['plan.verification: missing; the outputs were never compared. next: sixty plan core:build --kind inputs']);
    const bad = {
      ...valid,
      targets: [{ task: 'a:build', configFile: '../a/project.json', inputsBefore: [], inputs: ['^production'] }],
      verification: { ...valid.verification!, identical: false, differentFiles: ['libs/a/dist/index.js'] },
    };
    expect(validateInputsPlan(bad, { projectRoots: roots }).problems).toEqual([
      'plan.targets[0] ("a:build"): configFile "../a/project.json" contains ".."; it must stay inside the project',
      'plan.targets[0] ("a:build"): its new inputs still read dependency sources ("^production")',
      'plan.targets[0] ("a:build"): its new inputs lack {"dependentTasksOutputFiles":"**/*.d.ts","transitive":true}, so a change to a dependency\'s declarations would not rebuild it',
      'plan.verification: after appended "void 0;" to libs/core/src/index.ts, the builds with the new inputs left 1 output file(s) different from a full build (libs/a/dist/index.js): they do not compile against declarations only',
    ]);
    expect(validateInputsPlan({ ...valid, kind: 'inputs', targets: 'x' }, { projectRoots: roots }).problems).toEqual(['plan.targets: must be array']);
  });
});

describe('declarationInputsWhatIf', () => {
  it('estimates the loop of a change with the dependents\' builds from cache', () => {
    const tasks = ['core', 'a', 'b', 'c'].map((project) => ({ id: `${project}:build`, project, target: 'build' }));
    const savings = declarationInputsWhatIf({
      taskGraph: { tasks, dependencies: { 'core:build': [], 'a:build': ['core:build'], 'b:build': ['core:build'], 'c:build': ['core:build'] } },
      projectDependencies: { core: [], a: ['core'], b: ['core'], c: ['core'] },
      p90ByTask: new Map([['core:build', 10_000], ['a:build', 20_000], ['b:build', 20_000], ['c:build', 20_000]]),
      parallel: 2,
      target: 'build',
      narrowedTasks: new Set(['a:build', 'b:build', 'c:build']),
    });
    // before: core 10 s, then a and b side by side (20 s), then c (20 s) = 50 s; after: core alone
    expect(savings).toEqual([{ project: 'core', target: 'build', beforeMs: 50_000, afterMs: 10_000, savedMs: 40_000, cachedTasks: 3, appliedTasks: 0 }]);
  });
});

describe('declarationEmitOf', () => {
  const files: Record<string, string> = {
    'tsconfig.base.json': '{ "compilerOptions": { "declaration": true, /* comment */ } }',
    'libs/a/tsconfig.lib.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "outDir": "dist" } }',
    'libs/b/tsconfig.json': '{ "compilerOptions": { "outDir": "./out", "composite": true, "declarationDir": "types" } }',
    'libs/c/tsconfig.lib.json': '{ "extends": "../../tsconfig.base.json", "compilerOptions": { "declaration": false, "outDir": "dist" } }',
  };
  const read = (path: string): string | undefined => files[path];

  it('reads tsc command lines and @nx/js:tsc', () => {
    expect(declarationEmitOf({ executor: 'nx:run-commands', options: { command: 'tsc -p libs/a/tsconfig.lib.json' } }, read)).toEqual({ directory: 'libs/a/dist' });
    expect(declarationEmitOf({ executor: 'nx:run-commands', options: { command: 'npx tsc --build', cwd: 'libs/b' } }, read)).toEqual({ directory: 'libs/b/types' });
    expect(declarationEmitOf({ executor: '@nx/js:tsc', options: { tsConfig: 'libs/a/tsconfig.lib.json', outputPath: 'dist/libs/a' } }, read)).toEqual({ directory: 'dist/libs/a' });
  });

  it('says why a build emits none', () => {
    expect(declarationEmitOf({ executor: 'nx:run-commands', options: { command: 'tsc -p libs/c/tsconfig.lib.json' } }, read)).toEqual({ none: 'no "declaration" or "composite" in libs/c/tsconfig.lib.json' });
    expect(declarationEmitOf({ executor: 'nx:run-commands', options: { command: 'node build.mjs' } }, read)).toEqual({ none: 'its command runs no tsc (node build.mjs)' });
    expect(declarationEmitOf({ executor: '@nx/esbuild:esbuild', options: {} }, read)).toEqual({ none: 'its executor @nx/esbuild:esbuild is not tsc (sixty reads declarations from tsc builds)' });
    expect(declarationEmitOf({ executor: 'nx:run-commands', options: { command: 'tsc -p libs/z/tsconfig.json' } }, read)).toEqual({ none: 'libs/z/tsconfig.json does not exist' });
  });

  it('resolves output tokens', () => {
    expect(resolveOutputs(['{projectRoot}/dist', '{workspaceRoot}/dist/{projectRoot}', '{options.outputPath}', '{options.missing}'], 'libs/a', { outputPath: 'dist/x' })).toEqual(['libs/a/dist', 'dist/libs/a', 'dist/x']);
  });
});
