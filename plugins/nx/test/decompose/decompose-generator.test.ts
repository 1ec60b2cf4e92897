import { logger, readJson, type Tree } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SplitPlan } from '@sixty/core';
import { DecomposeRefusal } from '../../src/generators/decompose/decompose-refusal';
import decomposeGenerator from '../../src/generators/decompose/generator';
import { createFixtureTree, fixturePlan, LIB_C_FILES, snapshot, writePlan } from './fixture-workspace';

let tree: Tree;
let initCwd: string | undefined;
let info: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  initCwd = process.env.INIT_CWD;
  tree = createFixtureTree(); // sets INIT_CWD
  info = vi.spyOn(logger, 'info').mockImplementation(() => {});
});
afterEach(() => {
  info.mockRestore();
  if (initCwd === undefined) delete process.env.INIT_CWD;
  else process.env.INIT_CWD = initCwd;
});

const read = (path: string): string | null => tree.read(path, 'utf-8');

async function apply(plan: unknown): Promise<void> {
  await decomposeGenerator(tree, { plan: writePlan(tree, plan) });
}

/** Applies a plan that must be refused: returns the refusal, having checked that the Tree did not change. */
async function refusal(plan: unknown): Promise<DecomposeRefusal> {
  const path = writePlan(tree, plan);
  const before = snapshot(tree);
  const error = await decomposeGenerator(tree, { plan: path }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DecomposeRefusal);
  expect(snapshot(tree)).toEqual(before);
  return error as DecomposeRefusal;
}

describe('decompose generator: applying a valid plan', () => {
  it('creates each new project with the old project.json adapted to its root', async () => {
    await apply(fixturePlan(tree));
    expect(readJson(tree, 'libs/lib-c-parse/project.json')).toEqual({
      name: 'lib-c-parse',
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      sourceRoot: 'libs/lib-c-parse/src',
      projectType: 'library',
      tags: ['scope:shared'],
      targets: {
        build: {
          executor: '@nx/js:tsc',
          outputs: ['{options.outputPath}'],
          options: { outputPath: 'dist/libs/lib-c-parse', main: 'libs/lib-c-parse/src/index.ts', tsConfig: 'libs/lib-c-parse/tsconfig.lib.json' },
        },
        test: { executor: '@nx/vite:test', outputs: ['{workspaceRoot}/coverage/{projectRoot}'], options: { config: 'libs/lib-c-parse/vitest.config.ts' } },
        lint: { executor: '@nx/eslint:lint' },
      },
    });
    expect(read('libs/lib-c-parse/vitest.config.ts')).toBe(`export default { test: { name: 'lib-c-parse', reportsDirectory: '../../coverage/libs/lib-c-parse' } };\n`);
    expect(readJson(tree, 'libs/lib-c-parse/tsconfig.lib.json')).toEqual(readJson(tree, 'libs/lib-c/tsconfig.lib.json'));
  });

  it('gives a part its own output folder where the old one\'s is outside the project and named after it (angular-eslint: TS6377 otherwise)', async () => {
    const outputs = { outDir: '../../dist/out-tsc/lib-c', tsBuildInfoFile: 'dist/tsconfig.tsbuildinfo', declarationDir: '../../dist/types' };
    tree.write('libs/lib-c/tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: outputs, files: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] }));
    await apply(fixturePlan(tree));
    expect(readJson(tree, 'libs/lib-c-parse/tsconfig.json').compilerOptions).toEqual({ ...outputs, outDir: '../../dist/out-tsc/lib-c-parse' });
    expect(readJson(tree, 'libs/lib-c/tsconfig.json').compilerOptions).toEqual(outputs);
  });

  it('moves the files, keeping their content but for the imports that must change', async () => {
    await apply(fixturePlan(tree));
    for (const path of Object.keys(LIB_C_FILES).filter((p) => !p.endsWith('index.ts') && !p.endsWith('helper.ts'))) expect(tree.exists(path)).toBe(false);
    expect(read('libs/lib-c-parse/src/lib/parse.ts')).toBe(LIB_C_FILES['libs/lib-c/src/lib/parse.ts']);
    expect(read('libs/lib-c-parse/src/lib/types.ts')).toBe(LIB_C_FILES['libs/lib-c/src/lib/types.ts']);
    expect(read('libs/lib-c-parse/src/lib/parse.spec.ts')).toBe(LIB_C_FILES['libs/lib-c/src/lib/parse.spec.ts']);
    // relative import of a module now in another part -> that part's package; the comment and the string stay
    expect(read('libs/lib-c-format/src/lib/format.ts')).toBe(
      [
        `import { parse } from '@acme/lib-c-parse';`,
        `import { a } from '@acme/lib-a';`,
        `// import { nothing } from './not-an-import';`,
        `export function format(text: string): string {`,
        `  return parse(text) + a + " from './parse'";`,
        `}`,
        ``,
      ].join('\n'),
    );
    expect(read('libs/lib-c-format/src/lib/format.spec.ts')).toBe(
      `import { format } from './format';\nimport { parse } from '@acme/lib-c-parse';\nit('formats', () => expect(format(parse(' x '))).toBe('x1'));\n`,
    );
  });

  it('rewrites imports in other projects: an alias of a moved module and a deep relative path become the part, the rest stays', async () => {
    await apply(fixturePlan(tree));
    expect(read('apps/app-x/src/main.ts')).toBe(
      [
        `import { format } from '@acme/lib-c';`,
        `import { parse } from '@acme/lib-c-parse';`,
        `import { helper } from '../../../libs/lib-c/src/lib/helper';`,
        `import { Options } from "@acme/lib-c-parse";`,
        `console.log(format('x'), parse('y'), helper(), 'libs/lib-c/src/lib/parse');`,
        ``,
      ].join('\n'),
    );
  });

  it('keeps the old entry as a facade over the parts, and gives each part an entry re-exporting its modules', async () => {
    await apply(fixturePlan(tree));
    expect(read('libs/lib-c/src/index.ts')).toBe(
      [`export * from '@acme/lib-c-format';`, `export * from '@acme/lib-c-parse';`, `export { helper } from './lib/helper';`, `export const version = '1';`, ``].join('\n'),
    );
    expect(read('libs/lib-c-parse/src/index.ts')).toBe(`export * from './lib/parse';\nexport * from './lib/types';\n`);
    expect(read('libs/lib-c-format/src/index.ts')).toBe(`export * from './lib/format';\n`);
  });

  it('appends a facade re-export the old entry does not have yet, and rewrites require() and test mocks too', async () => {
    tree.write('libs/lib-c/src/index.ts', `export * from './lib/parse';\nexport { helper } from './lib/helper';\n`);
    tree.write('libs/lib-c/src/lib/helper.ts', `const parse = require('./parse');\njest.mock('./format');\nexport const helper = (): string => parse.parse('h');\n`);
    await apply(fixturePlan(tree));
    expect(read('libs/lib-c/src/index.ts')).toBe(`export * from '@acme/lib-c-parse';\nexport { helper } from './lib/helper';\nexport * from '@acme/lib-c-format';\n`);
    expect(read('libs/lib-c/src/lib/helper.ts')).toBe(`const parse = require('@acme/lib-c-parse');\njest.mock('../../../lib-c-format/src/lib/format');\nexport const helper = (): string => parse.parse('h');\n`);
  });

  it('adds a tsconfig path per new project, next to the old project\'s', async () => {
    await apply(fixturePlan(tree));
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@acme/lib-a': ['libs/lib-a/src/index.ts'],
      '@acme/lib-c': ['libs/lib-c/src/index.ts'],
      '@acme/lib-c-parse': ['libs/lib-c-parse/src/index.ts'],
      '@acme/lib-c-format': ['libs/lib-c-format/src/index.ts'],
      '@acme/lib-c/*': ['libs/lib-c/src/*'],
    });
    expect(Object.keys(readJson(tree, 'tsconfig.base.json').compilerOptions.paths)).toEqual(['@acme/lib-a', '@acme/lib-c', '@acme/lib-c-parse', '@acme/lib-c-format', '@acme/lib-c/*']);
  });

  it('gives test targets and test configs only to projects with test files', async () => {
    await apply(
      fixturePlan(tree, (plan) => {
        const parse = plan.projects[0]!;
        parse.files = parse.files.filter((file) => !file.endsWith('types.ts'));
        parse.dependsOn = ['lib-c-types'];
        plan.projects.push({ name: 'lib-c-types', root: 'libs/lib-c-types', files: ['libs/lib-c/src/lib/types.ts'], dependsOn: [], entry: 'libs/lib-c-types/src/index.ts', estimatedMs: 10 });
      }),
    );
    expect(Object.keys(readJson(tree, 'libs/lib-c-types/project.json').targets)).toEqual(['build', 'lint']);
    expect(tree.exists('libs/lib-c-types/vitest.config.ts')).toBe(false);
    expect(tree.exists('libs/lib-c-types/tsconfig.spec.json')).toBe(false);
    expect(readJson(tree, 'libs/lib-c-types/tsconfig.json').references).toEqual([{ path: './tsconfig.lib.json' }]);
    expect(read('libs/lib-c-parse/src/lib/parse.ts')).toBe(LIB_C_FILES['libs/lib-c/src/lib/parse.ts'].replace(`'./types'`, `'@acme/lib-c-types'`));
    // the old project keeps no test file: its test target goes, the rest stays as it was
    expect(readJson(tree, 'libs/lib-c/project.json').targets).toEqual({
      build: {
        executor: '@nx/js:tsc',
        outputs: ['{options.outputPath}'],
        options: { outputPath: 'dist/libs/lib-c', main: 'libs/lib-c/src/index.ts', tsConfig: 'libs/lib-c/tsconfig.lib.json' },
      },
      lint: { executor: '@nx/eslint:lint' },
    });
  });

  it('moves a part to another depth: relative paths leaving the project and ../ climbs in its configuration follow it', async () => {
    tree.write('tools/shared.ts', `export const shared = 1;\n`);
    tree.write('libs/lib-c/src/lib/format.ts', `import { parse } from './parse';\nimport { shared } from '../../../../tools/shared';\nexport const format = (text: string): string => parse(text) + shared;\n`);
    await apply(
      fixturePlan(tree, (plan) => {
        plan.projects[1]!.root = 'libs/split/lib-c-format';
        plan.projects[1]!.entry = 'libs/split/lib-c-format/src/index.ts';
      }),
    );
    expect(read('libs/split/lib-c-format/src/lib/format.ts')).toBe(
      `import { parse } from '@acme/lib-c-parse';\nimport { shared } from '../../../../../tools/shared';\nexport const format = (text: string): string => parse(text) + shared;\n`,
    );
    expect(read('libs/split/lib-c-format/vitest.config.ts')).toBe(`export default { test: { name: 'lib-c-format', reportsDirectory: '../../../coverage/libs/split/lib-c-format' } };\n`);
    expect(readJson(tree, 'libs/split/lib-c-format/project.json').$schema).toBe('../../../node_modules/nx/schemas/project-schema.json');
    expect(readJson(tree, 'libs/split/lib-c-format/tsconfig.json').extends).toBe('../../../tsconfig.base.json');
  });

  it('writes the entry in the workspace\'s specifier style (NodeNext: ./x.js for x.ts)', async () => {
    for (const [path, content] of Object.entries(LIB_C_FILES)) tree.write(path, content.replace(/from '(\.[^']+)'/g, "from '$1.js'"));
    await apply(fixturePlan(tree));
    expect(read('libs/lib-c-parse/src/index.ts')).toBe(`export * from './lib/parse.js';\nexport * from './lib/types.js';\n`);
    expect(read('libs/lib-c-parse/src/lib/parse.ts')).toContain(`import type { Options } from './types.js';`);
    expect(read('libs/lib-c-format/src/lib/format.ts')).toContain(`import { parse } from '@acme/lib-c-parse';`);
  });

  it('is a no-op, saying so, when the plan is applied a second time', async () => {
    const plan = fixturePlan(tree);
    await apply(plan);
    const afterFirst = snapshot(tree);
    await decomposeGenerator(tree, { plan: 'plan.json' });
    expect(snapshot(tree)).toEqual(afterFirst);
    expect(info).toHaveBeenLastCalledWith('plan.json is already applied: lib-c-parse, lib-c-format exist and hold the moved files, and the old entry re-exports them; nothing to do');
  });

  it('does not call a half-written split applied: the facade not rewritten', async () => {
    const plan = fixturePlan(tree);
    await apply(plan);
    tree.write('libs/lib-c/src/index.ts', LIB_C_FILES['libs/lib-c/src/index.ts']);
    info.mockClear();
    const error = await decomposeGenerator(tree, { plan: 'plan.json' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(info).not.toHaveBeenCalledWith(expect.stringContaining('already applied'));
    expect(error).toBeInstanceOf(DecomposeRefusal);
  });
});

describe('decompose generator: package.json workspaces', () => {
  it('writes each part a package.json shaped like the old one, and makes the old one depend on the parts', async () => {
    tree.write('libs/lib-c/package.json', JSON.stringify({ name: '@acme/lib-c', version: '1.0.0', type: 'module', exports: './src/index.ts', dependencies: { '@acme/lib-a': '*', tslib: '^2.6.0' } }));
    tree.write('libs/lib-a/package.json', JSON.stringify({ name: '@acme/lib-a', version: '1.0.0' }));
    await apply(fixturePlan(tree));
    expect(readJson(tree, 'libs/lib-c-format/package.json')).toEqual({
      name: '@acme/lib-c-format',
      version: '1.0.0',
      type: 'module',
      exports: './src/index.ts',
      dependencies: { '@acme/lib-a': '*', '@acme/lib-c-parse': '*', tslib: '^2.6.0' },
    });
    expect(readJson(tree, 'libs/lib-c-parse/package.json')).toEqual({ name: '@acme/lib-c-parse', version: '1.0.0', type: 'module', exports: './src/index.ts', dependencies: { tslib: '^2.6.0' } });
    expect(readJson(tree, 'libs/lib-c/package.json').dependencies).toEqual({ '@acme/lib-a': '*', '@acme/lib-c-format': '*', '@acme/lib-c-parse': '*', tslib: '^2.6.0' });
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/\n {2}npm install links the new packages and the dependencies each declares\nnext: npm install, then nx run-many -t build test$/));
  });

  it('gives each part the third-party packages it needs, in every section the old one has them, with the same ranges', async () => {
    tree.write('libs/lib-c/src/lib/format.ts', `import { x } from 'dep-x';\n${LIB_C_FILES['libs/lib-c/src/lib/format.ts']}export const y = x;\n`);
    tree.write('libs/lib-c/src/lib/parse.ts', `import type { Y } from 'dep-y/sub';\n${LIB_C_FILES['libs/lib-c/src/lib/parse.ts']}export type Z = Y;\n`);
    tree.write('libs/lib-c/vitest.config.ts', `import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { name: 'lib-c' } });\n`);
    tree.write(
      'libs/lib-c/package.json',
      JSON.stringify({
        name: '@acme/lib-c',
        version: '1.0.0',
        dependencies: { 'dep-x': '^1.2.0', 'dep-y': '~2.0.0', 'dep-z': 'file:../../vendor/dep-z', tslib: '^2.6.0' },
        peerDependencies: { 'dep-x': '>=1' },
        devDependencies: { '@types/dep-y': '^2.0.0', '@types/dep-unused': '^1.0.0', 'dep-unused': '^1.0.0', '@types/node': '^20.0.0', 'dep-x': '^1.2.0', vitest: '^4.0.0' },
      }),
    );
    tree.write('libs/lib-c/src/lib/helper.ts', `import 'dep-unused';\n${LIB_C_FILES['libs/lib-c/src/lib/helper.ts']}`);
    tree.write('pnpm-workspace.yaml', `packages:\n  - 'libs/*'\n`);
    tree.write('pnpm-lock.yaml', `lockfileVersion: '9.0'\n`);
    await apply(fixturePlan(tree));
    // dep-x: imported; dep-y and its types: imported (a subpath, type only); dep-z, tslib, @types/node, vitest: no file imports them
    // (helpers, ambient types, tools), so every part keeps them; dep-unused and its types: only a kept file imports it
    expect(readJson(tree, 'libs/lib-c-format/package.json')).toEqual({
      name: '@acme/lib-c-format',
      version: '1.0.0',
      dependencies: { '@acme/lib-c-parse': 'workspace:*', 'dep-x': '^1.2.0', 'dep-z': 'file:../../vendor/dep-z', tslib: '^2.6.0' },
      peerDependencies: { 'dep-x': '>=1' },
      devDependencies: { '@types/node': '^20.0.0', 'dep-x': '^1.2.0', vitest: '^4.0.0' },
    });
    expect(readJson(tree, 'libs/lib-c-parse/package.json')).toEqual({
      name: '@acme/lib-c-parse',
      version: '1.0.0',
      dependencies: { 'dep-y': '~2.0.0', 'dep-z': 'file:../../vendor/dep-z', tslib: '^2.6.0' },
      devDependencies: { '@types/dep-y': '^2.0.0', '@types/node': '^20.0.0', vitest: '^4.0.0' },
    });
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/\n {2}pnpm install links the new packages and the dependencies each declares, and records them in pnpm-lock\.yaml \(commit it\)\nnext: pnpm install, then nx run-many -t build test$/));
  });

  it('says to run nx sync where nx keeps TypeScript project references in sync', async () => {
    tree.write('libs/lib-c/package.json', JSON.stringify({ name: '@acme/lib-c', version: '1.0.0' }));
    const nxJson = readJson(tree, 'nx.json') as Record<string, unknown>;
    tree.write('nx.json', JSON.stringify({ ...nxJson, plugins: [{ plugin: '@nx/js/typescript', options: {} }] }));
    await apply(fixturePlan(tree));
    expect(info).toHaveBeenCalledWith(expect.stringMatching(/\nnext: npm install, then nx sync, then nx run-many -t build test$/));
  });
});

describe('decompose generator: plans it refuses, changing nothing', () => {
  it('a path that leaves the project or the workspace', async () => {
    const error = await refusal(
      fixturePlan(tree, (plan) => {
        plan.projects[0]!.files.push('libs/lib-c/../../etc/passwd');
        plan.projects[1]!.root = '../outside';
        plan.projects[1]!.entry = '../outside/src/index.ts';
      }),
    );
    expect(error.problems).toEqual([
      'part "lib-c-parse": "libs/lib-c/../../etc/passwd" contains ".."; it must stay inside the project',
      'part "lib-c-format": root "../outside" contains ".."; it must stay inside the project',
    ]);
    expect(error.message).toMatch(/^cannot apply plan\.json \(lib-c:build\): 2 problems, nothing was changed\n/);
  });

  it('a new project named like an existing one', async () => {
    const error = await refusal(
      fixturePlan(tree, (plan) => {
        plan.projects[1]!.name = 'lib-a';
        plan.projects[1]!.dependsOn = ['lib-c-parse'];
        plan.facade![0]!.project = 'lib-a';
      }),
    );
    expect(error.problems).toContain('part "lib-a": collides with the existing project lib-a');
  });

  it('a root that already holds files', async () => {
    tree.write('libs/lib-c-parse/README.md', 'taken\n');
    const error = await refusal(fixturePlan(tree));
    expect(error.problems).toEqual(['part "lib-c-parse": root "libs/lib-c-parse" already exists and holds files']);
  });

  it('a cycle between the new projects', async () => {
    const error = await refusal(fixturePlan(tree, (plan) => plan.projects[0]!.dependsOn.push('lib-c-format')));
    expect(error.problems).toEqual(['cycle between new parts: "lib-c-parse" -> "lib-c-format" -> "lib-c-parse"']);
  });

  it('a stale plan: a file changed, a file gone, a file added since planning', async () => {
    const plan = fixturePlan(tree);
    tree.write('libs/lib-c/src/lib/parse.ts', `${LIB_C_FILES['libs/lib-c/src/lib/parse.ts']}// edited\n`);
    tree.delete('libs/lib-c/src/lib/types.ts');
    tree.write('libs/lib-c/src/lib/extra.ts', `export const extra = 1;\n`);
    const error = await refusal(plan);
    expect(error.problems).toEqual([
      'stale: "libs/lib-c/src/lib/types.ts" no longer exists',
      'stale: "libs/lib-c/src/lib/parse.ts" changed since the plan was made',
      'part "lib-c-parse": "libs/lib-c/src/lib/types.ts" is not a file of the project',
      '"libs/lib-c/src/lib/extra.ts" is in no part and not in keptFiles: every file of the project must be placed',
    ]);
    expect(error.message).toContain('fix: the project changed since planning: make a new plan with `sixty plan lib-c:build --kind split`');
  });

  it('a default import of a module that moves to another project', async () => {
    tree.write('libs/lib-c/src/lib/helper.ts', `import parse from './parse';\nexport const helper = (): string => parse('h');\n`);
    tree.write('libs/lib-c/src/lib/parse.ts', `export default function parse(text: string): string {\n  return text;\n}\n`);
    const error = await refusal(fixturePlan(tree));
    expect(error.problems).toEqual([
      '"libs/lib-c/src/lib/helper.ts" takes the default export of "libs/lib-c/src/lib/parse.ts", which moves to part "lib-c-parse": a package entry re-exports names, not defaults (export it by name, or keep both files in one part)',
    ]);
  });

  it('two modules of one part exporting the same name', async () => {
    tree.write('libs/lib-c/src/lib/types.ts', `export interface Options {\n  strict: boolean;\n}\nexport function parse(): void {}\n`);
    const error = await refusal(fixturePlan(tree));
    expect(error.problems).toEqual([
      'part "lib-c-parse": "libs/lib-c/src/lib/parse.ts" and "libs/lib-c/src/lib/types.ts" both export "parse"; its entry cannot re-export both (rename one, or put them in different parts)',
    ]);
  });

  it('not refused: a module exporting a name it imports from another module of its part (one binding, no clash)', async () => {
    tree.write('libs/lib-c/src/lib/types.ts', `import type { parse } from './parse';\nexport interface Options {\n  strict: boolean;\n}\nexport { parse };\n`);
    await apply(fixturePlan(tree));
    expect(read('libs/lib-c-parse/src/lib/types.ts')).toContain('export { parse };');
  });

  it('an import of a file that is not a module, from another project', async () => {
    tree.write('libs/lib-c/src/lib/format.ts', `import './format.css';\nexport const format = (text: string): string => text;\n`);
    tree.write('libs/lib-c/src/lib/format.css', `.x {}\n`);
    const error = await refusal(
      fixturePlan(tree, (plan) => {
        plan.projects[0]!.files.push('libs/lib-c/src/lib/format.css');
        plan.projects[1]!.dependsOn = ['lib-c-parse'];
      }),
    );
    expect(error.problems).toEqual([
      '"libs/lib-c/src/lib/format.ts" imports "libs/lib-c/src/lib/format.css", which moves to part "lib-c-parse": a package entry cannot re-export a file that is not a module (keep them in one part)',
    ]);
  });

  it('the project\'s own package.json listed as a file to move', async () => {
    tree.write('libs/lib-c/package.json', JSON.stringify({ name: '@acme/lib-c', version: '1.0.0' }));
    tree.write('libs/lib-c/src/lib/helper.ts', `import { version } from '../../package.json';\nexport const helper = (): string => version;\n`);
    const error = await refusal(
      fixturePlan(tree, (plan) => {
        plan.projects[0]!.files.push('libs/lib-c/package.json');
      }),
    );
    expect(error.problems).toEqual(['part "lib-c-parse": "libs/lib-c/package.json" configures the project being split and never moves (list it in keptFiles; the new project gets its own copy)']);
  });

  it('a part over budget and a public module moved without a facade', async () => {
    const error = await refusal(
      fixturePlan(tree, (plan) => {
        plan.projects[0]!.estimatedMs = 2000;
        plan.facade = plan.facade!.filter((facade) => facade.project !== 'lib-c-parse');
      }),
    );
    expect(error.problems).toEqual([
      'part "lib-c-parse": estimated 2000 ms, over the 1500 ms budget',
      'lost public export: "libs/lib-c/src/lib/parse.ts" (exposed by the old entry) moves to part "lib-c-parse" with no facade re-export',
    ]);
  });

  it('a file that is not a split plan', async () => {
    tree.write('broken.json', '{"schemaVersion": 1,');
    await expect(decomposeGenerator(tree, { plan: 'broken.json' })).rejects.toThrow(/^cannot apply broken\.json: it is not a valid plan\n {2}- plan: not valid JSON/);
    await expect(decomposeGenerator(tree, { plan: 'missing.json' })).rejects.toThrow(/^cannot read the plan missing\.json: no such file/);
    const shard = { schemaVersion: 1, kind: 'shard', task: 'lib-c:test', budgetMs: 1000, rationale: '', source: 'local', shards: [{ name: 'shard-1-of-1', files: ['a.ts'], estimatedMs: 1 }] };
    await expect(decomposeGenerator(tree, { plan: writePlan(tree, shard) })).rejects.toThrow(/it is a shard plan; this generator applies split plans/);
    await expect(decomposeGenerator(tree, { plan: writePlan(tree, { ...fixturePlan(tree), task: 'nope:build' } as SplitPlan) })).rejects.toThrow(
      /there is no project named "nope" in this workspace/,
    );
  });
});
