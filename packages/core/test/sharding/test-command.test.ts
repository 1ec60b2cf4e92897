import { describe, expect, it } from 'vitest';
import { readTestCommand, shardTestCommand, splitShellCommand, type BaselineTargetConfig, type TestCommand } from '@sixty/core';

const runCommands = (command: string, cwd?: string, extra: Record<string, unknown> = {}): BaselineTargetConfig => ({
  executor: 'nx:run-commands',
  options: { command, ...(cwd !== undefined ? { cwd } : {}), ...extra },
});

function read(config: BaselineTargetConfig, root = 'libs/c'): TestCommand {
  const result = readTestCommand(config, root);
  if (!result.ok) throw new Error(result.reason);
  return result.command;
}

const FILES = ['libs/c/test/a.test.js', 'libs/c/test/b c.test.js'];

describe('readTestCommand and shardTestCommand', () => {
  it('node --test: the file arguments replace the glob, the JUnit destination gets the shard name', () => {
    const command = read(
      runCommands(
        'mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml test/*.test.js',
        'libs/c',
      ),
    );
    expect(command.runner).toBe('node');
    expect(command.testFilePatterns).toEqual(['test/*.test.js']);
    expect(command.reportPaths).toEqual(['reports/junit.xml']);
    expect(shardTestCommand(command, FILES, 'shard-1-of-3')).toEqual({
      options: {
        command:
          "mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit-shard-1-of-3.xml test/a.test.js 'test/b c.test.js'",
        cwd: 'libs/c',
      },
      reportPaths: ['libs/c/reports/junit-shard-1-of-3.xml'],
    });
  });

  it('node --test with separate option values and no file arguments: node default patterns, files appended', () => {
    const command = read(runCommands('node --test --test-reporter junit --test-reporter-destination out/j.xml', 'libs/c'));
    expect(command.testFilePatterns).toContain('**/*.test.?(c|m)js');
    expect(shardTestCommand(command, FILES.slice(0, 1), 'shard-2-of-2').options.command).toBe(
      'node --test --test-reporter junit --test-reporter-destination out/j-shard-2-of-2.xml test/a.test.js',
    );
  });

  it('vitest run: files as arguments, --outputFile.junit renamed, cwd at the workspace root keeps paths workspace-relative', () => {
    const command = read(runCommands('npx vitest run --reporter=default --reporter=junit --outputFile.junit=libs/c/reports/junit.xml'));
    expect(command.runner).toBe('vitest');
    expect(command.cwd).toBe('');
    // vitest's config decides its files (include, exclude, root, dir): sixty asks the runner, never guesses globs
    expect(command.testFilePatterns).toBeUndefined();
    expect(shardTestCommand(command, FILES.slice(0, 1), 'shard-1-of-2')).toEqual({
      options: { command: 'npx vitest run --reporter=default --reporter=junit --outputFile.junit=libs/c/reports/junit-shard-1-of-2.xml libs/c/test/a.test.js' },
      reportPaths: ['libs/c/reports/junit-shard-1-of-2.xml'],
    });
  });

  it('vitest filters in the command are replaced, and the file set is then unknown (only the config knows it)', () => {
    const command = read(runCommands('vitest run src/ --coverage.enabled false', 'libs/c'));
    expect(command.testFilePatterns).toBeUndefined();
    expect(shardTestCommand(command, FILES.slice(0, 1), 'shard-1-of-2').options.command).toBe(
      'vitest run test/a.test.js --coverage.enabled false --reporter=default --reporter=junit --outputFile.junit=reports/junit-shard-1-of-2.xml',
    );
    // run from the workspace root, the report still lands in the project's reports/
    const fromRoot = read(runCommands('vitest run --config libs/c/vitest.config.mjs'));
    expect(shardTestCommand(fromRoot, FILES.slice(0, 1), 'shard-1-of-2')).toMatchObject({ reportPaths: ['libs/c/reports/junit-shard-1-of-2.xml'] });
    // a one-off selection (sixty check) keeps the command's reporters as they are
    expect(shardTestCommand(fromRoot, FILES.slice(0, 1), 'selected', { ownReport: false })).toMatchObject({ reportPaths: [] });
  });

  it('jest: --runTestsByPath before the files, a JEST_JUNIT_OUTPUT_FILE prefix renamed', () => {
    const command = read(runCommands('JEST_JUNIT_OUTPUT_FILE=reports/junit.xml jest --ci --reporters=default --reporters=jest-junit', 'libs/c'));
    expect(command.runner).toBe('jest');
    expect(shardTestCommand(command, FILES.slice(0, 1), 'shard-1-of-2')).toEqual({
      options: { command: 'JEST_JUNIT_OUTPUT_FILE=reports/junit-shard-1-of-2.xml jest --ci --reporters=default --reporters=jest-junit --runTestsByPath test/a.test.js', cwd: 'libs/c' },
      reportPaths: ['libs/c/reports/junit-shard-1-of-2.xml'],
    });
  });

  it('mocha: spec arguments replaced (not option values), reporter-options file renamed, redirection kept last', () => {
    const command = read(runCommands("mocha --reporter mocha-junit-reporter --reporter-options mochaFile=reports/junit.xml 'test/**/*.spec.js' > log.txt 2>&1", 'libs/c'));
    expect(command.runner).toBe('mocha');
    expect(command.testFilePatterns).toEqual(['test/**/*.spec.js']);
    expect(shardTestCommand(command, FILES, 'shard-1-of-2').options.command).toBe(
      "mocha --reporter mocha-junit-reporter --reporter-options mochaFile=reports/junit-shard-1-of-2.xml test/a.test.js 'test/b c.test.js' > log.txt 2>&1",
    );
  });

  it('keeps the other run-commands options and folds args into the command', () => {
    const command = read(runCommands('node --test', 'libs/c', { env: { CI: 'true' }, args: '--test-concurrency=1' }));
    expect(shardTestCommand(command, FILES.slice(0, 1), 'shard-1-of-1').options).toEqual({ env: { CI: 'true' }, command: 'node --test --test-concurrency=1 test/a.test.js', cwd: 'libs/c' });
  });

  it('finds the runner behind launchers: npx, pnpm exec, env, node path/to/bin', () => {
    for (const [line, runner] of [
      ['npx --yes vitest run', 'vitest'],
      ['pnpm exec jest --ci', 'jest'],
      ['env CI=1 FORCE_COLOR=0 mocha', 'mocha'],
      ['node --import tsx ./node_modules/vitest/vitest.mjs run', 'vitest'],
      ['node --require ./setup.js --test', 'node'],
    ] as const) {
      expect(read(runCommands(line, 'libs/c')).runner, line).toBe(runner);
    }
  });

  it.each([
    [{ executor: '@nx/js:tsc', options: {} }, 'the executor @nx/js:tsc runs no command sixty can read'],
    [runCommands('tsc -p tsconfig.json'), 'no test runner (node --test, vitest, jest, mocha) found'],
    [runCommands('node --test a && vitest run'), 'the command runs 2 test runners'],
    [{ executor: 'nx:run-commands', options: { commands: ['a', 'b'] } }, 'the target runs no single command'],
    [runCommands('node --test', '/abs/dir'), 'is not a workspace-relative directory'],
  ])('says why %j cannot be sharded', (config, reason) => {
    const result = readTestCommand(config as BaselineTargetConfig, 'libs/c');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});

describe('splitShellCommand', () => {
  it('splits on operators, keeps quoted words whole, and does not split redirections', () => {
    const words = splitShellCommand(`a "b c" 'd;e' && f|g; h 2>&1 &>x`).map((segment) => segment.words.map((word) => word.value));
    expect(words).toEqual([['a', 'b c', 'd;e'], ['f'], ['g'], ['h', '2>&1', '&>x']]);
  });
});
