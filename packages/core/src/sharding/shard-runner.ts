import { posix } from 'node:path';
import type { BaselineTargetConfig } from '../baseline/baseline-types';
import { quoteShellWord, type ShellWord } from './shell-words';
import { RUN_SCRIPT, readTestCommand, shardReportPath, shardTestCommand, type TestCommand, type TestRunner } from './test-command';

/**
 * Executors that run vitest with the target's options and take the files to run as the
 * `testFiles` option (vitest filters: a file is run when its path contains the filter).
 * Checked against each executor's schema and source: nx passes `testFiles` to startVitest with
 * the workspace root as cwd, Analog's builder the same with `root` set to the project root.
 */
const VITEST_TEST_FILES_EXECUTORS: ReadonlyMap<string, 'config-or-project' | 'project'> = new Map([
  ['@nx/vite:test', 'config-or-project'],
  ['@nx/vitest:test', 'config-or-project'],
  ['@nrwl/vite:test', 'config-or-project'],
  ['@analogjs/vitest-angular:test', 'project'],
]);
/** nx's jest executor: `testFile` is a jest path pattern (a regular expression over absolute paths). */
const JEST_EXECUTORS = new Set(['@nx/jest:jest', '@nrwl/jest:jest']);
/** Angular's unit-test builder: `include` holds globs or file paths relative to the project root. */
const ANGULAR_UNIT_TEST_EXECUTORS = new Set(['@angular/build:unit-test', '@angular-devkit/build-angular:unit-test']);
const RUN_COMMANDS = new Set(['nx:run-commands', '@nrwl/workspace:run-commands']);
/** Angular's defaults for `include` (from its schema). */
export const ANGULAR_UNIT_TEST_DEFAULT_INCLUDE = ['**/*.spec.ts', '**/*.test.ts'];

/** What sixty supports, for the messages that say what is not. */
export const SHARDABLE_RUNNERS_TEXT =
  'nx:run-commands or nx:run-script (a package.json script) running vitest, jest, mocha or node --test; @nx/vite:test, @nx/vitest:test; @analogjs/vitest-angular:test; @angular/build:unit-test; @nx/jest:jest';

/** How sixty learns the exact set of test files a target runs: it asks the runner, or reads its globs. */
export type TestFileSource =
  /** A command that prints (or writes to `jsonFile`) the runner's own list of test files. */
  | { kind: 'runner-list'; runner: 'vitest' | 'jest'; cwd: string; command: string; output: 'stdout' | 'json-file' }
  /** Globs relative to `cwd` (node --test and mocha take them on the command line; Angular's include/exclude). */
  | { kind: 'globs'; cwd: string; patterns: string[]; exclude: string[] };

/** A test target sixty can run one shard of: same executor, same options, plus a file filter. */
export interface ShardableTarget {
  runner: TestRunner;
  executor: string;
  /** Workspace-relative directory the runner resolves paths from (`''` for the workspace root). */
  cwd: string;
  files: TestFileSource;
  /** The command form, for nx:run-commands targets. */
  command?: TestCommand;
}

/** One shard's target: the original executor and options, with the shard's files selected. */
export interface ShardTargetConfig {
  executor: string;
  options: Record<string, unknown>;
  /** Workspace-relative report files the shard writes (its outputs). */
  reportPaths: string[];
}

export type ReadShardableTargetResult = { ok: true; target: ShardableTarget } | { ok: false; reason: string; fix: string };

/**
 * Reads a test target's configuration into what a shard needs. `ok: false` names the
 * executor and what would make it shardable; sixty never guesses a command for a runner it
 * cannot filter.
 */
export function readShardableTarget(config: BaselineTargetConfig, projectRoot: string): ReadShardableTargetResult {
  const root = projectRoot === '.' ? '' : projectRoot;
  const vitestRoot = VITEST_TEST_FILES_EXECUTORS.get(config.executor);
  if (vitestRoot !== undefined) {
    const configFile = stringOption(config.options, 'configFile') ?? stringOption(config.options, 'config');
    // nx's executor: vitest's root is the config's own `root`, else the project; listing from the
    // project folder resolves it the same way. Analog's builder sets the root to the project.
    const listing =
      vitestRoot === 'project'
        ? { cwd: '', command: ['vitest list --filesOnly --json={jsonFile}', `--root ${quoteShellWord(root || '.')}`, configFile ? `--config ${quoteShellWord(configFile)}` : ''] }
        : { cwd: root, command: ['vitest list --filesOnly --json={jsonFile}', configFile ? `--config ${quoteShellWord(posix.relative(root || '.', configFile) || '.')}` : ''] };
    return {
      ok: true,
      target: {
        runner: 'vitest',
        executor: config.executor,
        cwd: '',
        files: { kind: 'runner-list', runner: 'vitest', cwd: listing.cwd, command: listing.command.filter(Boolean).join(' '), output: 'json-file' },
      },
    };
  }
  if (JEST_EXECUTORS.has(config.executor)) {
    const jestConfig = stringOption(config.options, 'jestConfig');
    if (jestConfig === undefined) return { ok: false, reason: `${config.executor} target has no jestConfig option`, fix: 'set options.jestConfig to the project\'s jest config' };
    return {
      ok: true,
      target: {
        runner: 'jest',
        executor: config.executor,
        cwd: '',
        files: { kind: 'runner-list', runner: 'jest', cwd: '', command: `jest --listTests --json --config ${quoteShellWord(jestConfig)}`, output: 'stdout' },
      },
    };
  }
  if (ANGULAR_UNIT_TEST_EXECUTORS.has(config.executor)) {
    const include = stringList(config.options.include) ?? ANGULAR_UNIT_TEST_DEFAULT_INCLUDE;
    const exclude = stringList(config.options.exclude) ?? [];
    return { ok: true, target: { runner: 'vitest', executor: config.executor, cwd: root, files: { kind: 'globs', cwd: root, patterns: include, exclude } } };
  }
  if (!RUN_COMMANDS.has(config.executor) && !RUN_SCRIPT.has(config.executor)) {
    return {
      ok: false,
      reason: `the executor ${config.executor} is not one sixty can give a file filter (it shards ${SHARDABLE_RUNNERS_TEXT})`,
      fix: 'run the tests through one of those (e.g. nx:run-commands with the runner\'s command), or split the project instead: sixty plan <project>:<target> --kind split',
    };
  }
  const read = readTestCommand(config, projectRoot);
  if (!read.ok) {
    const fix = RUN_SCRIPT.has(config.executor) ? 'make the package.json script run one of: vitest, jest, mocha, node --test' : 'give the target one command that runs one of: vitest, jest, mocha, node --test';
    return { ok: false, reason: read.reason, fix };
  }
  const command = read.command;
  const files = fileSourceOf(command);
  return { ok: true, target: { runner: command.runner, executor: config.executor, cwd: command.cwd, files, command } };
}

/** For a command: vitest and jest are asked (their configs decide), node and mocha have their globs on the line. */
function fileSourceOf(command: TestCommand): TestFileSource {
  if (command.runner === 'vitest' || command.runner === 'jest') {
    const { segment, firstArgument, redirectAt } = command.invocation;
    const words = segment.words.slice(0, redirectAt).map((word: ShellWord) => command.commandLine.slice(word.start, word.end));
    const programEnd = command.runner === 'vitest' && segment.words[firstArgument - 1]?.value === 'run' ? firstArgument - 1 : firstArgument;
    const listed =
      command.runner === 'vitest'
        ? [...words.slice(0, programEnd), 'list', '--filesOnly', '--json={jsonFile}', ...words.slice(firstArgument).filter((word) => !isReporterWord(word))]
        : [...words, '--listTests', '--json'];
    return { kind: 'runner-list', runner: command.runner, cwd: command.cwd, command: listed.join(' '), output: command.runner === 'vitest' ? 'json-file' : 'stdout' };
  }
  return { kind: 'globs', cwd: command.cwd, patterns: command.testFilePatterns ?? [], exclude: [] };
}

/** Reporter words do not belong in a listing (vitest list would write its JSON through them). */
function isReporterWord(word: string): boolean {
  return /^--(reporter|outputFile)(\.|=|$)/.test(word) || /^--json(=|$)/.test(word);
}

/**
 * The shard's target: the same executor and options, with the files selected the way that
 * runner accepts them. Files are workspace-relative; each runner gets them as it resolves paths.
 */
export function shardTargetConfig(target: ShardableTarget, config: BaselineTargetConfig, files: readonly string[], shardName: string, options: { ownReport?: boolean } = {}): ShardTargetConfig {
  if (target.command) {
    const shard = shardTestCommand(target.command, files, shardName, options);
    // nx:run-script passes no options to the script: a shard runs the script's command line from
    // the project root (as the package manager does), with its files, through nx:run-commands
    const executor = RUN_SCRIPT.has(config.executor) ? 'nx:run-commands' : config.executor;
    return { executor, options: shard.options, reportPaths: shard.reportPaths };
  }
  if (VITEST_TEST_FILES_EXECUTORS.has(target.executor)) {
    // the executor runs in the workspace root, where vitest resolves a relative filter
    return { executor: config.executor, options: { ...config.options, testFiles: [...files] }, reportPaths: [] };
  }
  if (JEST_EXECUTORS.has(target.executor)) {
    // jest matches the pattern against absolute paths: anchor each file at a path boundary and the end
    const pattern = `(${files.map((file) => `/${escapeRegExp(file)}`).join('|')})$`;
    return { executor: config.executor, options: { ...config.options, testFile: pattern }, reportPaths: [] };
  }
  // Angular's include: file paths relative to the project root select exactly that file
  return { executor: config.executor, options: { ...config.options, include: files.map((file) => (target.cwd === '' ? file : posix.relative(target.cwd, file))) }, reportPaths: [] };
}

/**
 * Files a filter would run besides the one it names: vitest runs every file whose path contains
 * the filter, jest every file the pattern matches. Returns pairs (file, also matched) so a plan
 * can keep them together or refuse; empty when every filter selects its file alone.
 */
export function ambiguousFilters(target: ShardableTarget, files: readonly string[]): Array<{ file: string; alsoMatches: string }> {
  if (target.runner !== 'vitest' && target.runner !== 'jest') return [];
  const found: Array<{ file: string; alsoMatches: string }> = [];
  const sorted = [...files].sort();
  for (const file of sorted) {
    const relative = target.cwd === '' ? file : posix.relative(target.cwd, file);
    for (const other of sorted) {
      if (other === file) continue;
      const otherRelative = target.cwd === '' ? other : posix.relative(target.cwd, other);
      const hit = target.runner === 'jest' ? other.endsWith(`/${file}`) : otherRelative.toLowerCase().includes(relative.toLowerCase());
      if (hit) found.push({ file, alsoMatches: other });
    }
  }
  return found;
}

/** The runner's list output -> workspace-relative test files. */
export function parseRunnerList(runner: 'vitest' | 'jest', text: string, workspaceRoot: string): string[] {
  const data = JSON.parse(text) as unknown;
  const entries: unknown[] = Array.isArray(data) ? data : [];
  const files = entries
    .map((entry) => (typeof entry === 'string' ? entry : typeof entry === 'object' && entry !== null && typeof (entry as { file?: unknown }).file === 'string' ? (entry as { file: string }).file : undefined))
    .filter((file): file is string => file !== undefined)
    .map((file) => posix.relative(workspaceRoot.split('\\').join('/'), file.split('\\').join('/')));
  if (!Array.isArray(data)) throw new Error(`${runner} printed no list of test files`);
  return [...new Set(files)].sort();
}

/** Shard report names come from the report path; re-exported for readers of shard reports. */
export { shardReportPath };

function stringOption(options: Record<string, unknown>, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
