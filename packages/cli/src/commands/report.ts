import type { Command } from 'commander';
import { collect, commaList, positiveInteger, positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  analyzeGraph,
  budgetMsFor,
  calibrateShards,
  splitBaselineKey,
  type Baseline,
  type ReportShardEstimates,
  buildReport,
  computeTargetStats,
  isSixtyError,
  narrowTaskGraph,
  parseBaseline,
  parseSince,
  predictLastRun,
  preferShardedTargets,
  SHARDED_SUFFIX,
  readDispatchRecords,
  readHistory,
  rendererFor,
  REPORT_RENDERERS,
  SixtyError,
  summarizeDispatch,
  topLevelRuns,
  type HistoryReadResult,
  type ReportAnalysis,
  unshardableAppliedTargets,
} from '@sixty/core';
import { readNxGraphs } from '../nx/task-graph';
import { declarationSavingsForReport } from '../planning/declaration-inputs';
import { openWorkspace, type Workspace } from '../workspace';
import { EXIT, type Output } from '../output';

/** Nx's own default worker count when nx.json sets none. */
const NX_DEFAULT_PARALLEL = 3;

export interface ReportOptions {
  cwd: string;
  format: string;
  budget?: number;
  since?: string;
  /** Target names to analyse; default: every target name in the history. */
  targets?: string[];
  parallel?: number;
  /** `p3:test=4`: predict the loop times if that target were split in 4. */
  whatIf?: string[];
  /** Skip reading the task graph from nx (history statistics only). */
  graph?: boolean;
  /** Analyse every task of the targets, a never-run one at an estimate (marked est.); default: measured tasks only. */
  wholeGraph?: boolean;
  out?: string;
  now?: number;
}

export function parseWhatIf(value: string): { task: string; parts: number } {
  const match = /^([^=\s]+:[^=\s]+)=(\d+)$/.exec(value.trim());
  const parts = match ? Number(match[2]) : NaN;
  if (!match || !Number.isInteger(parts) || parts < 2 || parts > 1000) {
    throw new SixtyError('INVALID_ARGUMENT', `--what-if "${value}" is not PROJECT:TARGET=PARTS`, 'write e.g. --what-if lib-c:test=4 (split lib-c:test in 4 equal parts)');
  }
  return { task: match[1]!, parts };
}

function analyse(
  workspace: Workspace,
  history: HistoryReadResult,
  options: ReportOptions,
  output: Output,
): { analysis?: ReportAnalysis; analysisNote?: string } {
  if (options.graph === false) return { analysisNote: 'graph analysis skipped (--no-graph)' };
  const stats = computeTargetStats(history.runs);
  const targets = options.targets ?? [...new Set(stats.map((s) => s.target))].sort();
  if (targets.length === 0) return { analysisNote: 'no targets to analyse yet' };
  if (process.stderr.isTTY) output.err(`reading the task graph of ${targets.join(', ')} from nx...`);
  try {
    // sharded aggregates stand in for their target where they exist: that is what CI runs
    const graphs = readNxGraphs(workspace.root, [...targets, ...targets.map((t) => `${t}${SHARDED_SUFFIX}`)]);
    const taskGraph = preferShardedTargets(graphs.taskGraph);
    const p90ByTask = new Map(stats.filter((s) => s.executions > 0).map((s) => [s.task, s.p90Ms]));
    for (const task of taskGraph.tasks) if (task.target.endsWith(SHARDED_SUFFIX)) p90ByTask.set(task.id, 0); // nx:noop
    const parallel = options.parallel ?? workspace.nxParallel ?? NX_DEFAULT_PARALLEL;
    // a never-run task has no measure: left out unless the whole graph is asked for (then estimated, marked)
    const narrowed = options.wholeGraph ? { taskGraph, leftOut: [] } : narrowTaskGraph(taskGraph, (id) => p90ByTask.has(id));
    const whatIf = (options.whatIf ?? []).map(parseWhatIf);
    for (const { task } of whatIf) {
      if (narrowed.leftOut.includes(task)) {
        throw new SixtyError('INVALID_ARGUMENT', `--what-if ${task}: ${task} has no executed run recorded, so there is no time to split`, `run it once (nx run ${task}), or add --whole-graph to split its estimate`);
      }
    }
    const analysis = analyzeGraph({
      taskGraph: narrowed.taskGraph,
      projectDependencies: graphs.projectDependencies,
      p90ByTask,
      parallel,
      budgetMsFor: (task) => budgetMsFor(workspace.options, task, options.budget),
      whatIf,
    });
    const declarationInputs = declarationSavingsForReport(workspace.root, targets, { taskGraph: narrowed.taskGraph, projectDependencies: graphs.projectDependencies, p90ByTask, parallel });
    const lastRun = topLevelRuns(history.runs).at(-1);
    const lastRunPrediction = lastRun
      ? predictLastRun({ run: lastRun, taskGraph, projectDependencies: graphs.projectDependencies, p90ByTask, parallel })
      : null;
    return {
      analysis: {
        ...analysis,
        targets,
        scope: options.wholeGraph ? 'whole-graph' : 'measured',
        unmeasuredTasks: options.wholeGraph ? analysis.estimatedTasks : narrowed.leftOut,
        lastRunPrediction,
        ...(declarationInputs.length > 0 ? { declarationInputs } : {}),
      },
    };
  } catch (error) {
    if (isSixtyError(error) && error.code === 'NX_FAILED') {
      output.err(`warning: ${error.message}`);
      return { analysisNote: `no graph analysis: ${error.message}` };
    }
    throw error;
  }
}

/** --out must name a file in an existing directory: said before any work, not as a crash after it. */
function checkOutDirectory(path: string): void {
  const directory = dirname(path);
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // missing: said below
  }
  if (!isDirectory) {
    throw new SixtyError('INVALID_ARGUMENT', `--out ${path}: the directory ${directory} does not exist`, `create it first (mkdir -p ${directory}), or write the report elsewhere`);
  }
}

/** --json is --format json: with another --format the two disagree, which is a usage error, not a silent choice. */
export function reportFormat(format: string | undefined, json: boolean | undefined): string {
  if (json && format !== undefined && format !== 'json') {
    throw new SixtyError('INVALID_ARGUMENT', `--json and --format ${format} ask for two formats`, `use one: --json (same as --format json) or --format ${format}`);
  }
  return json ? 'json' : (format ?? 'text');
}

/** Each sharded target of the baseline: the shard cost model learned from the runs, each shard's estimate and measured time. */
function shardEstimates(workspace: Workspace, history: HistoryReadResult, budgetSeconds: number | undefined): ReportShardEstimates[] {
  const path = resolve(workspace.root, workspace.options.baselineFile);
  let baseline: Baseline;
  try {
    if (!existsSync(path)) return [];
    baseline = parseBaseline(readFileSync(path, 'utf8'), workspace.options.baselineFile);
  } catch {
    return []; // `sixty baseline --check` reports an unreadable baseline
  }
  const stats = computeTargetStats(history.runs);
  const estimates: ReportShardEstimates[] = [];
  for (const [task, entry] of Object.entries(baseline.targets)) {
    const key = splitBaselineKey(task);
    if (!key) continue;
    const calibration = calibrateShards({ task, entry, stats, budgetMs: budgetMsFor(workspace.options, key, budgetSeconds) });
    if (!calibration || calibration.shards.every((shard) => shard.executions === 0)) continue; // shards never run: nothing to compare yet
    const { model } = calibration;
    estimates.push({ task, fixedMs: model.fixedMs, perFileScale: model.perFileScale, modelSource: model.source, shards: calibration.shards });
  }
  return estimates;
}

/** The baseline's applied shards with no shard targets, and why; none without a readable baseline. */
function baselineShardProblems(workspace: Workspace): Array<{ task: string; reason: string }> {
  const path = resolve(workspace.root, workspace.options.baselineFile);
  if (!existsSync(path)) return [];
  try {
    return unshardableAppliedTargets(parseBaseline(readFileSync(path, 'utf8'), workspace.options.baselineFile));
  } catch {
    return []; // `sixty baseline --check` reports an unreadable baseline
  }
}

export function runReport(options: ReportOptions, output: Output): number {
  const renderer = rendererFor(options.format);
  if (!renderer) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `unknown --format "${options.format}"`,
      `use one of: ${REPORT_RENDERERS.map((r) => r.format).join(', ')}`,
    );
  }
  for (const value of options.whatIf ?? []) parseWhatIf(value); // bad input fails before any work
  if (options.out) checkOutDirectory(resolve(options.cwd, options.out));
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since, options.now ?? Date.now());
  const history = readHistory(workspace.historyDir, sinceMs === undefined ? {} : { sinceMs });
  if (history.skippedRecords > 0 && renderer.format !== 'text' && renderer.format !== 'markdown') {
    // the text renderers print this themselves; data formats keep stdout pure
    output.err(`warning: skipped ${history.skippedRecords} corrupt history line(s) in ${workspace.historyDir}`);
  }
  const { analysis, analysisNote } = history.runs.length > 0 ? analyse(workspace, history, options, output) : {};
  const report = buildReport({
    history,
    options: workspace.options,
    ...(options.budget !== undefined ? { budgetOverrideSeconds: options.budget } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(analysis ? { analysis } : {}),
    ...(analysisNote ? { analysisNote } : {}),
    dispatches: readDispatchRecords(workspace.historyDir).records.map(summarizeDispatch),
    shardEstimates: shardEstimates(workspace, history, options.budget),
  });
  const rendered = renderer.render(report);
  if (options.out) {
    const path = resolve(options.cwd, options.out);
    try {
      writeFileSync(path, rendered.endsWith('\n') ? rendered : `${rendered}\n`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SixtyError('INVALID_ARGUMENT', `--out ${options.out}: cannot write the report (${reason})`, 'give --out a file in a directory that exists and that you can write');
    }
    output.out(`wrote ${renderer.format} report to ${path}`);
  } else {
    output.out(rendered);
  }
  // applied shards that nx cannot run: the plugin warns in every nx command, the report says it too
  for (const problem of baselineShardProblems(workspace)) output.err(`warning: ${problem.reason}`);
  if (!workspace.pluginRegistered && report.targets.length === 0 && renderer.format === 'text') {
    output.err('hint: @sixty/nx is not registered in nx.json; run `sixty init` so nx records its runs');
  }
  return EXIT.ok;
}

export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('Per-target timings from recorded runs: executions, cache hits, p50/p90/max, over budget')
    .option('--format <format>', 'text | markdown | json | html | trace (default: text)')
    .option('--json', 'same as --format json')
    .option('--out <file>', 'write the report to a file (html and trace are meant for files)')
    .option('--budget <seconds>', 'override every configured budget', positiveSeconds)
    .option('--since <when>', 'only runs since a duration ago (12h, 7d) or a date (2026-11-01)')
    .option('--targets <list>', 'targets to analyse, e.g. build,test (default: every target recorded)', commaList)
    .option('--parallel <n>', "workers of the schedule prediction (default: nx.json's parallel, else 3)", positiveInteger)
    .option('--what-if <task=parts>', 'predict loop times if a target were split, e.g. lib-c:test=4 (repeatable)', collect)
    .option('--no-graph', 'skip reading the task graph from nx (history statistics only)')
    .option('--whole-graph', 'analyse every task of the targets; a task that never ran gets an estimate, marked est. (default: tasks with executed runs only)')
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  sixty report --since 7d --format markdown >> "$GITHUB_STEP_SUMMARY"',
        '  sixty report --targets build,test --parallel 4 --what-if lib-c:test=4',
        '  sixty report --format html --out report.html',
      ].join('\n'),
    )
    .action(
      (opts: {
        format?: string;
        json?: boolean;
        out?: string;
        budget?: number;
        since?: string;
        targets?: string[];
        parallel?: number;
        whatIf?: string[];
        graph: boolean;
        wholeGraph?: boolean;
        cwd: string;
      }) => {
        context.setExit(
          runReport(
            {
              cwd: opts.cwd,
              format: reportFormat(opts.format, opts.json),
              graph: opts.graph,
              ...(opts.wholeGraph ? { wholeGraph: true } : {}),
              ...(opts.out !== undefined ? { out: opts.out } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
              ...(opts.since !== undefined ? { since: opts.since } : {}),
              ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.whatIf !== undefined ? { whatIf: opts.whatIf } : {}),
            },
            context.output,
          ),
        );
      },
    );
}
