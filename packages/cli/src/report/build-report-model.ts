import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  analyzeGraph,
  budgetMsFor,
  buildReport,
  calibrateShards,
  parseBaseline,
  splitBaselineKey,
  type Baseline,
  type ReportShardEstimates,
  computeTargetStats,
  inputsRemedies,
  isSixtyError,
  loopBudgetMsOf,
  narrowTaskGraph,
  parseSince,
  predictLastRun,
  preferShardedTargets,
  readDispatchRecords,
  readHistory,
  SHARDED_SUFFIX,
  selectedRunTimes,
  SixtyError,
  summarizeDispatch,
  topLevelRuns,
  type HistoryReadResult,
  type Report,
  type ReportAnalysis,
  type TargetStats,
} from '@sixty/core';
import { readNxGraphs } from '../nx/task-graph';
import { declarationNarrowingsOf, declarationSavingsForReport } from '../planning/declaration-inputs';
import { loopPlanCommand } from '../measured-task-graph';
import type { Workspace } from '../workspace';

/** Nx's own default worker count when nx.json sets none. */
const NX_DEFAULT_PARALLEL = 3;

/** What the report covers: the options of `sixty report` that shape the model, not its output. */
export interface ReportModelOptions {
  /** --budget: overrides every configured budget (seconds). */
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
  now?: number;
}

/** Where the model's side remarks go: warnings always, progress only when someone watches. */
export interface ReportModelNotices {
  warn(line: string): void;
  /** Also warn of corrupt history lines (the text and markdown renderers print them themselves). */
  warnSkippedRecords: boolean;
  progress?: (line: string) => void;
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
  stats: readonly TargetStats[],
  options: ReportModelOptions,
  notices: ReportModelNotices,
): { analysis?: ReportAnalysis; analysisNote?: string } {
  if (options.graph === false) return { analysisNote: 'graph analysis skipped (--no-graph)' };
  const targets = options.targets ?? [...new Set(stats.map((s) => s.target))].sort();
  if (targets.length === 0) return { analysisNote: 'no targets to analyse yet' };
  notices.progress?.(`reading the task graph of ${targets.join(', ')} from nx...`);
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
    const budgetOf = (task: { project: string; target: string; configuration?: string }) => budgetMsFor(workspace.options, task, options.budget);
    const narrowings = declarationNarrowingsOf(workspace.root, targets, graphs.projectDependencies);
    let selectedMs: Map<string, number> | undefined;
    const analysis = analyzeGraph({
      taskGraph: narrowed.taskGraph,
      projectDependencies: graphs.projectDependencies,
      p90ByTask,
      parallel,
      budgetMsFor: budgetOf,
      loopBudgetMs: loopBudgetMsOf(workspace.options, options.budget),
      loopRemedies: {
        budgetMsFor: budgetOf,
        providers: [inputsRemedies(narrowings)],
        // selected runs are read only when a loop over budget needs them (one more history read)
        selectedMsByTask: () => (selectedMs ??= selectedRunTimes(readHistory(workspace.historyDir, { keepSelections: true }).runs)),
        planCommand: (project) => loopPlanCommand(project, { ...(options.targets ? { targets } : {}), ...(options.parallel !== undefined ? { parallel } : {}), ...(options.budget !== undefined ? { budget: options.budget } : {}) }),
      },
      whatIf,
    });
    const declarationInputs = declarationSavingsForReport(workspace.root, targets, { taskGraph: narrowed.taskGraph, projectDependencies: graphs.projectDependencies, p90ByTask, parallel }, narrowings);
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
      notices.warn(`warning: ${error.message}`);
      return { analysisNote: `no graph analysis: ${error.message}` };
    }
    throw error;
  }
}

/** Each sharded target of the baseline: the shard cost model learned from the runs, each shard's estimate and measured time. */
function shardEstimates(workspace: Workspace, stats: readonly TargetStats[], budgetSeconds: number | undefined): ReportShardEstimates[] {
  const path = resolve(workspace.root, workspace.options.baselineFile);
  let baseline: Baseline;
  try {
    if (!existsSync(path)) return [];
    baseline = parseBaseline(readFileSync(path, 'utf8'), workspace.options.baselineFile);
  } catch {
    return []; // `sixty baseline --check` reports an unreadable baseline
  }
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

/**
 * The report model of a workspace, built in this process: the history read once, each target's
 * statistics computed once and shared by the graph analysis and the rows, the dispatch logs
 * summarized. `sixty report` renders it; `sixty dispatch` reads its "before" from it.
 */
export function buildReportModel(workspace: Workspace, options: ReportModelOptions, notices: ReportModelNotices): Report {
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since, options.now ?? Date.now());
  const history = readHistory(workspace.historyDir, sinceMs === undefined ? {} : { sinceMs });
  if (history.skippedRecords > 0 && notices.warnSkippedRecords) {
    notices.warn(`warning: skipped ${history.skippedRecords} corrupt history line(s) in ${workspace.historyDir}`);
  }
  const stats = computeTargetStats(history.runs);
  const { analysis, analysisNote } = history.runs.length > 0 ? analyse(workspace, history, stats, options, notices) : {};
  return buildReport({
    history,
    stats,
    options: workspace.options,
    ...(options.budget !== undefined ? { budgetOverrideSeconds: options.budget } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
    ...(analysis ? { analysis } : {}),
    ...(analysisNote ? { analysisNote } : {}),
    dispatches: readDispatchRecords(workspace.historyDir).records.map(summarizeDispatch),
    shardEstimates: shardEstimates(workspace, stats, options.budget),
  });
}
