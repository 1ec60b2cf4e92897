import { describe, expect, it } from 'vitest';
import { staticImportSpecifiers, typeOnlyImportSpecifiers } from '@sixty/core';

describe('staticImportSpecifiers', () => {
  it('lists import and re-export specifiers, type-only ones included, once each', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B, c } from \"./b\";",
      "import D, { e } from '@org/d';",
      'import {',
      '  f,',
      '  g,',
      "} from './fg.js';",
      "export type { H } from './h';",
      "export * from './star';",
      "export * as ns from './ns';",
      "import X = require('./legacy');",
      "import type Y = require('./legacy-type');",
      "import { again } from './a';",
    ].join('\n');
    expect(staticImportSpecifiers(source)).toEqual(['./a', './b', '@org/d', './fg.js', './h', './star', './ns', './legacy', './legacy-type']);
  });

  it('ignores comments, side-effect imports, dynamic imports and plain strings', () => {
    const source = [
      "// import { gone } from './commented';",
      "/* export * from './block-commented'; */",
      "import './side-effect';",
      "const lazy = () => import('./lazy');",
      "const text = 'from nowhere';",
      "const url = 'http://example.com/x'; import { kept } from './kept';",
    ].join('\n');
    expect(staticImportSpecifiers(source)).toEqual(['./kept']);
  });
});

describe('typeOnlyImportSpecifiers', () => {
  it('lists only the statements esbuild drops without a trace', () => {
    const source = [
      "import type { A } from './a';",
      "import { type B, c } from './b';", // esbuild keeps (or lists as elided) these
      "import { D } from './d';",
      'export type {',
      '  E,',
      "} from './e';",
      "// import type { F } from './commented';",
      "import type G = require('./g');",
      "export type H = import('./h').H;", // a type, not an import statement
    ].join('\n');
    expect(typeOnlyImportSpecifiers(source)).toEqual(['./a', './e', './g']);
    expect(typeOnlyImportSpecifiers("import { a } from './a';")).toEqual([]);
  });
});
