import { posix } from 'node:path';
import type { BaselineTargetConfig } from '../baseline/baseline-types';
import { quoteShellWord, splitShellCommand, type ShellSegment, type ShellWord } from './shell-words';

export type TestRunner = 'node' | 'vitest' | 'jest' | 'mocha';

/** A test target's command, understood well enough to run it on a list of files. */
export interface TestCommand {
  runner: TestRunner;
  /** Workspace-relative directory the command runs in (`''` for the workspace root). */
  cwd: string;
  /** Workspace-relative project root (`''` for the workspace root): where a shard's own report goes when the command writes none. */
  projectRoot: string;
  /** Globs (relative to cwd) of the files the runner collects; undefined when only the runner's config knows. */
  testFilePatterns?: string[];
  /** The JUnit (or other XML) reports the command writes, relative to cwd. */
  reportPaths: string[];
  /** run-commands options besides the command itself (env, envFile, ...), kept in every shard. */
  otherOptions: Record<string, unknown>;
  /** The command line, and where in it the runner invocation is. */
  commandLine: string;
  invocation: RunnerInvocation;
}

/** The shard of a test command: what a shard target runs. */
export interface ShardCommand {
  /** nx:run-commands options: the rewritten command, its cwd and the other options unchanged. */
  options: Record<string, unknown>;
  /** The reports this shard writes, workspace-relative (its outputs). */
  reportPaths: string[];
}

export type ReadTestCommandResult = { ok: true; command: TestCommand } | { ok: false; reason: string };

interface RunnerInvocation {
  /** The simple command holding the runner, and the index of its first argument. */
  segment: ShellSegment;
  firstArgument: number;
  /** Indexes (in segment.words) of the arguments that select test files: replaced by each shard's files. */
  selectors: number[];
  /** Words that must be in the shard's command before the files (jest: --runTestsByPath). */
  addBeforeFiles: string[];
  /** Index of the first redirection (`> out.log`): files go before it. */
  redirectAt: number;
}

/** Node's own default test file patterns (node --test with no file arguments). */
export const NODE_TEST_DEFAULT_PATTERNS = ['**/*.test.?(c|m)js', '**/*-test.?(c|m)js', '**/*_test.?(c|m)js', '**/test-*.?(c|m)js', '**/test.?(c|m)js', '**/test/**/*.?(c|m)js'];
export const VITEST_DEFAULT_PATTERNS = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
export const JEST_DEFAULT_PATTERNS = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];
export const MOCHA_DEFAULT_PATTERNS = ['test/*.{js,cjs,mjs}'];

/** Options that take a value in the next word when written without `=`. */
const VALUE_OPTIONS: Record<TestRunner, ReadonlySet<string>> = {
  node: new Set([
    '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern', '--test-concurrency', '--test-shard',
    '--test-timeout', '--test-isolation', '--test-global-setup', '--test-coverage-include', '--test-coverage-exclude', '--test-coverage-branches',
    '--test-coverage-functions', '--test-coverage-lines', '--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C',
    '--env-file', '--env-file-if-exists', '--input-type', '--watch-path', '--inspect-port', '--title', '--disable-warning', '--stack-trace-limit',
  ]),
  vitest: new Set([
    '--config', '-c', '--root', '-r', '--dir', '--project', '--reporter', '--outputFile', '--environment', '--pool', '--shard', '--testNamePattern', '-t',
    '--mode', '--exclude', '--maxWorkers', '--minWorkers', '--testTimeout', '--hookTimeout', '--teardownTimeout', '--retry', '--bail',
    '--slowTestThreshold', '--maxConcurrency', '--workspace', '--sequence', '--api', '--inspect', '--inspectBrk', '--diff', '--clearScreen',
  ]),
  jest: new Set([
    '--config', '-c', '--reporters', '--testNamePattern', '-t', '--testPathPattern', '--testPathPatterns', '--testPathIgnorePatterns', '--selectProjects',
    '--shard', '--maxWorkers', '-w', '--rootDir', '--roots', '--outputFile', '--coverageDirectory', '--testTimeout', '--testEnvironment', '--globalSetup',
    '--globalTeardown', '--testRunner', '--seed', '--collectCoverageFrom', '--coverageReporters', '--testMatch', '--testRegex', '--setupFiles',
    '--setupFilesAfterEnv', '--moduleNameMapper', '--transform', '--cacheDirectory', '--filter', '--maxConcurrency', '--workerIdleMemoryLimit',
  ]),
  mocha: new Set([
    '--reporter', '-R', '--reporter-options', '--reporter-option', '-O', '--require', '-r', '--timeout', '-t', '--config', '--ui', '-u', '--grep', '-g',
    '--fgrep', '-f', '--spec', '--extension', '--ignore', '--exclude', '--file', '--slow', '-s', '--retries', '--jobs', '-j', '--package', '--node-option',
    '-n', '--watch-files', '--watch-ignore',
  ]),
};

const RUN_COMMANDS = new Set(['nx:run-commands', '@nrwl/workspace:run-commands']);
/** nx's executor for a package.json script (what nx infers for each script of a project's package.json). */
export const RUN_SCRIPT = new Set(['nx:run-script', '@nrwl/workspace:run-script']);
/** Words that run the next word as the program (npx vitest, pnpm exec jest). */
const LAUNCHERS = new Set(['npx', 'bunx', 'pnpx', 'exec', 'env']);
const LAUNCHER_PARENTS = new Set(['pnpm', 'yarn', 'npm', 'bun']);

/**
 * Reads an nx:run-commands test target (as in the baseline) into a TestCommand: the runner,
 * from the program in the command; the arguments that select test files;
 * the XML reports it writes. `ok: false` names why a target cannot be sharded.
 */
export function readTestCommand(config: BaselineTargetConfig, projectRoot: string): ReadTestCommandResult {
  const root = projectRoot === '.' ? '' : projectRoot;
  if (RUN_SCRIPT.has(config.executor)) {
    // the package manager runs the script's command line from the project root
    if (config.script === undefined) return { ok: false, reason: `the package.json script ${JSON.stringify(config.options.script)} of the project could not be read` };
    return fromCommandLine(config.script, root, root, {});
  }
  if (!RUN_COMMANDS.has(config.executor)) {
    return { ok: false, reason: `the executor ${config.executor} runs no command sixty can read (readShardableTarget handles the test executors it supports)` };
  }
  const { command, commands, args, cwd, ...otherOptions } = config.options;
  let commandLine: string | undefined;
  if (typeof command === 'string') commandLine = command;
  else if (Array.isArray(commands) && commands.length === 1) {
    const only = commands[0] as unknown;
    commandLine = typeof only === 'string' ? only : typeof only === 'object' && only !== null && typeof (only as { command?: unknown }).command === 'string' ? (only as { command: string }).command : undefined;
  }
  if (commandLine === undefined) return { ok: false, reason: 'the target runs no single command (several commands, or none)' };
  if (typeof args === 'string' && args.trim() !== '') commandLine = `${commandLine} ${args}`;
  if (cwd !== undefined && typeof cwd !== 'string') return { ok: false, reason: 'its cwd option is not a string' };
  const directory = normalizeDirectory(typeof cwd === 'string' ? cwd : '');
  if (directory === undefined) return { ok: false, reason: `its cwd ${JSON.stringify(cwd)} is not a workspace-relative directory` };
  return fromCommandLine(commandLine, directory, root, otherOptions);
}

function fromCommandLine(commandLine: string, cwd: string, projectRoot: string, otherOptions: Record<string, unknown>): ReadTestCommandResult {
  const segments = splitShellCommand(commandLine);
  const found: Array<{ segment: ShellSegment; runner: TestRunner; firstArgument: number }> = [];
  for (const segment of segments) {
    const program = findRunner(segment.words);
    if (program) found.push({ segment, ...program });
  }
  if (found.length === 0) return { ok: false, reason: `no test runner (node --test, vitest, jest, mocha) found in ${JSON.stringify(commandLine)}` };
  if (found.length > 1) return { ok: false, reason: `the command runs ${found.length} test runners; sixty shards commands that run one` };
  const { segment, runner, firstArgument } = found[0] as (typeof found)[number];
  const parsed = parseArguments(runner, segment.words, firstArgument);
  const reportPaths = segment.words.map((word) => xmlPathIn(word.value)).filter((path): path is string => path !== undefined);
  return {
    ok: true,
    command: {
      runner,
      cwd,
      projectRoot,
      ...(parsed.patterns ? { testFilePatterns: parsed.patterns } : {}),
      reportPaths,
      otherOptions,
      commandLine,
      invocation: { segment, firstArgument, selectors: parsed.selectors, addBeforeFiles: parsed.addBeforeFiles, redirectAt: parsed.redirectAt },
    },
  };
}

/** The runner a simple command starts, and where its arguments begin. */
function findRunner(words: readonly ShellWord[]): { runner: TestRunner; firstArgument: number } | undefined {
  let at = 0;
  while (at < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test((words[at] as ShellWord).value)) at++; // VAR=value prefixes
  for (;;) {
    const word = words[at]?.value;
    if (word === undefined) return undefined;
    if (LAUNCHER_PARENTS.has(word)) {
      at++;
      if (words[at]?.value === 'exec' || words[at]?.value === 'dlx' || words[at]?.value === 'x') at++;
      while (words[at]?.value.startsWith('-')) at++;
      continue;
    }
    if (LAUNCHERS.has(word)) {
      at++;
      while (words[at] !== undefined && (words[at]!.value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at]!.value))) at++;
      continue;
    }
    break;
  }
  const program = baseName((words[at] as ShellWord).value);
  const byName = runnerNamed(program);
  if (byName) return { runner: byName, firstArgument: byName === 'vitest' && words[at + 1]?.value === 'run' ? at + 2 : at + 1 };
  if (program !== 'node' && program !== 'node.exe') return undefined;
  // node --test [options] [files]   or   node [options] path/to/vitest.mjs [args]
  let hasTest = false;
  for (let i = at + 1; i < words.length; i++) {
    const word = (words[i] as ShellWord).value;
    if (word === '--test') hasTest = true;
    if (word.startsWith('-')) {
      if (!word.includes('=') && VALUE_OPTIONS.node.has(word)) i++;
      continue;
    }
    if (hasTest) return { runner: 'node', firstArgument: at + 1 };
    const script = runnerNamed(baseName(word).replace(/\.[cm]?js$/, ''));
    if (!script) return undefined;
    return { runner: script, firstArgument: script === 'vitest' && words[i + 1]?.value === 'run' ? i + 2 : i + 1 };
  }
  return hasTest ? { runner: 'node', firstArgument: at + 1 } : undefined;
}

function runnerNamed(name: string): TestRunner | undefined {
  if (name === 'vitest') return 'vitest';
  if (name === 'jest') return 'jest';
  if (name === 'mocha' || name === '_mocha') return 'mocha';
  return undefined;
}

interface ParsedArguments {
  selectors: number[];
  patterns?: string[];
  addBeforeFiles: string[];
  redirectAt: number;
}

/** Finds the words that select test files (positional arguments; mocha's --spec) and what they imply. */
function parseArguments(runner: TestRunner, words: readonly ShellWord[], firstArgument: number): ParsedArguments {
  const selectors: number[] = [];
  const selectorValues: string[] = [];
  let redirectAt = words.length;
  let recursive = false;
  let hasRunTestsByPath = false;
  for (let i = firstArgument; i < words.length; i++) {
    const word = (words[i] as ShellWord).value;
    if (/^\d*[<>]/.test(word) || /^&>/.test(word)) {
      redirectAt = i;
      break;
    }
    if (word.startsWith('-') && word !== '-') {
      const [name] = word.split('=', 1) as [string];
      const takesValue = !word.includes('=') && (VALUE_OPTIONS[runner].has(name) || (runner === 'vitest' && name.startsWith('--') && name.includes('.')));
      if (runner === 'mocha' && name === '--spec') {
        selectors.push(i);
        if (takesValue && i + 1 < words.length) {
          selectors.push(i + 1);
          selectorValues.push((words[i + 1] as ShellWord).value);
        } else {
          selectorValues.push(word.slice('--spec='.length));
        }
      }
      if (runner === 'mocha' && name === '--recursive') recursive = true;
      if (runner === 'jest' && name === '--runTestsByPath') hasRunTestsByPath = true;
      if (takesValue) i++;
      continue;
    }
    selectors.push(i);
    selectorValues.push(word);
  }
  return {
    selectors,
    addBeforeFiles: runner === 'jest' && !hasRunTestsByPath ? ['--runTestsByPath'] : [],
    redirectAt,
    ...patternsFor(runner, selectorValues, recursive),
  };
}

function patternsFor(runner: TestRunner, selectorValues: string[], recursive: boolean): { patterns?: string[] } {
  if (runner === 'node') {
    if (selectorValues.length === 0) return { patterns: NODE_TEST_DEFAULT_PATTERNS };
    return {
      patterns: selectorValues.flatMap((value) => {
        const path = value.replace(/^\.\//, '').replace(/\/+$/, '');
        // a directory argument: node searches it with its default patterns
        if (!/[*?[{]/.test(path) && !/\.[cm]?[jt]sx?$/.test(path)) return NODE_TEST_DEFAULT_PATTERNS.map((pattern) => `${path}/${pattern}`);
        return [path];
      }),
    };
  }
  if (runner === 'mocha') {
    if (selectorValues.length === 0) return { patterns: recursive ? ['test/**/*.{js,cjs,mjs}'] : MOCHA_DEFAULT_PATTERNS };
    return { patterns: selectorValues.map((value) => value.replace(/^\.\//, '')) };
  }
  // vitest and jest: their config (include/exclude/root/dir, testMatch/roots) decides, and
  // positional words are filters over that set, so only the runner can list the files
  return {};
}

/**
 * The command of one shard: the runner's file-selecting arguments replaced by the shard's files
 * (relative to the command's cwd, in the way the runner accepts them: node --test, vitest and
 * mocha as arguments, jest with --runTestsByPath), and every XML report path given a
 * `-<shard>` suffix so shards never overwrite each other's report.
 */
/** `ownReport: false`: add no JUnit reporter where the command writes none (a one-off selection, not a shard whose times are kept). */
export function shardTestCommand(command: TestCommand, files: readonly string[], shardName: string, { ownReport = true }: { ownReport?: boolean } = {}): ShardCommand {
  const { segment, selectors, addBeforeFiles, redirectAt } = command.invocation;
  const selectorSet = new Set(selectors);
  const relativeFiles = files.map((file) => posix.relative(command.cwd || '.', file) || file);
  const insertAt = selectors.length > 0 ? (selectors[0] as number) : redirectAt;
  const out: string[] = [];
  const reportPaths: string[] = [];
  segment.words.forEach((word, index) => {
    if (index === insertAt) out.push(...addBeforeFiles, ...relativeFiles.map(quoteShellWord));
    if (selectorSet.has(index)) return;
    const xml = xmlPathIn(word.value);
    if (xml === undefined) {
      out.push(command.commandLine.slice(word.start, word.end));
      return;
    }
    const renamed = shardReportPath(xml, shardName);
    reportPaths.push(renamed);
    out.push(quoteShellWord(`${word.value.slice(0, word.value.length - xml.length)}${renamed}`));
  });
  if (insertAt >= segment.words.length) out.push(...addBeforeFiles, ...relativeFiles.map(quoteShellWord));
  if (ownReport && command.runner === 'vitest' && reportPaths.length === 0) {
    // per-file times without hand setup: the shard writes its own JUnit report where sixty baseline looks (<project>/reports/)
    const report = posix.join(command.projectRoot, 'reports', shardReportPath('junit.xml', shardName));
    out.push('--reporter=default', '--reporter=junit', quoteShellWord(`--outputFile.junit=${posix.relative(command.cwd || '.', report)}`));
    reportPaths.push(posix.relative(command.cwd || '.', report));
  }
  const first = segment.words[0] as ShellWord;
  const last = segment.words[segment.words.length - 1] as ShellWord;
  const commandLine = `${command.commandLine.slice(0, first.start)}${out.join(' ')}${command.commandLine.slice(last.end)}`;
  return {
    options: { ...command.otherOptions, command: commandLine, ...(command.cwd !== '' ? { cwd: command.cwd } : {}) },
    reportPaths: reportPaths.filter((path) => !posix.isAbsolute(path)).map((path) => posix.normalize(posix.join(command.cwd || '.', path))),
  };
}

/** `reports/junit.xml` -> `reports/junit-shard-1-of-3.xml`. */
export function shardReportPath(path: string, shardName: string): string {
  return path.replace(/(\.xml)$/i, `-${shardName}$1`);
}

/** The XML file path a word names: the whole word, or the part after its last `=` (`--outputFile.junit=r/j.xml`). */
function xmlPathIn(word: string): string | undefined {
  const value = word.slice(word.lastIndexOf('=') + 1);
  return /\.xml$/i.test(value) && value !== '' && !/\s/.test(value) ? value : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `./libs/a/` -> `libs/a`; `.` -> ``; undefined for absolute or escaping paths. */
function normalizeDirectory(path: string): string | undefined {
  if (path === '' || path === '.') return '';
  if (posix.isAbsolute(path) || path.includes('\\')) return undefined;
  const normalized = posix.normalize(path).replace(/\/+$/, '');
  if (normalized === '.' ) return '';
  if (normalized === '..' || normalized.startsWith('../')) return undefined;
  return normalized;
}
