import { describe, expect, it } from 'vitest';
import { applyEdits, readModuleSyntax } from '../../src/generators/decompose/module-syntax';

const specifiers = (source: string): string[] => readModuleSyntax(source).references.map((reference) => reference.specifier);

describe('readModuleSyntax', () => {
  it('finds every import and export form, with the exact offsets of the specifier', () => {
    const source = [
      `import './side-effect';`,
      `import a from './a';`,
      `import b, { c as d, default as e } from "./b";`,
      `import * as ns from './ns';`,
      `import type { T } from './types';`,
      `import type from './named-type';`,
      `export * from './star';`,
      `export * as all from './all';`,
      `export { x, y as z } from './named';`,
      `export type { U } from './more-types';`,
      `import legacy = require('./legacy');`,
      `const lazy = () => import('./lazy');`,
      `const cjs = require('./cjs');`,
      `jest.mock('./mocked');`,
      `vi.mock("./vi-mocked", () => ({}));`,
    ].join('\n');
    const { references } = readModuleSyntax(source);
    expect(references.map((r) => [r.kind, r.specifier, r.typeOnly])).toEqual([
      ['import', './side-effect', false],
      ['import', './a', false],
      ['import', './b', false],
      ['import', './ns', false],
      ['import', './types', true],
      ['import', './named-type', false],
      ['export', './star', false],
      ['export', './all', false],
      ['export', './named', false],
      ['export', './more-types', true],
      ['import-equals', './legacy', false],
      ['dynamic', './lazy', false],
      ['require', './cjs', false],
      ['mock', './mocked', false],
      ['mock', './vi-mocked', false],
    ]);
    for (const reference of references) expect(source.slice(reference.start, reference.end)).toBe(reference.specifier);
    expect(references[1]?.bindings).toEqual({ default: true, namespace: false, star: false, named: [] });
    expect(references[2]?.bindings).toEqual({ default: true, namespace: false, star: false, named: ['c', 'default'] });
    expect(references[3]?.bindings.namespace).toBe(true);
    expect(references[5]?.bindings.default).toBe(true); // `type` is the default binding's name here
    expect(references[6]?.bindings.star).toBe(true);
    expect(references[8]?.bindings.named).toEqual(['x', 'y']);
  });

  it('ignores import-looking text in comments, strings, templates, regular expressions and member names', () => {
    const source = [
      `// import a from './in-line-comment';`,
      `/* export * from './in-block-comment'; */`,
      `const s = "import b from './in-string'";`,
      "const t = `import c from './in-template' ${ `nested ${'x'}` } export * from './tail'`;",
      `const r = /import d from '.\\/in-regex'/;`,
      `const ratio = total / count; const q = '/';`,
      `obj.import('./member-call'); obj.require('./member-require');`,
      `const o = { import: 1, export: 2 };`,
      `import real from './real';`,
    ].join('\n');
    expect(specifiers(source)).toEqual(['./real']);
  });

  it('resynchronises after an apostrophe in JSX text', () => {
    const source = [`import React from 'react';`, `const A = () => <p>it's fine</p>;`, `const lazy = import('./after-jsx');`].join('\n');
    expect(specifiers(source)).toEqual(['react', './after-jsx']);
  });

  it('lists the names a module declares and exports, and what it passes on', () => {
    const source = [
      `export const one = 1;`,
      `export let two = 2, ignored = 3;`,
      `export function three() {}`,
      `export async function four() {}`,
      `export function* five() {}`,
      `export class Six {}`,
      `export abstract class Seven {}`,
      `export interface Eight {}`,
      `export type Nine = string;`,
      `export enum Ten {}`,
      `export const enum Eleven {}`,
      `export declare const twelve: number;`,
      `const local = 1; export { local as thirteen };`,
      `export default function () {}`,
      `export { fourteen as fifteen } from './elsewhere';`,
      `export * from './star';`,
    ].join('\n');
    const syntax = readModuleSyntax(source);
    expect(syntax.exportedNames).toEqual(
      ['Eight', 'Eleven', 'Nine', 'Seven', 'Six', 'Ten', 'default', 'five', 'four', 'one', 'thirteen', 'three', 'twelve', 'two'].sort(),
    );
    expect(syntax.namedReexports).toEqual([{ exported: 'fifteen', imported: 'fourteen', specifier: './elsewhere' }]);
    expect(syntax.starExportSpecifiers).toEqual(['./star']);
    expect(syntax.hasUnlistedExports).toBe(false);
    expect(readModuleSyntax('export const { a, b } = value;').hasUnlistedExports).toBe(true);
  });

  it('an exported import passes on the other module\'s binding (analog: import type { X } from ...; export { X }), a local one stays its own', () => {
    const source = [
      `import type { CompilerPluginOptions } from './compiler-plugin-options.js';`,
      `import * as sfc from './source-file-cache.js';`,
      `import main, { helper as help } from './main';`,
      `const sourceFileCache = sfc.SourceFileCache;`,
      `export { sourceFileCache as SourceFileCache, CompilerPluginOptions, help as helper, main, sfc, late };`,
      `import { late } from './hoisted';`,
    ].join('\n');
    const syntax = readModuleSyntax(source);
    expect(syntax.exportedNames).toEqual(['SourceFileCache', 'sfc']);
    expect(syntax.namedReexports).toEqual([
      { exported: 'CompilerPluginOptions', imported: 'CompilerPluginOptions', specifier: './compiler-plugin-options.js' },
      { exported: 'helper', imported: 'helper', specifier: './main' },
      { exported: 'main', imported: 'default', specifier: './main' },
      { exported: 'late', imported: 'late', specifier: './hoisted' },
    ]);
  });

  it('leaves a specifier with escapes alone rather than guess at it', () => {
    expect(specifiers(`import a from './\\u0061';`)).toEqual([]);
  });

  it('never throws on unfinished source', () => {
    for (const source of ['import', 'import {', "import { a } from '", 'export * from', '`${', '/* open', '"open', 'a / /', '}}}', 'import(']) {
      expect(() => readModuleSyntax(source)).not.toThrow();
    }
  });
});

describe('applyEdits', () => {
  it('replaces each range once, whatever the order of the edits', () => {
    expect(applyEdits('import a from "./a"; import b from "./b";', [
      { start: 15, end: 18, text: 'pkg-a' },
      { start: 36, end: 39, text: 'pkg-b' },
    ])).toBe('import a from "pkg-a"; import b from "pkg-b";');
  });
});
