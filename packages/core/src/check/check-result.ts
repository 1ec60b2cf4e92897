import { failureLogSection, isLineRange } from '../history/failure-logs';
import { isExecuted, type CacheKind, type RunRecord, type TaskStatus } from '../history/run-record';
import type { UncoveredFile } from './change-coverage';
import type { CheckLoop } from './loop-gate';
import { describeFailure } from './failure-excerpt';
import type { TestSelection } from './test-selection';
import { plural } from '../text/plural';

export const CHECK_SCHEMA_VERSION = 1;

export interface CheckTask {
  task: string;
  status: TaskStatus;
  cache: CacheKind;
  durationMs: number;
  budgetMs: number;
  overBudget: boolean;
}

export interface CheckFailure {
  task: string;
  /** The error lines of the task's output with a little context. */
  excerpt: string;
  /** The first file:line in the user's code the output names (the assertion, the compile error), or null. */
  location: string | null;
  /** Full output, when the plugin kept it (absolute path). */
  logFile: string | null;
  /** The task's lines in logFile, when the file holds the whole run's failures. */
  logLines?: [number, number];
}

export interface CheckOverBudget {
  task: string;
  /** This run's time for executed tasks; the median of its latest executions for tasks restored from cache. */
  durationMs: number;
  budgetMs: number;
  /** `run`: it took this long now; `history`: it came from cache but its recorded p90 is over. */
  source: 'run' | 'history';
  /** The task ran only the test files the change reaches now; durationMs is its whole target's usual time. */
  selected?: true;
  planCommand: string;
}

/** The JSON contract of `sixty check --json` (schema version 1): extend, never break. */
export interface CheckResult {
  schemaVersion: typeof CHECK_SCHEMA_VERSION;
  ok: boolean;
  strict: boolean;
  /** The merge-base commit compared against. */
  base: string | null;
  /** The ref that base came from (`main`), and who named it. */
  baseRef: string | null;
  baseSource: string | null;
  head: string | null;
  changedFiles: number;
  targets: string[];
  /** nx's own affected set (`nx show projects --affected`). */
  affectedProjects: string[];
  /** Changed files no task of this check covered, and why; with --strict any of them fails the check. */
  uncoveredFiles: UncoveredFile[];
  tasks: CheckTask[];
  failures: CheckFailure[];
  overBudget: CheckOverBudget[];
  wallMs: number;
  nxExitCode: number;
  /** Why no task ran, or why there are no task records, in words that are true for this run. */
  note: string | null;
  /** Per affected test task: the test files run (those whose imports reach the change), skipped, or whole and why; null when whole targets ran (--all-tests, --ci, CI). */
  testSelection?: TestSelection[] | null;
  /** The loop this change measured (the check's wall time) against the loop budget; with --strict, over it fails. */
  loop?: CheckLoop;
}

/** What the check knew before nx ran, as the result repeats it, and what nx did. */
export interface BuildCheckInput
  extends Pick<CheckResult, 'wallMs' | 'base' | 'baseRef' | 'baseSource' | 'head' | 'changedFiles' | 'targets' | 'affectedProjects' | 'uncoveredFiles' | 'strict'> {
  run: RunRecord | null;
  nxExitCode: number;
  /** nx's own output: the excerpt source when a failure has no log of its own. */
  nxOutput: string;
  /** How many of the affected projects have at least one of the targets. */
  affectedWithTargets: number;
  budgetMsFor: (task: { project: string; target: string; configuration?: string }) => number;
  /** Median of each task's latest executions, to flag tasks restored from cache that are known to be slow. */
  p90ByTask: ReadonlyMap<string, number>;
  /** What sixty check's test selection decided, or null when whole targets ran. */
  testSelection?: TestSelection[] | null;
  /** The loop gate (checkLoopOf); absent: not judged. */
  loop?: CheckLoop;
  /** Reads a failed task's kept log (absolute path) or returns null. */
  readLog: (logFile: string) => string | null;
  /** Turns a record's log path (relative to the history dir) into the path shown to users. */
  logPath: (relative: string) => string;
  /** Shortens a location's absolute path for users (relative to the workspace); absent: as printed. */
  showPath?: (location: string) => string;
}

const planCommand = (task: string) => `sixty plan ${task}`;


/** The true reason a check ran no task: nothing changed, nx affected nothing, or no affected project has the targets. */
function whyNoTask(input: BuildCheckInput): string {
  if (input.changedFiles === 0) return `no file changed since ${input.baseRef ?? 'the base'}`;
  if (input.affectedProjects.length === 0) {
    const ignored = input.uncoveredFiles.filter((f) => f.reason === 'nx-ignored').length;
    const outside = input.uncoveredFiles.filter((f) => f.reason === 'no-project').length;
    const parts = [
      ...(ignored > 0 ? [`${plural(ignored, 'changed file')} ignored by nx (.nxignore/.gitignore)`] : []),
      ...(outside > 0 ? [`${plural(outside, 'changed file')} in no project`] : []),
    ];
    return `nx finds no affected project${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
  }
  if (input.affectedWithTargets === 0) {
    return `none of the ${plural(input.affectedProjects.length, 'affected project')} has a ${input.targets.join(' / ')} target`;
  }
  const selections = input.testSelection ?? [];
  if (selections.length > 0 && selections.every((selection) => selection.mode === 'skip')) {
    return `no test file of the ${plural(selections.length, 'affected test task')} imports a changed file, so none ran (--all-tests runs them)`;
  }
  return 'nx ran but no task record was found: is @sixty/nx registered in nx.json? run `sixty init`';
}

/** Turns the run nx just did into the verdict: what failed (with excerpts) and what is over budget. */
export function buildCheckResult(input: BuildCheckInput): CheckResult {
  const tasks: CheckTask[] = [];
  const overBudget: CheckOverBudget[] = [];
  const failures: CheckFailure[] = [];
  // The failed tasks of a run share one log file: read and split it once, not once per task.
  const logLines = new Map<string, readonly string[]>();
  const runLogLines = (logFile: string): readonly string[] => {
    let lines = logLines.get(logFile);
    if (!lines) logLines.set(logFile, (lines = (input.readLog(logFile) ?? '').split('\n')));
    return lines;
  };
  const selected = new Set((input.testSelection ?? []).filter((selection) => selection.mode === 'files').map((selection) => selection.task));
  for (const record of input.run?.tasks ?? []) {
    const budgetMs = input.budgetMsFor(record);
    const executedOver = isExecuted(record) && record.durationMs > budgetMs;
    tasks.push({
      task: record.id,
      status: record.status,
      cache: record.cache,
      durationMs: record.durationMs,
      budgetMs,
      overBudget: executedOver,
    });
    if (executedOver) {
      overBudget.push({ task: record.id, durationMs: record.durationMs, budgetMs, source: 'run', planCommand: planCommand(record.id) });
    } else if (record.cache !== 'none' || selected.has(record.id)) {
      // restored from cache, or run on a selection of its files: its whole target's recorded time judges it
      const p90 = input.p90ByTask.get(record.id);
      if (p90 !== undefined && p90 > budgetMs) {
        overBudget.push({ task: record.id, durationMs: p90, budgetMs, source: 'history', ...(selected.has(record.id) ? { selected: true as const } : {}), planCommand: planCommand(record.id) });
      }
    }
    if (record.status === 'failure') {
      const logFile = record.logFile ? input.logPath(record.logFile) : null;
      const log = (logFile && failureLogSection(runLogLines(logFile), record.logLines)) || '';
      const { excerpt, location } = describeFailure(log || `exit code ${record.exitCode ?? 'unknown'}, no output kept`);
      const failure: CheckFailure = { task: record.id, excerpt, location: location && input.showPath ? input.showPath(location) : location, logFile };
      if (logFile && isLineRange(record.logLines)) failure.logLines = record.logLines;
      failures.push(failure);
    }
  }
  let note: string | null = null;
  if (!input.run && input.nxExitCode !== 0) {
    const { excerpt, location } = describeFailure(input.nxOutput);
    failures.push({ task: 'nx', excerpt, location, logFile: null });
    note = 'nx failed before running tasks (or the @sixty/nx plugin is not registered: run `sixty init`)';
  } else if (!input.run) {
    note = whyNoTask(input);
  }
  tasks.sort((a, b) => a.task.localeCompare(b.task));
  // measured in this run first (the change just paid for them), then known from history; worst first
  const sourceRank = (o: CheckOverBudget) => (o.source === 'run' ? 0 : 1);
  overBudget.sort(
    (a, b) => sourceRank(a) - sourceRank(b) || b.durationMs - b.budgetMs - (a.durationMs - a.budgetMs) || a.task.localeCompare(b.task),
  );
  const failed = input.nxExitCode !== 0 || failures.length > 0;
  const strictBreaks = overBudget.length > 0 || input.uncoveredFiles.length > 0 || input.loop?.overBudget === true;
  return {
    schemaVersion: CHECK_SCHEMA_VERSION,
    ok: !failed && (!input.strict || !strictBreaks),
    strict: input.strict,
    base: input.base,
    baseRef: input.baseRef,
    baseSource: input.baseSource,
    head: input.head,
    changedFiles: input.changedFiles,
    targets: input.targets,
    affectedProjects: input.affectedProjects,
    uncoveredFiles: input.uncoveredFiles,
    tasks,
    failures,
    overBudget,
    wallMs: input.wallMs,
    nxExitCode: input.nxExitCode,
    note,
    testSelection: input.testSelection ?? null,
    ...(input.loop ? { loop: input.loop } : {}),
  };
}
