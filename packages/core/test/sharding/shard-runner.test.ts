import { describe, expect, it } from 'vitest';
import { ambiguousFilters, parseRunnerList, readShardableTarget, shardTargetConfig, unshardableAppliedTargets, type BaselineTargetConfig, type ShardableTarget } from '@sixty/core';

function shardable(config: BaselineTargetConfig, root = 'libs/c'): ShardableTarget {
  const result = readShardableTarget(config, root);
  if (!result.ok) throw new Error(result.reason);
  return result.target;
}

const FILES = ['libs/c/src/a.spec.ts', 'libs/c/src/b.spec.ts'];

describe('readShardableTarget and shardTargetConfig', () => {
  it('@nx/vitest:test: same executor and options, plus testFiles; vitest lists its files from the project folder', () => {
    const config: BaselineTargetConfig = { executor: '@nx/vitest:test', options: { configFile: 'libs/c/vitest.config.mts', reportsDirectory: '../../coverage/libs/c' } };
    const target = shardable(config);
    expect(target.files).toEqual({ kind: 'runner-list', runner: 'vitest', cwd: 'libs/c', command: 'vitest list --filesOnly --json={jsonFile} --config vitest.config.mts', output: 'json-file' });
    expect(shardTargetConfig(target, config, FILES.slice(0, 1), 'shard-1-of-2')).toEqual({
      executor: '@nx/vitest:test',
      options: { configFile: 'libs/c/vitest.config.mts', reportsDirectory: '../../coverage/libs/c', testFiles: ['libs/c/src/a.spec.ts'] },
      reportPaths: [],
    });
  });

  it('nx:run-script (a package.json script): the script runs from the project root; a shard runs it there with its files, through nx:run-commands', () => {
    const config: BaselineTargetConfig = { executor: 'nx:run-script', options: { script: 'test:lib' }, script: 'vitest --retry=3' };
    const target = shardable(config);
    expect(target).toMatchObject({ runner: 'vitest', executor: 'nx:run-script', cwd: 'libs/c' });
    expect(target.files).toEqual({ kind: 'runner-list', runner: 'vitest', cwd: 'libs/c', command: 'vitest list --filesOnly --json={jsonFile} --retry=3', output: 'json-file' });
    expect(shardTargetConfig(target, config, FILES, 'shard-1-of-2')).toEqual({
      executor: 'nx:run-commands',
      // the script writes no report: the shard adds its own, where sixty baseline reads it
      options: { command: 'vitest --retry=3 src/a.spec.ts src/b.spec.ts --reporter=default --reporter=junit --outputFile.junit=reports/junit-shard-1-of-2.xml', cwd: 'libs/c' },
      reportPaths: ['libs/c/reports/junit-shard-1-of-2.xml'],
    });
  });

  it('nx:run-script: says which script could not be read, and what a script must run to be sharded', () => {
    const missing = readShardableTarget({ executor: 'nx:run-script', options: { script: 'test:lib' } }, 'libs/c');
    expect(missing).toMatchObject({ ok: false, reason: 'the package.json script "test:lib" of the project could not be read' });
    const build = readShardableTarget({ executor: 'nx:run-script', options: { script: 'build' }, script: 'tsdown --tsconfig tsconfig.prod.json' }, 'libs/c');
    expect(build).toMatchObject({ ok: false, fix: 'make the package.json script run one of: vitest, jest, mocha, node --test' });
    expect(!build.ok && build.reason).toContain('no test runner');
  });

  it("Analog's vitest-angular builder: testFiles, and the listing sets vitest's root to the project as the builder does", () => {
    const config: BaselineTargetConfig = { executor: '@analogjs/vitest-angular:test', options: { configFile: 'libs/c/vite.config.mts' } };
    const target = shardable(config);
    expect(target.files).toMatchObject({ cwd: '', command: 'vitest list --filesOnly --json={jsonFile} --root libs/c --config libs/c/vite.config.mts' });
    expect(shardTargetConfig(target, config, FILES, 'shard-1-of-1').options).toEqual({ configFile: 'libs/c/vite.config.mts', testFiles: FILES });
  });

  it('@nx/jest:jest: testFile is one anchored, escaped path pattern; jest lists its files with the same config', () => {
    const config: BaselineTargetConfig = { executor: '@nx/jest:jest', options: { jestConfig: 'libs/c/jest.config.ts', ci: true } };
    const target = shardable(config);
    expect(target.files).toMatchObject({ runner: 'jest', cwd: '', command: 'jest --listTests --json --config libs/c/jest.config.ts', output: 'stdout' });
    const options = shardTargetConfig(target, config, FILES, 'shard-1-of-2').options;
    expect(options).toEqual({ jestConfig: 'libs/c/jest.config.ts', ci: true, testFile: '(/libs/c/src/a\\.spec\\.ts|/libs/c/src/b\\.spec\\.ts)$' });
    const pattern = new RegExp(options.testFile as string);
    expect(['/w/libs/c/src/a.spec.ts', '/w/libs/c/src/b.spec.ts', '/w/libs/c/src/xa.spec.ts', '/w/libs/c/src/a.spec.tsx'].map((path) => pattern.test(path))).toEqual([true, true, false, false]);
  });

  it("Angular's unit-test builder: include holds the shard's files relative to the project; the file set is its include minus exclude", () => {
    const config: BaselineTargetConfig = { executor: '@angular/build:unit-test', options: { buildTarget: 'c:build', exclude: ['src/legacy/**'] } };
    const target = shardable(config);
    expect(target.files).toEqual({ kind: 'globs', cwd: 'libs/c', patterns: ['**/*.spec.ts', '**/*.test.ts'], exclude: ['src/legacy/**'] });
    expect(shardTargetConfig(target, config, FILES, 'shard-1-of-1').options).toEqual({ buildTarget: 'c:build', exclude: ['src/legacy/**'], include: ['src/a.spec.ts', 'src/b.spec.ts'] });
  });

  it('nx:run-commands running vitest from the root with a project config: the listing keeps cwd, config and filters, drops reporters', () => {
    const config: BaselineTargetConfig = { executor: 'nx:run-commands', options: { command: 'npx vitest run --config libs/c/vitest.config.mts --reporter=junit --outputFile.junit=r.xml > out.log' } };
    const target = shardable(config);
    expect(target.files).toEqual({ kind: 'runner-list', runner: 'vitest', cwd: '', command: 'npx vitest list --filesOnly --json={jsonFile} --config libs/c/vitest.config.mts', output: 'json-file' });
    expect(shardTargetConfig(target, config, FILES.slice(0, 1), 'shard-1-of-2')).toEqual({
      executor: 'nx:run-commands',
      options: { command: 'npx vitest run --config libs/c/vitest.config.mts --reporter=junit --outputFile.junit=r-shard-1-of-2.xml libs/c/src/a.spec.ts > out.log' },
      reportPaths: ['r-shard-1-of-2.xml'],
    });
  });

  it('jest in a command: the listing appends --listTests --json', () => {
    const target = shardable({ executor: 'nx:run-commands', options: { command: 'jest --ci -c jest.config.js', cwd: 'libs/c' } });
    expect(target.files).toMatchObject({ runner: 'jest', cwd: 'libs/c', command: 'jest --ci -c jest.config.js --listTests --json' });
  });

  it('names the executor and the fix when a runner cannot be filtered', () => {
    const result = readShardableTarget({ executor: '@nx/playwright:playwright', options: {} }, 'apps/e2e');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('the executor @nx/playwright:playwright is not one sixty can give a file filter');
    expect(!result.ok && result.fix).toContain('--kind split');
  });
});

describe('ambiguousFilters', () => {
  it('finds a vitest filter that also selects another file (vitest runs every path containing it)', () => {
    const target = shardable({ executor: '@nx/vitest:test', options: {} });
    expect(ambiguousFilters(target, ['libs/c/src/a.spec.ts', 'libs/c/x/libs/c/src/a.spec.ts', 'libs/c/src/b.spec.ts'])).toEqual([
      { file: 'libs/c/src/a.spec.ts', alsoMatches: 'libs/c/x/libs/c/src/a.spec.ts' },
    ]);
  });
});

describe('parseRunnerList', () => {
  it('reads vitest list --json entries and jest --listTests paths as workspace-relative files', () => {
    expect(parseRunnerList('vitest', JSON.stringify([{ file: '/w/libs/c/src/b.spec.ts' }, { file: '/w/libs/c/src/a.spec.ts', name: 't' }, { file: '/w/libs/c/src/a.spec.ts', name: 'u' }]), '/w')).toEqual([
      'libs/c/src/a.spec.ts',
      'libs/c/src/b.spec.ts',
    ]);
    expect(parseRunnerList('jest', JSON.stringify(['/w/libs/c/a.test.js']), '/w')).toEqual(['libs/c/a.test.js']);
    expect(() => parseRunnerList('jest', '{}', '/w')).toThrow('jest printed no list of test files');
  });
});

describe('unshardableAppliedTargets', () => {
  it('names each applied target whose shards nx cannot run, and why', () => {
    const shards = [{ name: 'shard-1-of-1', files: ['apps/e2e/a.spec.ts'] }];
    expect(
      unshardableAppliedTargets({
        schemaVersion: 1,
        budgetMs: 60_000,
        targets: {
          'e2e:test': { root: 'apps/e2e', p90Ms: 1, files: {}, shards, config: { executor: '@nx/playwright:playwright', options: {} } },
          'c:test': { root: 'libs/c', p90Ms: 1, files: {}, testFiles: ['libs/c/a.spec.ts', 'libs/d/b.spec.ts'], shards, config: { executor: '@nx/vitest:test', options: {} } },
          'ok:test': { root: 'libs/ok', p90Ms: 1, files: {}, shards, config: { executor: '@nx/vitest:test', options: {} } },
        },
      }),
    ).toEqual([
      { task: 'c:test', reason: expect.stringContaining('its runner collects 1 test file(s) outside libs/c (libs/d/b.spec.ts)') },
      { task: 'e2e:test', reason: expect.stringContaining('no shard targets for e2e:test: the executor @nx/playwright:playwright is not one sixty can give a file filter') },
    ]);
  });
});
