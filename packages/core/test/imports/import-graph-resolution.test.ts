import { describe, expect, it } from 'vitest';
import { readImportGraph, readModuleRecord } from '@sixty/core';
import { treesRemovedAfterEach } from './temp-tree';

const tree = treesRemovedAfterEach();
const json = (value: unknown): string => JSON.stringify(value);
const edge = (from: string, to: string, flags: { typeOnly?: boolean; dynamic?: boolean } = {}) => ({ from, to, typeOnly: flags.typeOnly ?? false, dynamic: flags.dynamic ?? false });

describe('readModuleRecord', () => {
  it('marks type-only imports and re-exports by their syntax, with the offsets of each specifier', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B, type C } from './b';",
      "import D, { type E } from './d';",
      "import './side-effect';",
      "export type { F } from './f';",
      "export * from './g';",
      "export type * from './h';",
      "export { type I, J } from './i';",
      "import { k } from './k';",
      'export { k };',
      "const lazy = () => import('./lazy');",
      'const computed = (name: string) => import(name);',
      "const café = '☕'; export * as ns from './ns';",
    ].join('\n');
    const record = readModuleRecord('/w/file.ts', source);
    expect(record.error).toBeUndefined();
    expect(record.imports.map((entry) => [entry.kind, entry.specifier, entry.typeOnly])).toEqual([
      ['import', './a', true],
      ['import', './b', true],
      ['import', './d', false],
      ['import', './side-effect', false],
      ['import', './k', false],
      ['export', './f', true],
      ['export', './g', false],
      ['export', './h', true],
      ['export', './i', false],
      ['export', './ns', false],
      ['dynamic', './lazy', false],
    ]);
    for (const entry of record.imports) expect(source.slice(entry.start, entry.end)).toBe(entry.specifier);
  });

  it('reads require() calls with a literal argument and import-equals declarations, with their offsets', () => {
    const source = "import a = require('./a');\nimport type B = require('./b');\nconst c = require('./c'), d = require(`./d`);\nrequire(name);\nrequire.resolve('./e');\n";
    const record = readModuleRecord('/w/file.cts', source);
    expect(record.imports.map((entry) => [entry.kind, entry.specifier, entry.typeOnly])).toEqual([
      ['require', './a', false],
      ['require', './b', true],
      ['require', './c', false],
      ['require', './d', false],
    ]);
    for (const entry of record.imports) expect(source.slice(entry.start, entry.end)).toBe(entry.specifier);
  });

  it('reports a file it cannot parse with the line and the message, and no imports', () => {
    expect(readModuleRecord('/w/a.ts', "import { x } from './x';\n\ndeclare using foo;\n")).toEqual({
      imports: [],
      error: 'line 3: Expected a semicolon or an implicit semicolon after a statement, but found none',
    });
    expect(readModuleRecord('/w/b.js', "import x from './x';\nexport const el = <div>{x}</div>;\n").imports.map((entry) => entry.specifier)).toEqual(['./x']);
  });
});

describe('readImportGraph resolution', () => {
  it('follows tsconfig extends, project references, moduleSuffixes, package.json imports and exports conditions, and .mjs written for .mts', async () => {
    const workspaceRoot = tree({
      'tsconfig.base.json': json({ compilerOptions: { baseUrl: '.', paths: { '@org/shared': ['libs/shared/src/index.ts'] } } }),
      'libs/app/tsconfig.json': json({ files: [], references: [{ path: './tsconfig.lib.json' }] }),
      'libs/app/tsconfig.lib.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { moduleSuffixes: ['.native', ''], customConditions: ['source'] }, include: ['src/**/*'] }),
      'libs/app/package.json': json({
        name: '@org/app',
        imports: { '#internal/*': { source: './src/internal/*.ts', default: './dist/internal/*.js' } },
      }),
      'libs/app/src/index.ts': [
        "import { shared } from '@org/shared';",
        "import { button } from './button';",
        "import { secret } from '#internal/secret';",
        "import { esm } from './esm.mjs';",
        'export const app = [shared, button, secret, esm];',
      ].join('\n'),
      'libs/app/src/button.native.ts': "export const button = 'native';\n",
      'libs/app/src/button.ts': "export const button = 'web';\n",
      'libs/app/src/internal/secret.ts': 'export const secret = 1;\n',
      'libs/app/src/esm.mts': 'export const esm = 1;\n',
      'libs/shared/src/index.ts': 'export const shared = 1;\n',
    });
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/app' });
    expect(graph.edges).toEqual([
      edge('libs/app/src/index.ts', 'libs/app/src/button.native.ts'),
      edge('libs/app/src/index.ts', 'libs/app/src/esm.mts'),
      edge('libs/app/src/index.ts', 'libs/app/src/internal/secret.ts'),
    ]);
    expect(graph.crossProjectEdges).toEqual([edge('libs/app/src/index.ts', 'libs/shared/src/index.ts')]);
    expect(graph.unresolved).toEqual([]);

    // conditions given explicitly replace the tsconfig's: `source` is not among them, so #internal leads to dist (missing)
    const plain = await readImportGraph({ workspaceRoot, projectRoot: 'libs/app', conditions: ['import', 'default'] });
    expect(plain.unresolved).toEqual([{ file: 'libs/app/src/index.ts', specifier: '#internal/secret' }]);
  });

  it('reads a project whose tsconfig cannot be used without its aliases, instead of failing', async () => {
    const workspaceRoot = tree({
      'libs/x/tsconfig.json': json({ extends: './missing-base.json' }),
      'libs/x/src/index.ts': "import { y } from './y';\nexport const x = y;\n",
      'libs/x/src/y.ts': 'export const y = 1;\n',
    });
    const graph = await readImportGraph({ workspaceRoot, projectRoot: 'libs/x' });
    expect(graph.edges).toEqual([edge('libs/x/src/index.ts', 'libs/x/src/y.ts')]);
  });
});
