import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globToRegExp, JEST_DEFAULT_PATTERNS, listTestFiles, VITEST_DEFAULT_PATTERNS } from '@sixty/core';

const matches = (pattern: string, paths: string[]): string[] => paths.filter((path) => globToRegExp(pattern).test(path));

describe('globToRegExp', () => {
  it('* stays in one directory, ** crosses any number, dot files only when named', () => {
    const paths = ['test/a.test.js', 'test/sub/b.test.js', 'c.test.js', 'test/.hidden.test.js', '.cache/d.test.js'];
    expect(matches('test/*.test.js', paths)).toEqual(['test/a.test.js']);
    expect(matches('**/*.test.js', paths)).toEqual(['test/a.test.js', 'test/sub/b.test.js', 'c.test.js']);
    expect(matches('./test/**', paths)).toEqual(['test/a.test.js', 'test/sub/b.test.js']);
  });

  it('braces, classes and extglobs as the runners write their defaults', () => {
    const paths = ['src/a.spec.ts', 'src/a.test.mjs', 'src/a.test.tsx', 'src/a.tests.ts', 'src/__tests__/x.js', 'src/a.test.py'];
    expect(matches(VITEST_DEFAULT_PATTERNS[0]!, paths)).toEqual(['src/a.spec.ts', 'src/a.test.mjs', 'src/a.test.tsx']);
    expect(paths.filter((path) => JEST_DEFAULT_PATTERNS.some((pattern) => globToRegExp(pattern).test(path)))).toEqual([
      'src/a.spec.ts',
      'src/a.test.mjs',
      'src/a.test.tsx',
      'src/__tests__/x.js',
    ]);
    expect(matches('src/a.test.[jt]s?(x)', ['src/a.test.js', 'src/a.test.tsx', 'src/a.test.cs'])).toEqual(['src/a.test.js', 'src/a.test.tsx']);
  });
});

describe('listTestFiles', () => {
  it('walks only as deep as each glob reaches, skipping node_modules, and returns sorted workspace paths', () => {
    const root = mkdtempSync(join(tmpdir(), 'sixty-list-'));
    try {
      for (const file of ['libs/c/test/b.test.js', 'libs/c/test/a.test.js', 'libs/c/test/deep/c.test.js', 'libs/c/node_modules/x/d.test.js', 'libs/c/src/e.js']) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), '');
      }
      expect(listTestFiles(root, 'libs/c', ['test/*.test.js'])).toEqual(['libs/c/test/a.test.js', 'libs/c/test/b.test.js']);
      expect(listTestFiles(root, 'libs/c', ['**/*.test.js', 'test/a.test.js'])).toEqual(['libs/c/test/a.test.js', 'libs/c/test/b.test.js', 'libs/c/test/deep/c.test.js']);
      expect(listTestFiles(root, 'libs/missing', ['**/*.js'])).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
