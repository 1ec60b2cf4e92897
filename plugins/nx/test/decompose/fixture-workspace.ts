// A small TypeScript Nx workspace in an Nx Tree: lib-c is split, app-x and lib-a import it.
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { withFileHashes, type SplitPlan } from '@sixty/core';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export const LIB_C_FILES = {
  'libs/lib-c/src/index.ts': [
    `export * from './lib/format';`,
    `export * from './lib/parse';`,
    `export { helper } from './lib/helper';`,
    `export const version = '1';`,
    ``,
  ].join('\n'),
  'libs/lib-c/src/lib/format.ts': [
    `import { parse } from './parse';`,
    `import { a } from '@acme/lib-a';`,
    `// import { nothing } from './not-an-import';`,
    `export function format(text: string): string {`,
    `  return parse(text) + a + " from './parse'";`,
    `}`,
    ``,
  ].join('\n'),
  'libs/lib-c/src/lib/parse.ts': [`import type { Options } from './types';`, `export function parse(text: string, options?: Options): string {`, `  return options?.strict ? text : text.trim();`, `}`, ``].join('\n'),
  'libs/lib-c/src/lib/types.ts': `export interface Options {\n  strict: boolean;\n}\n`,
  'libs/lib-c/src/lib/helper.ts': `export const helper = (): string => 'h';\n`,
  'libs/lib-c/src/lib/format.spec.ts': `import { format } from './format';\nimport { parse } from './parse';\nit('formats', () => expect(format(parse(' x '))).toBe('x1'));\n`,
  'libs/lib-c/src/lib/parse.spec.ts': `import { parse } from './parse';\nit('parses', () => expect(parse(' x ')).toBe('x'));\n`,
};

export const LIB_C_PROJECT_JSON = {
  name: 'lib-c',
  $schema: '../../node_modules/nx/schemas/project-schema.json',
  sourceRoot: 'libs/lib-c/src',
  projectType: 'library',
  tags: ['scope:shared'],
  targets: {
    build: {
      executor: '@nx/js:tsc',
      outputs: ['{options.outputPath}'],
      options: { outputPath: 'dist/libs/lib-c', main: 'libs/lib-c/src/index.ts', tsConfig: 'libs/lib-c/tsconfig.lib.json' },
    },
    test: { executor: '@nx/vite:test', outputs: ['{workspaceRoot}/coverage/{projectRoot}'], options: { config: 'libs/lib-c/vitest.config.ts' } },
    lint: { executor: '@nx/eslint:lint' },
  },
};

/** The workspace before the split. */
export function createFixtureTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(
    'tsconfig.base.json',
    json({
      compilerOptions: {
        baseUrl: '.',
        paths: { '@acme/lib-a': ['libs/lib-a/src/index.ts'], '@acme/lib-c': ['libs/lib-c/src/index.ts'], '@acme/lib-c/*': ['libs/lib-c/src/*'] },
      },
    }),
  );
  tree.write('libs/lib-a/project.json', json({ name: 'lib-a', sourceRoot: 'libs/lib-a/src', projectType: 'library', targets: {} }));
  tree.write('libs/lib-a/src/index.ts', `export const a = 1;\n`);
  tree.write('libs/lib-c/project.json', json(LIB_C_PROJECT_JSON));
  tree.write('libs/lib-c/tsconfig.json', json({ extends: '../../tsconfig.base.json', files: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] }));
  tree.write('libs/lib-c/tsconfig.lib.json', json({ extends: './tsconfig.json', compilerOptions: { outDir: '../../dist/out-tsc' }, include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts'] }));
  tree.write('libs/lib-c/tsconfig.spec.json', json({ extends: './tsconfig.json', include: ['src/**/*.spec.ts'] }));
  tree.write('libs/lib-c/vitest.config.ts', `export default { test: { name: 'lib-c', reportsDirectory: '../../coverage/libs/lib-c' } };\n`);
  for (const [path, content] of Object.entries(LIB_C_FILES)) tree.write(path, content);
  tree.write('apps/app-x/project.json', json({ name: 'app-x', sourceRoot: 'apps/app-x/src', projectType: 'application', targets: {} }));
  tree.write(
    'apps/app-x/src/main.ts',
    [
      `import { format } from '@acme/lib-c';`,
      `import { parse } from '@acme/lib-c/lib/parse';`,
      `import { helper } from '../../../libs/lib-c/src/lib/helper';`,
      `import { Options } from "../../../libs/lib-c/src/lib/types";`,
      `console.log(format('x'), parse('y'), helper(), 'libs/lib-c/src/lib/parse');`,
      ``,
    ].join('\n'),
  );
  return tree;
}

/** A valid split of lib-c into lib-c-parse and lib-c-format (hashes of the Tree's files included). */
export function fixturePlan(tree: Tree, change: (plan: SplitPlan) => void = () => {}): SplitPlan {
  const plan: SplitPlan = {
    schemaVersion: 1,
    kind: 'split',
    task: 'lib-c:build',
    budgetMs: 1500,
    rationale: 'test',
    source: 'local',
    projects: [
      {
        name: 'lib-c-parse',
        root: 'libs/lib-c-parse',
        files: ['libs/lib-c/src/lib/parse.spec.ts', 'libs/lib-c/src/lib/parse.ts', 'libs/lib-c/src/lib/types.ts'],
        dependsOn: [],
        entry: 'libs/lib-c-parse/src/index.ts',
        estimatedMs: 600,
      },
      {
        name: 'lib-c-format',
        root: 'libs/lib-c-format',
        files: ['libs/lib-c/src/lib/format.spec.ts', 'libs/lib-c/src/lib/format.ts'],
        dependsOn: ['lib-c-parse', 'lib-a'],
        entry: 'libs/lib-c-format/src/index.ts',
        estimatedMs: 700,
      },
    ],
    facade: [
      { from: 'libs/lib-c/src/index.ts', project: 'lib-c-format', module: 'libs/lib-c/src/lib/format.ts' },
      { from: 'libs/lib-c/src/index.ts', project: 'lib-c-parse', module: 'libs/lib-c/src/lib/parse.ts' },
    ],
    keptFiles: ['libs/lib-c/src/index.ts', 'libs/lib-c/src/lib/helper.ts'],
    keptEstimatedMs: 200,
  };
  change(plan);
  return withFileHashes(plan, (file) => (tree.exists(file) ? (tree.read(file) ?? undefined) : undefined));
}

export function writePlan(tree: Tree, plan: unknown, path = 'plan.json'): string {
  tree.write(path, json(plan));
  return path;
}

/** Every change the Tree holds, as path -> content (deleted files as null): compare before and after. */
export function snapshot(tree: Tree): Record<string, string | null> {
  return Object.fromEntries(
    tree
      .listChanges()
      .map((change) => [change.path, change.type === 'DELETE' ? null : (change.content?.toString('utf8') ?? '')] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}
