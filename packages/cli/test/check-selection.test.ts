import { describe, expect, it } from 'vitest';
import { nxInvocations, selectsTests } from '../src/commands/check';
import { overrideArguments, type CheckTestSelection } from '../src/check-test-selection';

describe('selectsTests', () => {
  const local = { allTests: false, ci: false };
  it('selects locally, not under CI, --ci or --all-tests, unless nx.json says always or never', () => {
    expect(selectsTests(local, 'local', {})).toBe(true);
    expect(selectsTests(local, 'local', { CI: 'true' })).toBe(false);
    expect(selectsTests(local, 'local', { CI: '1' })).toBe(false);
    expect(selectsTests(local, 'local', { CI: 'false' })).toBe(true);
    expect(selectsTests(local, 'always', { CI: 'true' })).toBe(true);
    expect(selectsTests(local, 'never', {})).toBe(false);
    expect(selectsTests({ allTests: true, ci: false }, 'always', {})).toBe(false);
    expect(selectsTests({ allTests: false, ci: true }, 'always', {})).toBe(false);
  });
});

describe('nxInvocations', () => {
  const range = { base: 'abc', head: null };
  it('is one nx affected when nothing is narrowed', () => {
    expect(nxInvocations(['build', 'test'], null, range)).toEqual([{ args: ['affected', '-t', 'build,test', '--base=abc'] }]);
  });
  it('runs the other targets affected, whole test targets by project, then each selection alone', () => {
    const selection: CheckTestSelection = {
      selections: [],
      testTargets: ['test'],
      whole: new Map([['test', ['app', 'lib-c']]]),
      runs: [{ task: 'lib-a:test', overrides: ['--command=node --test test/a.test.js'] }],
      narrows: true,
    };
    expect(nxInvocations(['build', 'test'], selection, { base: 'abc', head: 'def' })).toEqual([
      { args: ['affected', '-t', 'build', '--base=abc', '--head=def'] },
      { args: ['run-many', '-t', 'test', '--projects=app,lib-c'] },
      { args: ['run', 'lib-a:test', '--command=node --test test/a.test.js'], selected: 'lib-a:test' },
    ]);
  });
});

describe('overrideArguments', () => {
  it('passes only what the selection changed, arrays as repeated flags', () => {
    expect(overrideArguments({ config: 'v.mts', testFiles: undefined }, { config: 'v.mts', testFiles: ['a.test.ts', 'b.test.ts'] })).toEqual(['--testFiles=a.test.ts', '--testFiles=b.test.ts']);
    expect(overrideArguments({ command: 'node --test t/*.js', cwd: 'libs/a' }, { command: 'node --test t/a.js', cwd: 'libs/a' })).toEqual(['--command=node --test t/a.js']);
  });
});
