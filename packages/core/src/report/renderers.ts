import { formatDuration } from '../text/format-duration';
import { loopCostText } from './loop-cost-text';
import { ESTIMATE_MARK, lastRunLine, listWithMore, scopeLine } from './analysis-notes';
import { loopVerdict, loopViolationLines } from './loop-violation-text';
import { htmlRenderer } from './render-html';
import { traceRenderer } from './render-trace';
import type { Report, ReportTarget } from './report-model';
import type { ReportRenderer } from './report-renderer';

export type { ReportRenderer } from './report-renderer';

function overBy(target: ReportTarget): string {
  return target.overBudget ? `over by ${formatDuration(target.p90Ms - target.budgetMs)}` : 'ok';
}

function timing(target: ReportTarget, ms: number): string {
  return target.executions === 0 ? '-' : formatDuration(ms);
}

function headline(report: Report): string {
  const over = report.targets.filter((t) => t.overBudget).length;
  const budget = formatDuration(report.budgetMs);
  const runs = `${report.invocations} recorded run${report.invocations === 1 ? '' : 's'}`;
  const verdict =
    over === 0 ? `every target within its budget (default ${budget})` : `${over} of ${report.targets.length} targets over budget (default ${budget})`;
  const targets = `${report.targets.length} target${report.targets.length === 1 ? '' : 's'}`;
  const loops = loopVerdict(report);
  return `${runs}, ${targets}: ${verdict}${loops ? `; ${loops}` : ''}`;
}

function emptyHint(report: Report): string {
  return (
    `No runs recorded yet in ${report.historyDir}/.\n` +
    'Register the plugin with `sixty init`, run any target (e.g. `nx run-many -t build test`), then run `sixty report` again.'
  );
}

/** What the report did not read: corrupt lines, and runs of split projects from before their split. */
function historyNotes(report: Report): string[] {
  const notes: string[] = [];
  if (report.skippedRecords > 0) {
    notes.push(`warning: skipped ${report.skippedRecords} corrupt or unreadable history line${report.skippedRecords === 1 ? '' : 's'} in ${report.historyDir}/`);
  }
  if (report.nestedRuns > 0) {
    notes.push(`note: ${report.nestedRuns} nx run${report.nestedRuns === 1 ? ' was' : 's were'} started from inside a task of another run (a target that runs nx) and count${report.nestedRuns === 1 ? 's' : ''} as part of it`);
  }
  if (report.supersededTasks > 0) {
    notes.push(`note: left out ${report.supersededTasks} task record${report.supersededTasks === 1 ? '' : 's'} of split projects from before their split (${report.historyDir}/decompositions.json)`);
  }
  return notes;
}

const marked = (text: string, estimated: boolean | undefined): string => (estimated ? `${text} ${ESTIMATE_MARK}` : text);

/** The graph part in a few lines: critical path, prediction, loop times, what costs most, what-ifs. */
function analysisLines(report: Report): string[] {
  const lines: string[] = [];
  const scope = scopeLine(report);
  if (scope) lines.push(scope);
  if (report.criticalPath && report.criticalPath.tasks.length > 0) {
    const steps = report.criticalPath.tasks.map((s) => marked(`${s.id} ${formatDuration(s.durationMs)} (${Math.round(s.share * 100)}%)`, s.estimated));
    const estimated = report.criticalPath.tasks.some((s) => s.estimated);
    lines.push(`critical path ${marked(formatDuration(report.criticalPath.durationMs), estimated)}: ${steps.join(' > ')}`);
  }
  if (report.simulation) {
    const idle = report.simulation.workerIdleMs.map(formatDuration).join(', ');
    const estimated = report.analysisScope === 'whole-graph' && report.unmeasuredTasks.length > 0;
    lines.push(
      `predicted wall time of every analysed task at --parallel ${report.simulation.parallel}: ${marked(formatDuration(report.simulation.predictedWallMs), estimated)} (idle per worker: ${idle})`,
    );
  }
  const lastRun = lastRunLine(report);
  if (lastRun) lines.push(lastRun);
  if (report.loopTimes && report.loopTimes.length > 0) {
    const slowest = [...report.loopTimes].sort((a, b) => b.ms - a.ms || a.project.localeCompare(b.project));
    const items = slowest.map((l) => `${l.project} ${marked(formatDuration(l.ms), (l.estimatedTaskCount ?? 0) > 0)}${l.overBudget ? ' OVER' : ''}`);
    lines.push(`loop time of a change, slowest first: ${listWithMore(items)}`);
  }
  if (report.violations && report.violations.length > 0) {
    const items = report.violations.map(
      (v) => `${v.task} (p90 ${marked(formatDuration(v.p90Ms), v.estimated)}) costs ${loopCostText(v)} across ${v.affectedBy} change${v.affectedBy === 1 ? '' : 's'}`,
    );
    lines.push(`over budget, by loop time cost: ${listWithMore(items)}`);
  }
  const inputs = declarationInputsLine(report);
  if (inputs) lines.push(inputs);
  for (const whatIf of report.whatIf) {
    const changed = whatIf.loopTimes.map((l) => `${l.project} ${formatDuration(l.beforeMs)} -> ${formatDuration(l.afterMs)}`);
    lines.push(
      `what if ${whatIf.task} were split in ${whatIf.parts}: critical path ${formatDuration(whatIf.criticalPathBeforeMs)} -> ${formatDuration(whatIf.criticalPathAfterMs)}, ` +
        `predicted wall ${formatDuration(whatIf.predictedWallBeforeMs)} -> ${formatDuration(whatIf.predictedWallAfterMs)}` +
        (changed.length > 0 ? `; loop time ${listWithMore(changed)}` : '; no loop time changes'),
    );
  }
  if (report.analysisNote) lines.push(report.analysisNote);
  return lines;
}

/** The loop time declaration-only build inputs would save, largest first, and the command that plans them. */
export function declarationInputsLine(report: Report): string | undefined {
  const savings = report.declarationInputs ?? [];
  if (savings.length === 0) return undefined;
  const items = savings.map((s) => {
    const builds = `${s.cachedTasks} dependent build${s.cachedTasks === 1 ? '' : 's'} from cache`;
    const state = s.appliedTasks === s.cachedTasks ? 'inputs in place' : s.appliedTasks > 0 ? `${s.appliedTasks} with inputs in place` : '';
    return `${s.project} ${formatDuration(s.beforeMs)} -> ${formatDuration(s.afterMs)} (${builds}${state ? `; ${state}` : ''})`;
  });
  const toPlan = savings.find((s) => s.appliedTasks < s.cachedTasks);
  return `declaration-only build inputs, loop time of an implementation-only change (estimate): ${listWithMore(items)}${toPlan ? `; plan: sixty plan ${toPlan.project}:${toPlan.target} --kind inputs` : ''}`;
}

/** One line on `sixty dispatch` outcomes: how many of each, and the latest. */
/** Per sharded target: its shard cost model, then each shard's estimate beside its measured median (estimates marked est.). */
function shardEstimateLines(report: Report): string[] {
  const lines: string[] = [];
  for (const target of report.shardEstimates ?? []) {
    const model = target.modelSource === 'calibrated' ? 'calibrated on its shards\' runs' : target.modelSource === 'unsharded' ? 'from the unsharded run only' : 'no run to learn from';
    lines.push(`shards of ${target.task}: fixed ${formatDuration(target.fixedMs)} per shard + ${target.perFileScale.toFixed(2)} x files (${model})`);
    for (const shard of target.shards) {
      const measured = shard.measuredMs === undefined ? 'not run yet' : `measured ${formatDuration(shard.measuredMs)} (median of ${shard.executions}, ${shard.measuredMs >= shard.estimatedMs ? '+' : ''}${Math.round(((shard.measuredMs - shard.estimatedMs) / Math.max(1, shard.estimatedMs)) * 100)}%)`;
      lines.push(`  ${shard.task}  ${shard.files} files  est. ${formatDuration(shard.estimatedMs)}  ${measured}`);
    }
  }
  return lines;
}

function dispatchLine(report: Report): string | undefined {
  const dispatches = report.dispatches ?? [];
  if (dispatches.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const d of dispatches) counts.set(d.outcome, (counts.get(d.outcome) ?? 0) + 1);
  const latest = dispatches[dispatches.length - 1]!;
  const summary = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
  return `dispatches: ${summary}; latest ${latest.task} ${latest.outcome} (${latest.branch}): ${latest.reason}`;
}

/**
 * The one next command: plan the measured target that costs the most loop time (or the slowest
 * over budget). Never a task that never ran: `sixty plan` needs an executed run to plan from.
 */
export function nextTask(report: Report): string | undefined {
  return report.violations?.find((v) => !v.estimated)?.task ?? report.targets.find((t) => t.overBudget)?.task;
}

function nextHint(report: Report): string | undefined {
  const task = nextTask(report);
  if (task) return `next: sixty plan ${task}   (plan a decomposition of the target over budget that costs the most)`;
  const loop = report.loopViolations?.[0];
  return loop ? `next: ${loop.planCommand}   (plan the cheapest remedies for the slowest loop over budget)` : undefined;
}

function pad(cells: string[], widths: number[], rightAligned: boolean[]): string {
  return cells
    .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
}

export const textRenderer: ReportRenderer = {
  format: 'text',
  render(report) {
    if (report.targets.length === 0) return emptyHint(report);
    const header = ['TASK', 'RUNS', 'CACHED', 'P50', 'P90', 'MAX', 'BUDGET', 'STATUS'];
    const rows = report.targets.map((t) => [
      t.onCriticalPath ? `${t.task} *` : t.task,
      String(t.executions),
      String(t.cacheHits),
      timing(t, t.p50Ms),
      timing(t, t.p90Ms),
      timing(t, t.maxMs),
      formatDuration(t.budgetMs),
      t.overBudget ? `OVER ${overBy(t).slice(5)}` : t.executions === 0 ? 'cached only' : 'ok',
    ]);
    const rightAligned = [false, true, true, true, true, true, true, false];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const loops = loopViolationLines(report);
    const lines = [headline(report), ...(loops.length > 0 ? ['', ...loops] : []), '', pad(header, widths, rightAligned), ...rows.map((r) => pad(r, widths, rightAligned))];
    if (report.targets.some((t) => t.onCriticalPath)) lines.push('* on the critical path');
    const analysis = analysisLines(report);
    if (analysis.length > 0) lines.push('', ...analysis);
    const shardLines = shardEstimateLines(report);
    if (shardLines.length > 0) lines.push('', ...shardLines);
    const dispatched = dispatchLine(report);
    if (dispatched) lines.push('', dispatched);
    const notes = historyNotes(report);
    if (notes.length > 0) lines.push('', ...notes);
    const next = nextHint(report);
    if (next) lines.push('', next);
    return lines.join('\n');
  },
};

export const markdownRenderer: ReportRenderer = {
  format: 'markdown',
  render(report) {
    const lines = ['## sixty: build step budget', ''];
    if (report.targets.length === 0) return [...lines, emptyHint(report)].join('\n');
    lines.push(headline(report), '');
    const loops = loopViolationLines(report);
    if (loops.length > 0) lines.push(loops[0]!, '', ...loops.slice(1).map((line) => `- ${line.trim()}`), '');
    lines.push('| Task | Runs | Cached | p50 | p90 | max | Budget | Status |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const t of report.targets) {
      const status = t.overBudget ? `:red_circle: ${overBy(t)}` : t.executions === 0 ? 'cached only' : ':white_check_mark: ok';
      lines.push(
        `| \`${t.task}\`${t.onCriticalPath ? ' :small_orange_diamond:' : ''} | ${t.executions} | ${t.cacheHits} | ${timing(t, t.p50Ms)} | ${timing(t, t.p90Ms)} | ${timing(t, t.maxMs)} | ${formatDuration(t.budgetMs)} | ${status} |`,
      );
    }
    if (report.targets.some((t) => t.onCriticalPath)) lines.push('', ':small_orange_diamond: on the critical path');
    const analysis = analysisLines(report);
    if (analysis.length > 0) lines.push('', ...analysis.map((line) => `- ${line}`));
    const shardLines = shardEstimateLines(report);
    if (shardLines.length > 0) lines.push('', ...shardLines.map((line) => (line.startsWith('  ') ? `  - ${line.trim()}` : `- ${line}`)));
    const dispatched = dispatchLine(report);
    if (dispatched) lines.push('', `- ${dispatched}`);
    const notes = historyNotes(report);
    if (notes.length > 0) lines.push('', ...notes.map((note) => `> ${note}`));
    const task = nextTask(report);
    const loop = report.loopViolations?.[0];
    if (task) lines.push('', `Next: \`sixty plan ${task}\``);
    else if (loop) lines.push('', `Next: \`${loop.planCommand}\``);
    return lines.join('\n');
  },
};

export const jsonRenderer: ReportRenderer = {
  format: 'json',
  render(report) {
    // the last run's task list is for the html and trace timelines; JSON keeps its id only
    const { lastRun, ...rest } = report;
    return JSON.stringify({ ...rest, lastRunId: lastRun?.id ?? null }, null, 2);
  },
};

export const REPORT_RENDERERS: readonly ReportRenderer[] = [textRenderer, markdownRenderer, jsonRenderer, htmlRenderer, traceRenderer];

export function rendererFor(format: string): ReportRenderer | undefined {
  return REPORT_RENDERERS.find((renderer) => renderer.format === format);
}
