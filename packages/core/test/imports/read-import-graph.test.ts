import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSixtyError, readImportGraph, type ImportGraph } from '@sixty/core';
import { addFiles, treesRemovedAfterEach } from './temp-tree';

const tree = treesRemovedAfterEach();

const edge = (from: string, to: string, flags: { typeOnly?: boolean; dynamic?: boolean } = {}) => ({
  from,
  to,
  typeOnly: flags.typeOnly ?? false,
  dynamic: flags.dynamic ?? false,
});

/** A TypeScript library with every import form the graph has to get right. */
const TS_WORKSPACE = {
  'tsconfig.base.json': JSON.stringify({
    compilerOptions: { baseUrl: '.', paths: { '@org/b': ['libs/b/src/index.ts'], '@org/a/*': ['libs/a/src/*'] } },
  }),
  'libs/a/package.json': JSON.stringify({ name: '@org/a', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } }),
  'libs/a/vite.config.ts': "export default { test: {} };\n",
  'libs/a/src/index.ts': [
    "export * from './math.js';",
    "export { lazyTotal } from './lazy-user';",
    "export type { Shape } from './shapes';",
  ].join('\n'),
  'libs/a/src/math.ts': [
    "import type { Shape } from './shapes';",
    "import { Unit } from './units';", // used only as a type: TypeScript elides it, the graph keeps it as a runtime edge
    "import { scale } from '@org/a/util/scale';", // alias into the project itself
    "import { b } from '@org/b';", // alias into another project
    "import { readFileSync } from 'node:fs';",
    "import debounce from 'lodash/debounce';",
    'export function area(shape: Shape, unit: Unit): number {',
    '  return scale(shape.width * shape.height) + b + (readFileSync ? 0 : 1) + (debounce ? 0 : 1) + unit.length;',
    '}',
  ].join('\n'),
  'libs/a/src/shapes.ts': 'export interface Shape { width: number; height: number }\n',
  'libs/a/src/units.ts': "export type Unit = 'cm' | 'in';\n",
  'libs/a/src/util/scale.ts': 'export const scale = (value: number): number => value * 2;\n',
  'libs/a/src/lazy-user.ts': [
    '// import { never } from "./commented-out";',
    'export async function lazyTotal(): Promise<number> {',
    "  const heavy = await import('./heavy');",
    '  return heavy.total();',
    '}',
  ].join('\n'),
  'libs/a/src/heavy.ts': "import { area } from './math';\nexport const total = (): number => area({ width: 1, height: 2 }, 'cm');\n",
  'libs/a/src/broken.ts': "import { scale } from './util/scale';\nexport const broken = (;\n",
  'libs/a/src/declare-using.ts': "import { scale } from './util/scale';\ndeclare using foo;\n", // esbuild 0.28 panicked on this
  'libs/a/src/uses-broken.ts': "import { broken } from './broken';\nexport const user = broken;\n",
  'libs/a/src/missing-user.ts': "import { gone } from './gone';\nexport const user = gone;\n",
  'libs/a/test/math.test.ts': "import { area } from '../src/math.js';\nimport { test } from 'vitest';\ntest('area', () => area({ width: 1, height: 1 }, 'cm'));\n",
  'libs/a/node_modules/dep/index.js': 'module.exports = 1;\n',
  'libs/a/dist/index.js': 'export const built = 1;\n',
  'libs/b/src/index.ts': "import { other } from './other';\nexport const b = other;\n",
  'libs/b/src/other.ts': 'export const other = 1;\n',
};

describe('readImportGraph on a TypeScript project', () => {
  it('lists files, runtime, dynamic and type-only edges, aliases, externals, broken files and test reach', async () => {
    const workspaceRoot = tree(TS_WORKSPACE);
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/a' });

    expect(graph.files.map((file) => [file.path, file.isTest])).toEqual([
      ['libs/a/src/broken.ts', false],
      ['libs/a/src/declare-using.ts', false],
      ['libs/a/src/heavy.ts', false],
      ['libs/a/src/index.ts', false],
      ['libs/a/src/lazy-user.ts', false],
      ['libs/a/src/math.ts', false],
      ['libs/a/src/missing-user.ts', false],
      ['libs/a/src/shapes.ts', false],
      ['libs/a/src/units.ts', false],
      ['libs/a/src/uses-broken.ts', false],
      ['libs/a/src/util/scale.ts', false],
      ['libs/a/test/math.test.ts', true],
    ]);
    const scale = graph.files.find((file) => file.path === 'libs/a/src/util/scale.ts');
    expect(scale?.bytes).toBe(Buffer.byteLength(TS_WORKSPACE['libs/a/src/util/scale.ts']));
    expect(graph.files.find((file) => file.path === 'libs/a/src/broken.ts')?.bytes).toBe(Buffer.byteLength(TS_WORKSPACE['libs/a/src/broken.ts']));

    // broken.ts and declare-using.ts cannot be parsed: leaves, whatever they import
    expect(graph.edges).toEqual([
      edge('libs/a/src/heavy.ts', 'libs/a/src/math.ts'),
      edge('libs/a/src/index.ts', 'libs/a/src/lazy-user.ts'),
      edge('libs/a/src/index.ts', 'libs/a/src/math.ts'),
      edge('libs/a/src/index.ts', 'libs/a/src/shapes.ts', { typeOnly: true }),
      edge('libs/a/src/lazy-user.ts', 'libs/a/src/heavy.ts', { dynamic: true }),
      edge('libs/a/src/math.ts', 'libs/a/src/shapes.ts', { typeOnly: true }),
      // The one change from the esbuild reader: an import TypeScript elides (used only as a type,
      // without `type`) is a runtime edge now, as the syntax says; test reach over-approximates.
      edge('libs/a/src/math.ts', 'libs/a/src/units.ts'),
      edge('libs/a/src/math.ts', 'libs/a/src/util/scale.ts'),
      edge('libs/a/src/uses-broken.ts', 'libs/a/src/broken.ts'),
      edge('libs/a/test/math.test.ts', 'libs/a/src/math.ts'),
    ]);
    expect(graph.crossProjectEdges).toEqual([edge('libs/a/src/math.ts', 'libs/b/src/index.ts')]);
    expect(graph.externalsByFile).toEqual({
      'libs/a/src/math.ts': ['lodash', 'node:fs'],
      'libs/a/test/math.test.ts': ['vitest'],
    });
    expect(graph.unparsable).toEqual([
      { file: 'libs/a/src/broken.ts', message: 'line 2: Unexpected token' },
      { file: 'libs/a/src/declare-using.ts', message: 'line 2: Expected a semicolon or an implicit semicolon after a statement, but found none' },
    ]);
    expect(graph.unresolved).toEqual([{ file: 'libs/a/src/missing-user.ts', specifier: './gone' }]);
    expect(graph.testReach).toEqual({
      'libs/a/test/math.test.ts': ['libs/a/src/math.ts', 'libs/a/src/units.ts', 'libs/a/src/util/scale.ts'],
    });
    // package.json exports point at dist/: mapped back to the source entry
    expect(graph.entryPoints).toEqual(['libs/a/src/index.ts']);
    expect(graph.publicModules).toEqual(['libs/a/src/lazy-user.ts', 'libs/a/src/math.ts', 'libs/a/src/shapes.ts']);
    expect(graph.symlinksOutside).toEqual([]);
  });

  it('reads a file its parser rejects (`declare using`, which panicked esbuild 0.28) as a leaf, named with the error', async () => {
    const root = tree({
      'libs/a/package.json': '{ "name": "a" }',
      'libs/a/src/index.ts': "export * from './fine';\nexport * from './resource';\n",
      'libs/a/src/fine.ts': 'export const fine = 1;\n',
      'libs/a/src/resource.ts': 'declare using handle;\nexport const resource = 2;\n',
    });
    const graph = await readImportGraph({ workspaceRoot: root, projectRoot: 'libs/a' });
    expect(graph.unparsable).toHaveLength(1);
    expect(graph.unparsable[0]!.file).toBe('libs/a/src/resource.ts');
    expect(graph.unparsable[0]!.message).toMatch(/^line 1: /);
    expect(graph.edges.map((e) => `${e.from} -> ${e.to}`)).toEqual(['libs/a/src/index.ts -> libs/a/src/fine.ts', 'libs/a/src/index.ts -> libs/a/src/resource.ts']);
  });

  it('never parses the other project an alias leads to', async () => {
    const workspaceRoot = tree(TS_WORKSPACE);
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/a' });
    // libs/b/src/index.ts imports ./other; had esbuild read libs/b, that edge would show up somewhere
    const everyPath = JSON.stringify(graph);
    expect(everyPath).not.toContain('libs/b/src/other.ts');
  });

  it('gives the same graph on every run and honours explicit entry, tsconfig and test pattern', async () => {
    const workspaceRoot = tree({
      ...TS_WORKSPACE,
      'libs/a/tsconfig.lib.json': JSON.stringify({ extends: '../../tsconfig.base.json' }),
    });
    const options = {
      workspaceRoot,
      projectRoot: './libs/a/',
      tsconfigPath: 'libs/a/tsconfig.lib.json',
      entry: 'src/math.ts',
      testFilePattern: /^test\//,
    };
    const first = await readImportGraph(options);
    const second = await readImportGraph(options);
    expect(second).toEqual(first);
    expect(first.projectRoot).toBe('libs/a');
    expect(first.entryPoints).toEqual(['libs/a/src/math.ts']);
    expect(first.publicModules).toEqual(['libs/a/src/shapes.ts', 'libs/a/src/units.ts', 'libs/a/src/util/scale.ts']);
    expect(first.files.filter((file) => file.isTest).map((file) => file.path)).toEqual(['libs/a/test/math.test.ts']);
    expect(first.crossProjectEdges).toEqual([edge('libs/a/src/math.ts', 'libs/b/src/index.ts')]);
  });
});

describe('readImportGraph on a JavaScript project like the synthetic workspaces', () => {
  it('follows .js imports, keeps workspace scripts and node builtins outside, and reads package.json exports', async () => {
    const workspaceRoot = tree({
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { allowJs: true, baseUrl: '.', paths: { 'lib-a': ['libs/lib-a/src/index.js'] } } }),
      'scripts/spend.mjs': 'export function spend() {}\n',
      'libs/lib-a/src/index.js': "export * from './mod-1.js';\n",
      'libs/lib-a/src/mod-1.js': 'export function mod1(x) { return x + 1; }\n',
      'libs/lib-b/package.json': JSON.stringify({ name: 'lib-b', type: 'module', exports: './src/index.js' }),
      'libs/lib-b/src/index.js': "import * as libA from 'lib-a';\nexport * from './mod-1.js';\nexport * from './mod-2.js';\nexport const count = () => libA.mod1(1);\n",
      'libs/lib-b/src/mod-1.js': 'export function mod1(x) { return x + 1; }\n',
      'libs/lib-b/src/mod-2.js': "import { mod1 } from './mod-1.js';\nexport const mod2 = (x) => mod1(x) + 2;\n",
      'libs/lib-b/test/mod-2.test.js': "import { test } from 'node:test';\nimport { spend } from '../../../scripts/spend.mjs';\nimport { mod2 } from '../src/mod-2.js';\ntest('m', () => { spend(1); mod2(1); });\n",
    });
    const graph: ImportGraph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/lib-b' });
    expect(graph.files.map((file) => file.path)).toEqual([
      'libs/lib-b/src/index.js',
      'libs/lib-b/src/mod-1.js',
      'libs/lib-b/src/mod-2.js',
      'libs/lib-b/test/mod-2.test.js',
    ]);
    expect(graph.edges).toEqual([
      edge('libs/lib-b/src/index.js', 'libs/lib-b/src/mod-1.js'),
      edge('libs/lib-b/src/index.js', 'libs/lib-b/src/mod-2.js'),
      edge('libs/lib-b/src/mod-2.js', 'libs/lib-b/src/mod-1.js'),
      edge('libs/lib-b/test/mod-2.test.js', 'libs/lib-b/src/mod-2.js'),
    ]);
    expect(graph.crossProjectEdges).toEqual([
      edge('libs/lib-b/src/index.js', 'libs/lib-a/src/index.js'),
      edge('libs/lib-b/test/mod-2.test.js', 'scripts/spend.mjs'),
    ]);
    expect(graph.externalsByFile).toEqual({ 'libs/lib-b/test/mod-2.test.js': ['node:test'] });
    expect(graph.entryPoints).toEqual(['libs/lib-b/src/index.js']);
    expect(graph.testReach).toEqual({ 'libs/lib-b/test/mod-2.test.js': ['libs/lib-b/src/mod-1.js', 'libs/lib-b/src/mod-2.js'] });
    expect(graph.unparsable).toEqual([]);
  });

  it('follows CommonJS require() calls and TypeScript import-equals, not a require in a comment or a string', async () => {
    const workspaceRoot = tree({
      'libs/cjs/package.json': JSON.stringify({ name: 'cjs', main: './src/index.js' }),
      'libs/cjs/src/index.js': "const { sum } = require('./sum');\nconst path = require('node:path');\nmodule.exports = { sum, lazy: () => require(`./lazy`) };\n",
      'libs/cjs/src/sum.js': "// require('./not-a-dependency')\nconst note = \"require('./nor-this')\";\nexports.sum = (a, b) => a + b + note.length;\n",
      'libs/cjs/src/lazy.cjs': "module.exports = require('./sum').sum;\n",
      'libs/cjs/src/typed.cts': "import sum = require('./sum');\nimport type Lazy = require('./lazy.cjs');\nexport = { sum };\n",
      'libs/cjs/src/esm-user.mts': "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const sum = require('./sum.js').sum;\nexport const dynamic = (name: string) => require(name);\n",
      'libs/cjs/test/sum.test.js': "const test = require('node:test');\nconst { sum } = require('../src/index.js');\ntest('sum', () => sum(1, 2));\n",
    });
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/cjs' });
    expect(graph.edges).toEqual([
      edge('libs/cjs/src/esm-user.mts', 'libs/cjs/src/sum.js'),
      edge('libs/cjs/src/index.js', 'libs/cjs/src/lazy.cjs'),
      edge('libs/cjs/src/index.js', 'libs/cjs/src/sum.js'),
      edge('libs/cjs/src/lazy.cjs', 'libs/cjs/src/sum.js'),
      edge('libs/cjs/src/typed.cts', 'libs/cjs/src/lazy.cjs', { typeOnly: true }),
      edge('libs/cjs/src/typed.cts', 'libs/cjs/src/sum.js'),
      edge('libs/cjs/test/sum.test.js', 'libs/cjs/src/index.js'),
    ]);
    expect(graph.externalsByFile).toEqual({
      'libs/cjs/src/esm-user.mts': ['node:module'],
      'libs/cjs/src/index.js': ['node:path'],
      'libs/cjs/test/sum.test.js': ['node:test'],
    });
    expect(graph.testReach).toEqual({ 'libs/cjs/test/sum.test.js': ['libs/cjs/src/index.js', 'libs/cjs/src/lazy.cjs', 'libs/cjs/src/sum.js'] });
    expect(graph.unresolved).toEqual([]);
    expect(graph.unparsable).toEqual([]);
  });

  it('reports symbolic links that leave the project and does not list them as files', async () => {
    const workspaceRoot = tree({
      'shared/helper.js': 'export const helper = 1;\n',
      'libs/c/src/index.js': "export const c = 1;\n",
    });
    symlinkSync(join(workspaceRoot, 'shared/helper.js'), join(workspaceRoot, 'libs/c/src/helper.js'));
    symlinkSync(join(workspaceRoot, 'shared'), join(workspaceRoot, 'libs/c/src/shared'));
    addFiles(workspaceRoot, { 'libs/c/src/inner.js': "export const inner = 1;\n" });
    symlinkSync(join(workspaceRoot, 'libs/c/src/inner.js'), join(workspaceRoot, 'libs/c/src/inner-link.js'));
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/c' });
    expect(graph.symlinksOutside).toEqual(['libs/c/src/helper.js', 'libs/c/src/shared']);
    expect(graph.files.map((file) => file.path)).toEqual(['libs/c/src/index.js', 'libs/c/src/inner-link.js', 'libs/c/src/inner.js']);
  });
});

describe('readImportGraph on imports of non-module files', () => {
  it('keeps imported data and assets as files of the project, even of types esbuild has no loader for', async () => {
    const workspaceRoot = tree({
      'libs/d/src/index.js': [
        "import data from './data.json';",
        "import blob from './model.weights';",
        "import './styles.css';",
        'export const size = data.length + blob.length;',
      ].join('\n'),
      'libs/d/src/data.json': '[1, 2, 3]',
      'libs/d/src/model.weights': 'binary',
      'libs/d/src/styles.css': 'body { color: red }',
    });
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/d' });
    expect(graph.files.map((file) => [file.path, file.bytes])).toEqual([
      ['libs/d/src/data.json', 9],
      ['libs/d/src/index.js', 137],
      ['libs/d/src/model.weights', 6],
      ['libs/d/src/styles.css', 19],
    ]);
    expect(graph.edges.map((e) => e.to)).toEqual(['libs/d/src/data.json', 'libs/d/src/model.weights', 'libs/d/src/styles.css']);
    expect(graph.unparsable).toEqual([]);
  });
});

describe('readImportGraph argument errors', () => {
  it('rejects a relative workspace root and a project root that is not a directory inside it', async () => {
    const workspaceRoot = tree({ 'libs/a/src/index.ts': 'export {};\n' });
    await expect(readImportGraph({ workspaceRoot: 'relative/path', projectRoot: 'libs/a' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'workspaceRoot must be an absolute path, got "relative/path"',
    });
    for (const projectRoot of ['libs/missing', '../outside', '/etc']) {
      const error = await readImportGraph({ workspaceRoot, projectRoot }).catch((caught: unknown) => caught);
      expect(isSixtyError(error)).toBe(true);
      expect((error as Error).message).toBe(`projectRoot "${projectRoot}" is not a directory inside ${workspaceRoot}`);
    }
    await expect(readImportGraph({ workspaceRoot, projectRoot: 'libs/a', tsconfigPath: 'nope.json' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('returns an empty graph for a project without sources', async () => {
    const workspaceRoot = tree({ 'libs/empty/README.md': '# nothing\n' });
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/empty' });
    expect(graph.files).toEqual([]);
    expect(graph.edges).toEqual([]);
    expect(graph.entryPoints).toEqual([]);
  });
});
