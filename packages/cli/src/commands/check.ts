import type { Command } from 'commander';
import { commaList, positiveInteger, positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  budgetMsFor,
  buildCheckResult,
  checkLoopOf,
  loopBudgetMsOf,
  computeTargetStats,
  percentileOfSorted,
  readHistory,
  renderCheckMarkdown,
  renderCheckText,
  SixtyError,
  type CheckResult,
  type RunRecord,
  uncoveredChanges,
} from '@sixty/core';
import { changedFiles, gitTopLevel, resolveComparison } from '../git/repository';
import { startNx } from '../nx/nx-process';
import { nxAffectedProjects } from '../nx/affected-projects';
import { nxIgnoredFiles } from '../nx/ignored-files';
import { readNxDefaultBase } from '../nx/nx-json';
import { readProjectGraph } from '../nx/project-graph';
import { openWorkspace } from '../workspace';
import { planCheckTestSelection, type CheckTestSelection } from '../check-test-selection';
import { loopPlanCommand } from '../measured-task-graph';
import { EXIT, type Output } from '../output';

/** nx's own default for --parallel: how many selected test runs a check starts at once. */
const NX_DEFAULT_PARALLEL = 3;

/** Runs fn over items, at most `limit` at a time; results in the items' order. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many of a target's latest executions judge a task restored from cache. */
const RECENT_EXECUTIONS = 3;

export const DEFAULT_CHECK_TARGETS = ['build', 'test', 'lint', 'typecheck'];

export interface CheckOptions {
  cwd: string;
  base?: string;
  head?: string;
  targets: string[];
  /** The user named the targets: an unknown one is an error, not "nothing affected". */
  targetsExplicit: boolean;
  parallel?: number;
  strict: boolean;
  format: 'text' | 'markdown' | 'json';
  verbose: boolean;
  budget?: number;
  /** Run every test file of the affected test targets, not only those the change reaches. */
  allTests: boolean;
  /** Run whole targets, as CI should (also under CI=true unless nx.json sets testSelection: always). */
  ci: boolean;
}

/** Whether this check narrows test targets to the files the change reaches. */
export function selectsTests(options: Pick<CheckOptions, 'allTests' | 'ci'>, mode: 'local' | 'always' | 'never', env: NodeJS.ProcessEnv): boolean {
  if (options.allTests || options.ci || mode === 'never') return false;
  const underCi = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return mode === 'always' || !underCi;
}

/** Runs nx with its output captured to a log file; progress goes to stderr on a terminal only. */
function runNx(root: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, output: Output, verbose: boolean): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = startNx(root, args, env);
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (verbose) output.err(chunk.toString().replace(/\n$/, ''));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      writeFileSync(logFile, text);
      resolvePromise({ code: code ?? 1, output: text });
    });
  });
}

/** The runs this check started (one per nx process), found by the request id the plugin copied into each record, as one run. */
function findRun(historyDir: string, requestId: string, sinceMs: number): RunRecord | null {
  const { runs } = readHistory(historyDir, { sinceMs: sinceMs - 1000, keepSelections: true });
  // a target that runs nx again makes a nested run with the same request id: it is part of its outer run
  const own = runs.filter((run) => run.requestId === requestId && run.parentRunId === undefined);
  if (own.length === 0) return null;
  // a task run again as another run's dependency comes back from cache: its executed record counts
  const byId = new Map<string, RunRecord['tasks'][number]>();
  for (const task of own.flatMap((run) => run.tasks)) {
    const known = byId.get(task.id);
    if (!known || known.cache !== 'none' || task.status === 'failure') byId.set(task.id, task);
  }
  return { ...own[0]!, endMs: Math.max(...own.map((run) => run.endMs)), tasks: [...byId.values()] };
}

/**
 * The targets to run: every name the user gave must be a target of some project (a typo never
 * passes as "nothing affected"); the default list keeps only the names the workspace has.
 */
export function knownTargets(requested: string[], explicit: boolean, projects: ReadonlyArray<{ targets: string[] }>): string[] {
  const existing = new Set(projects.flatMap((p) => p.targets));
  const unknown = requested.filter((t) => !existing.has(t));
  if (explicit && unknown.length > 0) {
    const names = [...existing].sort();
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `--targets ${unknown.map((t) => `"${t}"`).join(', ')}: no project has ${unknown.length === 1 ? 'this target' : 'these targets'}`,
      `use targets this workspace has: ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', ...' : ''}`,
    );
  }
  return requested.filter((t) => existing.has(t));
}

export async function runCheck(options: CheckOptions, output: Output): Promise<number> {
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const root = workspace.root;
  gitTopLevel(root);

  const comparison = resolveComparison(root, { base: options.base, head: options.head, defaultBase: readNxDefaultBase(root) });
  const { base, head } = comparison;
  const files = changedFiles(root, base, head);

  const requestId = randomUUID();
  const started = Date.now();
  let nxResult = { code: 0, output: '' };
  const logsDir = join(workspace.historyDir, 'logs');
  mkdirSync(logsDir, { recursive: true });
  const nxLog = join(logsDir, 'check-last.log');
  // nx answers which projects are affected; listing them also refreshes its cached project graph
  const affected = files.length > 0 ? nxAffectedProjects(root, base, head) : [];
  const graph = readProjectGraph(root);
  const targets = knownTargets(options.targets, options.targetsExplicit, graph.projects);
  const wanted = new Set(targets);
  const affectedWithTargets = graph.projects.filter((p) => affected.includes(p.name) && p.targets.some((t) => wanted.has(t)));
  const history = readHistory(workspace.historyDir);
  // the median of the latest runs: once a target is decomposed, its old slow runs must not keep flagging it
  const p90ByTask = new Map(
    computeTargetStats(history.runs)
      .filter((s) => s.executions > 0)
      .map((s) => [s.task, percentileOfSorted([...s.durationsMs.slice(-RECENT_EXECUTIONS)].sort((a, b) => a - b), 50)]),
  );
  const selection =
    affectedWithTargets.length > 0 && selectsTests(options, workspace.options.testSelection, process.env)
      ? await planCheckTestSelection(root, { affectedProjects: affectedWithTargets.map((p) => p.name), targets, changedFiles: files, usualMsByTask: p90ByTask })
      : null;
  if (affectedWithTargets.length > 0) {
    const env = { ...process.env, SIXTY_REQUEST_ID: requestId, NX_TUI: 'false' };
    const parallel = options.parallel ? [`--parallel=${options.parallel}`] : [];
    const invocations = nxInvocations(targets, selection, { base, head });
    const runInvocation = (invocation: (typeof invocations)[number]) => {
      if (process.stderr.isTTY && !options.verbose) output.err(`sixty check: nx ${invocation.args.join(' ')} (${files.length} changed files)...`);
      const args = [...invocation.args, '--outputStyle=static', ...(invocation.args[0] === 'run' ? [] : parallel)];
      return runNx(root, args, invocation.selected ? { ...env, SIXTY_TEST_SELECTION: invocation.selected } : env, nxLog, output, options.verbose);
    };
    const steps: Array<{ code: number; output: string }> = [];
    for (const invocation of invocations.filter((i) => !i.selected)) steps.push(await runInvocation(invocation));
    // the selected test runs side by side, as many at once as nx would run tasks, once the other
    // targets (builds) ran above: what they depend on is then cached; alone, they run one by one
    const sideBySide = invocations.some((i) => i.args[0] === 'affected') ? (options.parallel ?? NX_DEFAULT_PARALLEL) : 1;
    steps.push(...(await inPool(invocations.filter((i) => i.selected), sideBySide, runInvocation)));
    nxResult = { code: steps.find((step) => step.code !== 0)?.code ?? 0, output: steps.map((step) => step.output).join('\n') };
    if (invocations.length > 1) writeFileSync(nxLog, nxResult.output);
  }
  const wallMs = Date.now() - started;

  const run = affectedWithTargets.length > 0 ? findRun(workspace.historyDir, requestId, started) : null;
  const ignored = files.length > 0 ? nxIgnoredFiles(root, files) : [];
  if (ignored === null) output.err("warning: could not ask nx which files it ignores (nx/src/utils/ignore did not load); ignored files are listed as in no project");
  const uncoveredFiles = uncoveredChanges({
    changedFiles: files,
    nxIgnored: new Set(ignored ?? []),
    projects: graph.projects,
    projectDependencies: graph.projectDependencies,
    nxAffected: affected,
    projectsWithTasks: new Set(run?.tasks.map((t) => t.project) ?? []),
  });


  const result: CheckResult = buildCheckResult({
    run,
    nxExitCode: nxResult.code,
    nxOutput: nxResult.output,
    wallMs,
    base,
    baseRef: comparison.baseRef,
    baseSource: comparison.baseSource,
    head,
    changedFiles: files.length,
    targets,
    affectedProjects: affected,
    affectedWithTargets: affectedWithTargets.length,
    uncoveredFiles,
    strict: options.strict,
    budgetMsFor: (task) => budgetMsFor(workspace.options, task, options.budget),
    p90ByTask,
    testSelection: selection?.selections ?? null,
    // the change's measured loop: this check's wall time, cache hits included
    loop: checkLoopOf({
      wallMs,
      loopBudgetMs: loopBudgetMsOf(workspace.options, options.budget),
      tasks: run?.tasks ?? [],
      changedFiles: files,
      projects: graph.projects,
      projectDependencies: graph.projectDependencies,
      planCommand: (project) =>
        loopPlanCommand(project, {
          targets,
          ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
          ...(options.budget !== undefined ? { budget: options.budget } : {}),
        }),
    }),
    readLog: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    logPath: (path) => relativeToCwd(options.cwd, join(workspace.historyDir, path)),
    showPath: (location) => (location.startsWith(`${root}/`) ? location.slice(root.length + 1) : location),
  });
  if (nxResult.code !== 0 && result.failures.length === 0) {
    result.failures.push({ task: 'nx', excerpt: nxResult.output.trim().split('\n').slice(-8).join('\n'), location: null, logFile: relativeToCwd(options.cwd, nxLog) });
    result.ok = false;
  }

  if (options.format === 'json') output.out(JSON.stringify(result, null, 2));
  else if (options.format === 'markdown') output.out(renderCheckMarkdown(result));
  else output.out(renderCheckText(result));
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) {
    try {
      appendFileSync(summaryFile, `${renderCheckMarkdown(result)}\n`);
    } catch {
      output.err(`warning: could not write the step summary to ${summaryFile}`);
    }
  }
  return result.ok ? EXIT.ok : EXIT.failed;
}

/**
 * The nx processes of a check: `nx affected` for the targets nobody narrowed, then for each test
 * target the projects that run whole (`run-many`), then each selected test task alone (`nx run`
 * with its file filter). Without a selection: one `nx affected` for everything.
 */
export function nxInvocations(targets: string[], selection: CheckTestSelection | null, range: { base: string; head?: string | null }): Array<{ args: string[]; selected?: string }> {
  const rangeArgs = [`--base=${range.base}`, ...(range.head ? [`--head=${range.head}`] : [])];
  if (!selection?.narrows) return [{ args: ['affected', '-t', targets.join(','), ...rangeArgs] }];
  const invocations: Array<{ args: string[]; selected?: string }> = [];
  const others = targets.filter((target) => !selection.testTargets.includes(target));
  if (others.length > 0) invocations.push({ args: ['affected', '-t', others.join(','), ...rangeArgs] });
  for (const [target, projects] of selection.whole) invocations.push({ args: ['run-many', '-t', target, `--projects=${projects.join(',')}`] });
  for (const run of selection.runs) invocations.push({ args: ['run', run.task, ...run.overrides], selected: run.task });
  return invocations;
}

function relativeToCwd(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function assertTargets(targets: string[]): string[] {
  for (const target of targets) {
    if (!/^[\w.:-]+$/.test(target)) {
      throw new SixtyError('INVALID_ARGUMENT', `--targets "${target}" is not a target name`, 'pass target names separated by commas, e.g. --targets build,test');
    }
  }
  return targets;
}

export function registerCheckCommand(program: Command, context: CommandContext): void {
  program
    .command('check')
    .description('Run only what a change affects (cached), and say in a few lines what failed and what is over budget')
    .option('--base <ref>', 'compare against this ref (default: nx.json defaultBase, else the default branch; the merge-base is used)')
    .option('--head <ref>', 'compare up to this ref (default: the work tree, uncommitted and untracked files included)')
    .option('--targets <list>', `targets to run (default: those of ${DEFAULT_CHECK_TARGETS.join(',')} the workspace has)`, commaList)
    .option('--parallel <n>', 'nx workers', positiveInteger)
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--strict', 'exit 1 when a task is over its budget, the check took longer than the loop budget, or a changed file is covered by no task', false)
    .option('--format <format>', 'text | markdown | json', 'text')
    .option('--json', 'same as --format json')
    .option('--verbose', "stream nx's own output to stderr", false)
    .option('--all-tests', 'run every test file of the affected test targets, not only those whose imports reach the change', false)
    .option('--ci', 'run whole targets, as CI should (the default under CI=true unless nx.json sets testSelection: "always")', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'For agents: run `sixty check` after each change.',
        '  exit 0  the affected tasks passed (from cache where inputs are unchanged)',
        '  exit 1  a task failed (its error lines are shown, with the full log path),',
        '          or with --strict a task is over its budget (named, with the plan command),',
        '          or the check took longer than the loop budget (loopBudgetSeconds; its largest',
        '          contributor named, with `sixty plan <project> --loop`)',
        '  exit 2  usage or setup problem (not a git repo, unknown --base or target, no nx.json)',
        'The first line names the base compared against; changed files no task covered are listed.',
        'Outside CI, test targets run only the test files whose imports reach a changed file (one',
        "line says which; anything the import graph cannot follow runs the whole target): --all-tests",
        'runs them all. Selected runs are cached apart from the whole target and kept out of its timings.',
        'The last line is always the next command to run. JSON: sixty check --json',
      ].join('\n'),
    )
    .action(
      async (opts: {
        base?: string;
        head?: string;
        targets?: string[];
        parallel?: number;
        budget?: number;
        strict: boolean;
        format: string;
        json?: boolean;
        verbose: boolean;
        allTests: boolean;
        ci: boolean;
        cwd: string;
      }) => {
        const format = opts.json ? 'json' : opts.format;
        if (format !== 'text' && format !== 'markdown' && format !== 'json') {
          throw new SixtyError('INVALID_ARGUMENT', `unknown --format "${format}"`, 'use one of: text, markdown, json');
        }
        context.setExit(
          await runCheck(
            {
              cwd: opts.cwd,
              targets: assertTargets(opts.targets ?? DEFAULT_CHECK_TARGETS),
              targetsExplicit: opts.targets !== undefined,
              strict: opts.strict,
              format,
              verbose: opts.verbose,
              allTests: opts.allTests,
              ci: opts.ci,
              ...(opts.base !== undefined ? { base: opts.base } : {}),
              ...(opts.head !== undefined ? { head: opts.head } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
            },
            context.output,
          ),
        );
      },
    );
}
