import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCheckResult, describeFailure, renderCheckMarkdown, renderCheckText } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

// Real outputs, captured by running each tool on a failing spec or source (test/fixtures/failures/README.md)
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'failures');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const DEEP_EQUAL_DIFF = /discounted.*22[\s\S]*discounted.*23|discounted.*23[\s\S]*discounted.*22/;

describe('the cause of a failure, from each tool’s real output', () => {
  const cases: Array<{ file: string; message: RegExp; location: string; diff?: boolean }> = [
    { file: 'vitest-500.txt', message: /AssertionError: expected \{ total: 25, discounted: 23 \} to deeply equal/, location: 'vt/cart-3.spec.js:130:80', diff: true },
    { file: 'jest.txt', message: /expect\(received\)\.toEqual\(expected\)/, location: 'jt/cart.test.cjs:9:80', diff: true },
    { file: 'mocha.txt', message: /AssertionError \[ERR_ASSERTION\]: Expected values to be strictly deep-equal/, location: 'mo/cart.spec.cjs:10:12', diff: true },
    { file: 'node-test.txt', message: /Expected values to be strictly deep-equal/, location: '/tmp/truth-fail/nt/cart.test.mjs:11:12', diff: true },
    { file: 'node-test-spec.txt', message: /AssertionError \[ERR_ASSERTION\]/, location: '/tmp/truth-fail/nt/cart.test.mjs:11:12', diff: true },
    { file: 'playwright.txt', message: /Error: expect\(received\)\.toEqual\(expected\)/, location: '/tmp/truth-fail/pw/cart.spec.mjs:10:80', diff: true },
    { file: 'tsc.txt', message: /error TS2322: Type 'number' is not assignable to type 'string'/, location: 'src/cart.ts:10:14' },
    { file: 'tsc-pretty.txt', message: /error TS2322: Type 'number' is not assignable to type 'string'/, location: 'src/cart.ts:10:14' },
    { file: 'esbuild.txt', message: /Expected "\)" but found ";"/, location: 'src/main.js:4:25' },
    { file: 'eslint.txt', message: /'unused' is assigned a value but never used[\s\S]*'percnt' is not defined/, location: '/tmp/truth-fail/el/src/cart.js:2:7' },
  ];
  for (const { file, message, location, diff } of cases) {
    it(`${file}: message${diff ? ', expected/received' : ''} and location`, () => {
      const described = describeFailure(fixture(file));
      expect(described.excerpt).toMatch(message);
      if (diff) expect(described.excerpt).toMatch(DEEP_EQUAL_DIFF);
      expect(described.location).toBe(location);
      expect(described.excerpt).not.toMatch(/✓ adds item/); // passing tests are not the cause
    });
  }
});

describe('a single failing spec in a 500-test vitest suite', () => {
  const input = (log: string) => ({
    run: runRecord('run-1', 1_000, [{ ...taskRecord('shop:test', 900, { status: 'failure' }), exitCode: 1, logFile: 'logs/run-1.log' }]),
    nxExitCode: 1,
    nxOutput: '',
    wallMs: 21_000,
    base: 'a3ab694f00000000000000000000000000000000',
    baseRef: 'main',
    baseSource: 'default branch',
    head: null,
    changedFiles: 1,
    targets: ['test'],
    affectedProjects: ['shop'],
    affectedWithTargets: 1,
    uncoveredFiles: [],
    strict: false,
    budgetMsFor: () => 60_000,
    p90ByTask: new Map(),
    readLog: () => log,
    logPath: (relative: string) => join('.sixty', relative),
  });

  it('prints at most 1,000 characters with the assertion, the diff and file:line', () => {
    const log = fixture('vitest-500.txt');
    const result = buildCheckResult(input(log));
    expect(result.failures[0]!.location).toBe('vt/cart-3.spec.js:130:80');
    const text = renderCheckText(result);
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toContain('FAILED shop:test  at vt/cart-3.spec.js:130:80');
    expect(text).toContain('AssertionError: expected { total: 25, discounted: 23 } to deeply equal { total: 25, discounted: 22 }');
    expect(text).toMatch(DEEP_EQUAL_DIFF);
    expect(renderCheckMarkdown(result)).toContain('### :x: `shop:test` at `vt/cart-3.spec.js:130:80`');
    expect(JSON.parse(JSON.stringify(result)).failures[0]).toMatchObject({ task: 'shop:test', location: 'vt/cart-3.spec.js:130:80' });
  });
});
