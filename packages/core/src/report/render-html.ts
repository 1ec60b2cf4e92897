import { ESTIMATE_MARK, scopeLine } from './analysis-notes';
import { formatDuration } from '../text/format-duration';
import { loopCostText } from './loop-cost-text';
import { loopTimeText, remedyText, SHOWN_LOOP_VIOLATIONS } from './loop-violation-text';
import type { ReportRenderer } from './report-renderer';
import type { Report, ReportTarget } from './report-model';
import { timelineOfRun, type RunTimeline, type TimelineTask } from './run-timeline';
import { plural } from '../text/plural';

/*
 * One self-contained HTML file: inline CSS and SVG, no script, no network. Tooltips are SVG
 * <title> elements and title attributes, which every browser shows without JS.
 * Stable hooks for tests and scripts: svg#gantt > rect.bar[data-task] (plus .critical),
 * table#over-budget tbody tr, table#loop-violations tbody tr[data-project], #loop-times .loop-bar[data-project],
 * svg.sparkline, ol#critical-path li.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values both: task names, commands and paths come from users. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

const esc = escapeHtml;
/** SVG coordinates with one decimal: small files, no sub-pixel noise. */
const px = (value: number): string => String(Math.round(value * 10) / 10);
const percent = (value: number): string => `${Math.round(Math.min(Math.max(value, 0), 1) * 1000) / 10}%`;

/** Cap long lists so a 1,000-project workspace still gives a page a person can read. */
const MAX_LOOP_BARS = 40;
const MAX_SPARKLINES = 30;

// ---------------------------------------------------------------- time axis

const TICK_STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
  900_000, 1_800_000, 3_600_000,
];

/** A round step that cuts `spanMs` into at most about `ticks` pieces. */
function tickStep(spanMs: number, ticks: number): number {
  const raw = spanMs / ticks;
  return TICK_STEPS_MS.find((step) => step >= raw) ?? Math.ceil(raw / 3_600_000) * 3_600_000;
}

/** Axis labels: 0, 500ms, 2.5s, 1m, 1m 30s. */
function formatTick(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds === 0 ? `${minutes}m` : `${minutes}m ${seconds}s`;
}

// ---------------------------------------------------------------- header

/** A figure that rests on a never-run task's estimate carries the mark the text report uses. */
function withEstimateMark(text: string, estimated: boolean | undefined): string {
  return estimated ? `${text} ${ESTIMATE_MARK}` : text;
}

function wholeGraphEstimated(report: Report): boolean {
  return report.analysisScope === 'whole-graph' && report.unmeasuredTasks.length > 0;
}

function verdictOf(report: Report): { over: ReportTarget[]; text: string; tone: 'over' | 'ok' | 'empty' } {
  const over = report.targets.filter((t) => t.overBudget);
  if (report.targets.length === 0) return { over, text: 'No runs recorded yet', tone: 'empty' };
  // a loop over budget is a violation too: never "all within budget" while a change waits too long
  const loopsOver = report.loopViolations?.length ?? 0;
  const loops = (report.loopTimes ?? []).filter((loop) => loop.taskCount > 0).length;
  const loopText = loopsOver > 0 ? `${loopsOver} of ${plural(loops, 'loop')} over the loop budget` : '';
  if (over.length === 0 && loopsOver === 0) return { over, text: `All ${plural(report.targets.length, 'target')} within budget`, tone: 'ok' };
  if (over.length === 0) return { over, text: `${loopText}; every target within its budget`, tone: 'over' };
  const targetText = `${over.length} of ${plural(report.targets.length, 'target')} over budget`;
  return { over, text: loopsOver > 0 ? `${targetText}, ${loopText}` : targetText, tone: 'over' };
}

function fact(label: string, value: string, note = ''): string {
  return `<div class="fact"><dt>${esc(label)}</dt><dd>${esc(value)}${note ? ` <span class="muted">${esc(note)}</span>` : ''}</dd></div>`;
}

function header(report: Report, timeline: RunTimeline | null): string {
  const verdict = verdictOf(report);
  const facts: string[] = [];
  const worst = verdict.over[0];
  if (worst) facts.push(fact('Slowest over budget', worst.task, `p90 ${formatDuration(worst.p90Ms)}, budget ${formatDuration(worst.budgetMs)}`));
  if (report.lastRun && timeline) {
    facts.push(fact('Last run', formatDuration(timeline.wallMs), `${plural(report.lastRun.tasks.length, 'task')} on ${plural(timeline.rows, 'worker')}`));
  }
  const lastPrediction = report.lastRunPrediction;
  if (lastPrediction && lastPrediction.predictedWallMs !== null) {
    facts.push(fact('Predicted for the last run', formatDuration(lastPrediction.predictedWallMs), `same ${plural(lastPrediction.taskCount, 'task')}, measured ${formatDuration(lastPrediction.measuredWallMs)} first to last task`));
  }
  if (report.simulation) {
    facts.push(fact(`Predicted wall, every analysed task`, withEstimateMark(formatDuration(report.simulation.predictedWallMs), wholeGraphEstimated(report)), `--parallel ${report.simulation.parallel}`));
  }
  if (report.criticalPath) {
    facts.push(fact('Critical path', withEstimateMark(formatDuration(report.criticalPath.durationMs), report.criticalPath.tasks.some((step) => step.estimated)), plural(report.criticalPath.tasks.length, 'task')));
  }
  const subline = [
    `default budget ${formatDuration(report.budgetMs)}`,
    `loop budget ${formatDuration(report.loopBudgetMs)}`,
    plural(report.invocations, 'recorded run'),
    ...(report.since ? [`since ${report.since}`] : []),
    `history in ${report.historyDir}/`,
  ].join(' · ');
  return `<header class="verdict ${verdict.tone}">
<p class="eyebrow">sixty · build step budget</p>
<h1 id="verdict">${esc(verdict.text)}</h1>
<p class="subline">${esc(subline)}</p>
${facts.length > 0 ? `<dl class="facts">${facts.join('')}</dl>` : ''}
</header>`;
}

// ---------------------------------------------------------------- gantt

const GANTT = { width: 1100, labelWidth: 86, rightPad: 18, top: 22, rowHeight: 32, barHeight: 22, axisHeight: 26, charWidth: 6.9 };

function kindOf(task: TimelineTask): string {
  if (task.cache === 'local') return 'k-local-cache';
  if (task.cache === 'remote') return 'k-remote-cache';
  if (task.status === 'failure') return 'k-failed';
  if (task.status === 'success') return 'k-executed';
  return 'k-skipped';
}

function describeTask(task: TimelineTask, step: number, steps: number): string {
  const how = task.cache === 'none' ? task.status : `${task.status} (${task.cache} cache)`;
  const lines = [
    task.id,
    `${how}: ${formatDuration(task.endMs - task.startMs)}`,
    `worker ${task.row + 1}, from ${formatDuration(task.startMs)} to ${formatDuration(task.endMs)}`,
  ];
  if (step > 0) lines.push(`critical path: step ${step} of ${steps}`);
  return lines.join('\n');
}

/** Fit a label into `width` px, cutting with an ellipsis; empty when not even a few characters fit. */
function fitLabel(text: string, width: number): string {
  const chars = Math.floor((width - 8) / GANTT.charWidth);
  if (chars >= text.length) return text;
  return chars >= 4 ? `${text.slice(0, chars - 1)}…` : '';
}

function gantt(report: Report, timeline: RunTimeline): string {
  const { width, labelWidth, rightPad, top, rowHeight, barHeight, axisHeight } = GANTT;
  const plotWidth = width - labelWidth - rightPad;
  const height = top + timeline.rows * rowHeight + axisHeight;
  const span = Math.max(timeline.wallMs, 1);
  const x = (ms: number): number => labelWidth + (ms / span) * plotWidth;
  const rowY = (row: number): number => top + row * rowHeight;
  const parts: string[] = [];

  for (let row = 0; row < timeline.rows; row++) {
    parts.push(
      `<rect class="lane${row % 2 ? ' odd' : ''}" x="0" y="${rowY(row)}" width="${width}" height="${rowHeight}"/>`,
      `<text class="lane-label" x="10" y="${px(rowY(row) + rowHeight / 2 + 4)}">worker ${row + 1}</text>`,
    );
  }
  const step = tickStep(span, 10);
  const axisY = top + timeline.rows * rowHeight;
  // bounded by count too: a step too small to change a huge span must not loop forever
  for (let ms = 0, ticks = 0; ms <= span && ticks <= 50; ms += step, ticks++) {
    const tx = px(x(ms));
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${top}" y2="${axisY}"/>`,
      `<text class="tick" x="${tx}" y="${axisY + 17}" text-anchor="${ms === 0 ? 'start' : 'middle'}">${formatTick(ms)}</text>`,
    );
  }
  parts.push(`<line class="axis" x1="${labelWidth}" x2="${width - rightPad}" y1="${axisY}" y2="${axisY}"/>`);
  // drawn over the bars: what ran past the budget is the point of the line
  const budgetMarks: string[] = [];
  if (report.budgetMs > 0 && report.budgetMs < span) {
    const bx = px(x(report.budgetMs));
    budgetMarks.push(
      `<line class="budget-line" x1="${bx}" x2="${bx}" y1="${top - 4}" y2="${axisY}"/>`,
      `<text class="budget-label" x="${bx}" y="${top - 8}" text-anchor="middle">budget ${esc(formatDuration(report.budgetMs))}</text>`,
    );
  }

  const critical = timeline.criticalPath;
  const stepOf = new Map(critical.map((id, i) => [id, i + 1]));
  const bars: string[] = [];
  const labels: string[] = [];
  const links: string[] = [];
  let previous: { x: number; y: number } | null = null;
  // critical bars last, so their outline is drawn over their neighbours
  const ordered = [...timeline.tasks.filter((t) => !t.critical), ...timeline.tasks.filter((t) => t.critical)];
  for (const task of ordered) {
    const step = task.critical ? (stepOf.get(task.id) ?? 0) : 0;
    const bx = x(task.startMs);
    const bw = Math.max(x(task.endMs) - bx, 2); // an instant cache hit still shows
    const by = rowY(task.row) + (rowHeight - barHeight) / 2;
    const classes = `bar${task.critical ? ' critical' : ''} ${kindOf(task)}`;
    bars.push(
      `<rect class="${classes}" data-task="${esc(task.id)}" data-status="${esc(task.status)}" data-cache="${task.cache}" data-row="${task.row}" x="${px(bx)}" y="${px(by)}" width="${px(bw)}" height="${barHeight}" rx="3"><title>${esc(describeTask(task, step, critical.length))}</title></rect>`,
    );
    const text = fitLabel(step > 0 ? `${step}. ${task.id}` : task.id, bw);
    if (text) labels.push(`<text class="bar-label${task.critical ? ' critical' : ''}" x="${px(bx + 5)}" y="${px(by + barHeight / 2 + 4)}">${esc(text)}</text>`);
  }
  const criticalTasks = new Map(timeline.tasks.filter((t) => t.critical).map((t) => [t.id, t]));
  for (const id of critical) {
    const task = criticalTasks.get(id)!;
    const here = { x: x(task.startMs), y: rowY(task.row) + rowHeight / 2 };
    if (previous && previous.y !== here.y) {
      links.push(`<path class="critical-link" d="M${px(previous.x)} ${px(previous.y)} L${px(here.x)} ${px(here.y)}"/>`);
    }
    previous = { x: x(task.endMs), y: here.y };
  }
  const label = `Timeline of the last run: ${plural(timeline.tasks.length, 'task')} on ${plural(timeline.rows, 'worker')}, ${formatDuration(timeline.wallMs)} wall`;
  return `<svg id="gantt"${critical.length > 0 ? ' class="has-critical"' : ''} viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(label)}">
${parts.join('\n')}
<g class="bars">
${bars.join('\n')}
</g>
<g class="links">${links.join('')}</g>
${budgetMarks.join('\n')}
<g class="labels">
${labels.join('\n')}
</g>
</svg>`;
}

function legend(hasCritical: boolean): string {
  const items = [
    ['k-executed', 'executed'],
    ['k-failed', 'failed'],
    ['k-local-cache', 'local cache'],
    ['k-remote-cache', 'remote cache'],
    ['k-skipped', 'skipped / stopped'],
    ...(hasCritical ? [['critical', 'critical path of this run']] : []),
  ];
  return `<ul class="legend">${items.map(([kind, text]) => `<li><span class="swatch ${kind}"></span>${text}</li>`).join('')}</ul>`;
}

function timelineSection(report: Report, timeline: RunTimeline | null): string {
  const run = report.lastRun;
  if (!run || !timeline || timeline.tasks.length === 0) {
    return `<section id="timeline"><h2>Last run</h2><p class="empty">No recorded run with tasks yet: run any target with the plugin registered (e.g. <code>nx run-many -t build test</code>).</p></section>`;
  }
  const when = new Date(run.startMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  const chain = timeline.criticalPath;
  const chainNote =
    chain.length > 0
      ? `The outlined bars are the critical path of this run: ${plural(chain.length, 'task')} that ran one after another until the end.`
      : '';
  return `<section id="timeline">
<h2>Last run <span class="muted">${esc(formatDuration(timeline.wallMs))} wall · <code>${esc(run.command)}</code> · ${esc(when)}</span></h2>
<p class="hint">Each row is an nx worker. ${esc(chainNote)} Hover a bar for its times.</p>
<div class="chart">
${gantt(report, timeline)}
</div>
${legend(chain.length > 0)}
</section>`;
}

// ---------------------------------------------------------------- over-budget table

/** A bar of p90 against the budget mark, on a shared scale. */
function meter(valueMs: number, budgetMs: number, scaleMs: number): string {
  return `<span class="meter" aria-hidden="true"><span class="fill" style="width:${percent(valueMs / scaleMs)}"></span><span class="mark" style="left:${percent(budgetMs / scaleMs)}"></span></span>`;
}

function overBudgetSection(report: Report): string {
  const over = report.targets.filter((t) => t.overBudget);
  if (report.targets.length === 0) return '';
  if (over.length === 0) {
    return `<section id="over-budget-section"><h2>Over budget</h2><p class="all-good">Every target's p90 is within its budget.</p></section>`;
  }
  const violations = new Map((report.violations ?? []).map((v) => [v.task, v]));
  const withLoopCost = violations.size > 0;
  const withPath = report.criticalPath !== null;
  // ranked by the loop time a violation costs when the graph was analysed, else by p90
  const rows = withLoopCost
    ? [...over].sort((a, b) => (violations.get(b.task)?.loopCostMs ?? -1) - (violations.get(a.task)?.loopCostMs ?? -1))
    : over;
  const scale = over.reduce((max, t) => Math.max(max, t.p90Ms, t.budgetMs), 1);
  const body = rows
    .map((t) => {
      const violation = violations.get(t.task);
      const loopCost = withLoopCost
        ? `<td class="num">${violation ? `${esc(loopCostText(violation))} <span class="muted">${esc(plural(violation.affectedBy, 'project'))}</span>` : '-'}</td>`
        : '';
      return `<tr data-task="${esc(t.task)}"><td><code>${esc(t.task)}</code></td><td class="num">${esc(formatDuration(t.p90Ms))}</td><td class="num">${esc(formatDuration(t.budgetMs))}</td><td class="num over-by">+${esc(formatDuration(t.p90Ms - t.budgetMs))} <span class="muted">×${(t.p90Ms / t.budgetMs).toFixed(1)}</span></td><td class="meter-cell">${meter(t.p90Ms, t.budgetMs, scale)}</td>${withPath ? `<td class="center">${t.onCriticalPath ? '<span class="yes">yes</span>' : '<span class="muted">no</span>'}</td>` : ''}${loopCost}</tr>`;
    })
    .join('\n');
  return `<section id="over-budget-section">
<h2>Over budget <span class="muted">${esc(String(over.length))}</span></h2>
<p class="hint">p90 of executed runs against each target's budget${withLoopCost ? ', ranked by the loop time the target costs across every project a change can start in' : ''}. Next: <code>sixty plan ${esc(rows[0]!.task)}</code>.</p>
<table id="over-budget">
<thead><tr><th>Task</th><th class="num">p90</th><th class="num">Budget</th><th class="num">Over by</th><th>p90 vs budget</th>${withPath ? '<th class="center">On critical path</th>' : ''}${withLoopCost ? '<th class="num">Loop cost</th>' : ''}</tr></thead>
<tbody>
${body}
</tbody>
</table>
</section>`;
}

// ---------------------------------------------------------------- loop times

/** The loops over the loop budget, first on the page: each with its largest contributor, its remedies by predicted saving and the command that plans them. */
function loopViolationsSection(report: Report): string {
  const violations = report.loopViolations ?? [];
  if (violations.length === 0) return '';
  const shown = violations.slice(0, SHOWN_LOOP_VIOLATIONS);
  const rows = shown
    .map((v) => {
      const remedies = v.remedies.length > 0 ? `<ol class="remedies">${v.remedies.map((r) => `<li>${esc(remedyText(r))} <span class="muted">est. · cost ${r.cost} · <code>${esc(r.command)}</code></span></li>`).join('')}</ol>` : '<span class="muted">no remedy simulated</span>';
      return `<tr data-project="${esc(v.project)}"><td><code>${esc(v.project)}</code></td><td class="num over-by">${esc(loopTimeText(v))}</td><td class="num">${esc(plural(v.taskCount, 'task'))}</td><td><code>${esc(v.largestTask.id)}</code> <span class="muted">${esc(formatDuration(v.largestTask.durationMs))}</span></td><td>${remedies}</td><td><code>${esc(v.planCommand)}</code></td></tr>`;
    })
    .join('\n');
  const more = violations.length > shown.length ? `<p class="hint">…and ${violations.length - shown.length} more loops over budget.</p>` : '';
  return `<section id="loop-violations-section">
<h2>Loops over budget <span class="muted">${esc(String(violations.length))}</span></h2>
<p class="hint">The wall time of a change to the project (every task it affects, at --parallel ${violations[0]!.parallel}) against the loop budget (${esc(formatDuration(report.loopBudgetMs))}). Savings are estimates of the same simulation, each remedy alone.</p>
<table id="loop-violations">
<thead><tr><th>Project</th><th class="num">Loop</th><th class="num">Tasks</th><th>Largest contributor</th><th>Remedies by predicted saving</th><th>Plan</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${more}
</section>`;
}

function loopTimesSection(report: Report): string {
  if (!report.loopTimes) return '';
  const loops = [...report.loopTimes].sort((a, b) => b.ms - a.ms || a.project.localeCompare(b.project));
  const shown = loops.slice(0, MAX_LOOP_BARS);
  const over = loops.filter((l) => l.overBudget).length;
  const scale = Math.max(report.loopBudgetMs, ...shown.map((l) => l.ms), 1) * 1.04;
  const budgetAt = percent(report.loopBudgetMs / scale);
  const rows = shown
    .map(
      (loop) =>
        `<div class="hbar-row"><span class="name" title="${esc(loop.project)}">${esc(loop.project)}</span><span class="track"><span class="loop-bar${loop.overBudget ? ' over' : ''}" data-project="${esc(loop.project)}" data-ms="${Math.round(loop.ms)}" style="width:${percent(loop.ms / scale)}" title="${esc(`${loop.project}: ${formatDuration(loop.ms)}, ${plural(loop.taskCount, 'task')}`)}"></span><span class="budget-mark" style="left:${budgetAt}"></span></span><span class="value${loop.overBudget ? ' over' : ''}">${esc(withEstimateMark(formatDuration(loop.ms), (loop.estimatedTaskCount ?? 0) > 0))}</span></div>`,
    )
    .join('\n');
  const more = loops.length > shown.length ? `<p class="hint">…and ${loops.length - shown.length} more projects with shorter loops.</p>` : '';
  return `<section id="loop-times">
<h2>Loop time per project <span class="muted">${over} of ${plural(loops.length, 'project')} over budget</span></h2>
<p class="hint">Predicted wall time of what <code>nx affected</code> runs after a change in the project, against the loop budget line (${esc(formatDuration(report.loopBudgetMs))}).</p>
<div class="hbars">
<div class="hbar-row scale"><span class="name"></span><span class="track"><span class="budget-tag" style="left:${budgetAt}">loop budget ${esc(formatDuration(report.loopBudgetMs))}</span></span><span class="value"></span></div>
${rows}
</div>
${more}
</section>`;
}

// ---------------------------------------------------------------- trends

const SPARK = { width: 220, height: 52, pad: 5 };

function sparkline(target: ReportTarget): string {
  const { width, height, pad } = SPARK;
  const values = target.recentMs;
  // not from zero: the trend (and where it crosses the budget) is what the line is for
  const high = Math.max(target.budgetMs, ...values) * 1.06;
  const low = Math.min(target.budgetMs, ...values) * 0.85;
  const x = (i: number): number => (values.length === 1 ? width / 2 : pad + (i / (values.length - 1)) * (width - 2 * pad));
  const y = (ms: number): number => height - pad - ((ms - low) / Math.max(high - low, 1)) * (height - 2 * pad);
  const points = values.map((ms, i) => `${px(x(i))},${px(y(ms))}`).join(' ');
  const budgetY = px(y(target.budgetMs));
  const dots = values
    .map((ms, i) => (ms > target.budgetMs ? `<circle class="dot over" cx="${px(x(i))}" cy="${px(y(ms))}" r="2"/>` : ''))
    .join('');
  const last = values.length - 1;
  const lastDot = last >= 0 ? `<circle class="dot last" cx="${px(x(last))}" cy="${px(y(values[last]!))}" r="3.2"/>` : '';
  const title = `${target.task}: last ${plural(values.length, 'executed run')}, ${values.map((ms) => formatDuration(ms)).join(', ')}; budget ${formatDuration(target.budgetMs)}`;
  return `<svg class="sparkline" data-task="${esc(target.task)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}"><title>${esc(title)}</title><rect class="over-zone" x="0" y="0" width="${width}" height="${budgetY}"/><line class="budget-line" x1="0" x2="${width}" y1="${budgetY}" y2="${budgetY}"/>${values.length > 1 ? `<polyline class="trend-line" points="${points}"/>` : ''}${dots}${lastDot}</svg>`;
}

function trendsSection(report: Report): string {
  const slow = report.targets.filter((t) => t.overBudget && t.recentMs.length > 0);
  if (slow.length === 0) return '';
  const shown = slow.slice(0, MAX_SPARKLINES);
  const cards = shown
    .map((t) => {
      const min = Math.min(...t.recentMs);
      const max = Math.max(...t.recentMs);
      return `<figure class="trend"><figcaption><code title="${esc(t.task)}">${esc(t.task)}</code><span class="p90">p90 ${esc(formatDuration(t.p90Ms))}</span></figcaption>${sparkline(t)}<p class="range muted">${esc(`${plural(t.recentMs.length, 'run')}: ${formatDuration(min)} – ${formatDuration(max)} · budget ${formatDuration(t.budgetMs)}`)}</p></figure>`;
    })
    .join('\n');
  const more = slow.length > shown.length ? `<p class="hint">…and ${slow.length - shown.length} more slow targets.</p>` : '';
  return `<section id="trends">
<h2>Trend of slow targets <span class="muted">last executed runs, oldest to newest; dashed line: budget</span></h2>
<div class="trend-grid">
${cards}
</div>
${more}
</section>`;
}

// ---------------------------------------------------------------- schedule and critical path

function scheduleSection(report: Report, timeline: RunTimeline | null): string {
  if (!report.simulation || !report.criticalPath) {
    return `<section id="schedule"><h2>Schedule and critical path</h2><p class="empty">${esc(report.analysisNote ?? 'No graph analysis: the task graph could not be read from nx.')}</p></section>`;
  }
  const sim = report.simulation;
  const path = report.criticalPath;
  const idle = sim.workerIdleMs.map((ms, i) => `worker ${i + 1}: ${formatDuration(ms)}`).join(', ');
  const facts = [
    fact('Predicted wall, every analysed task', withEstimateMark(formatDuration(sim.predictedWallMs), wholeGraphEstimated(report)), `--parallel ${sim.parallel}`),
    fact('Critical path', withEstimateMark(formatDuration(path.durationMs), path.tasks.some((step) => step.estimated)), `${percent(path.durationMs / Math.max(sim.predictedWallMs, 1))} of the predicted wall`),
  ];
  const steps = path.tasks
    .map(
      (step) =>
        `<li data-task="${esc(step.id)}"${step.estimated ? ' class="estimated"' : ''}><code>${esc(step.id)}</code><span class="share-track"><span class="share" style="width:${percent(step.share)}"></span></span><span class="num">${esc(withEstimateMark(formatDuration(step.durationMs), step.estimated))}</span><span class="num muted">${percent(step.share)}</span></li>`,
    )
    .join('\n');
  const scope = scopeLine(report);
  const notes = [
    lastRunComparison(report, timeline),
    scope ? `<p class="hint" id="analysis-scope">${esc(scope)}.</p>` : '',
    idle ? `<p class="hint">Idle per worker: ${esc(idle)}.</p>` : '',
    sim.ranAlone.length > 0
      ? `<p class="hint">Ran alone (every other worker idle, parallelism lost): ${sim.ranAlone.map((id) => `<code>${esc(id)}</code>`).join(', ')}.</p>`
      : '',
    report.whatIf.length > 0 ? whatIfTable(report) : '',
  ];
  return `<section id="schedule">
<h2>Schedule prediction and critical path</h2>
<dl class="facts">${facts.join('')}</dl>
${notes.join('\n')}
<h3>Critical path <span class="muted">${esc(plural(path.tasks.length, 'task'))}, ${esc(formatDuration(path.durationMs))}: the chain that bounds the wall time</span></h3>
<ol id="critical-path">
${steps}
</ol>
</section>`;
}

/** The model checked where it can be: the prediction on the last run's own tasks beside that run's measure. */
function lastRunComparison(report: Report, timeline: RunTimeline | null): string {
  const last = report.lastRunPrediction;
  if (!last) return '';
  if (last.predictedWallMs === null) {
    return `<p class="hint" id="last-run-comparison">Last run measured ${esc(formatDuration(last.measuredWallMs))}; ${esc(last.note ?? 'no prediction')}.</p>`;
  }
  const error = last.measuredWallMs > 0 ? ` (${last.predictedWallMs >= last.measuredWallMs ? '+' : '−'}${Math.round((Math.abs(last.predictedWallMs - last.measuredWallMs) / last.measuredWallMs) * 1000) / 10}%)` : '';
  const workers = timeline ? `, ${plural(timeline.rows, 'worker')} used` : '';
  return `<p class="hint" id="last-run-comparison">Same graph, prediction against measure: the last run (<code>${esc(last.command)}</code>, ${esc(plural(last.taskCount, 'task'))}${esc(workers)}) measured ${esc(formatDuration(last.measuredWallMs))} from its first task's start to its last task's end; the model predicts ${esc(formatDuration(last.predictedWallMs))}${esc(error)} for those tasks at --parallel ${last.parallel}, each executed task at its p90, cache hits as restored. The predicted wall above covers every analysed task, a different graph.</p>`;
}

function whatIfTable(report: Report): string {
  const rows = report.whatIf
    .map(
      (w) =>
        `<tr><td><code>${esc(w.task)}</code> in ${w.parts}</td><td class="num">${esc(formatDuration(w.criticalPathBeforeMs))} → ${esc(formatDuration(w.criticalPathAfterMs))}</td><td class="num">${esc(formatDuration(w.predictedWallBeforeMs))} → ${esc(formatDuration(w.predictedWallAfterMs))}</td><td class="num">${w.loopTimes.length}</td></tr>`,
    )
    .join('\n');
  return `<h3>What if</h3>
<table id="what-if"><thead><tr><th>Split</th><th class="num">Critical path</th><th class="num">Predicted wall</th><th class="num">Loops changed</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}

// ---------------------------------------------------------------- all targets

function allTargetsSection(report: Report): string {
  if (report.targets.length === 0) return '';
  const timing = (t: ReportTarget, ms: number): string => (t.executions === 0 ? '-' : formatDuration(ms));
  const rows = report.targets
    .map(
      (t) =>
        `<tr class="${t.overBudget ? 'over' : ''}"><td><code>${esc(t.task)}</code></td><td class="num">${t.executions}</td><td class="num">${t.cacheHits}</td><td class="num">${esc(timing(t, t.p50Ms))}</td><td class="num">${esc(timing(t, t.p90Ms))}</td><td class="num">${esc(timing(t, t.maxMs))}</td><td class="num">${esc(formatDuration(t.budgetMs))}</td><td>${t.overBudget ? '<span class="bad">over</span>' : t.executions === 0 ? '<span class="muted">cached only</span>' : 'ok'}</td></tr>`,
    )
    .join('\n');
  return `<section id="targets">
<details>
<summary>All ${esc(plural(report.targets.length, 'target'))}</summary>
<table id="all-targets">
<thead><tr><th>Task</th><th class="num">Runs</th><th class="num">Cached</th><th class="num">p50</th><th class="num">p90</th><th class="num">max</th><th class="num">Budget</th><th>Status</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</details>
</section>`;
}

function footer(report: Report): string {
  const skipped =
    report.skippedRecords > 0
      ? `<p class="warning">Skipped ${esc(plural(report.skippedRecords, 'corrupt or unreadable history line'))} in ${esc(report.historyDir)}/.</p>`
      : '';
  return `<footer>${skipped}<p class="muted">Generated by sixty from ${esc(report.historyDir)}/ · report schema ${report.schemaVersion} · self-contained, works offline.</p></footer>`;
}

// ---------------------------------------------------------------- style

const CSS = `
:root{color-scheme:light dark;
--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--panel:#f6f8fa;--border:#d1d9e0;--lane:#ffffff;--lane-odd:#f6f8fa;--grid:#e4e8ec;
--executed:#3a78d6;--failed:#cf222e;--local:#9aa4ae;--remote:#a67ff0;--skipped:#dde2e7;--critical:#e8590c;--bar-text:#ffffff;
--over:#cf222e;--over-bg:#ffebe9;--ok:#1a7f37;--ok-bg:#dafbe1;--loop:#3a78d6;--trend:#3a78d6}
@media (prefers-color-scheme:dark){:root{
--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--panel:#151b23;--border:#3d444d;--lane:#0d1117;--lane-odd:#151b23;--grid:#262c36;
--executed:#4c8fe8;--failed:#f85149;--local:#656d76;--remote:#9d79ea;--skipped:#3d444d;--critical:#ff9a3c;--bar-text:#ffffff;
--over:#ff7b72;--over-bg:#3c1618;--ok:#3fb950;--ok-bg:#12261e;--loop:#4c8fe8;--trend:#79b8ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1160px;margin:0 auto;padding:24px 24px 40px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.92em}
h1{font-size:30px;line-height:1.2;margin:2px 0 6px}
h2{font-size:19px;margin:0 0 4px}
h3{font-size:15px;margin:18px 0 6px}
h2 .muted,h3 .muted{font-size:13px;font-weight:400;margin-left:6px}
section{margin:22px 0;padding:18px 20px;border:1px solid var(--border);border-radius:10px;background:var(--bg)}
.muted{color:var(--muted)}
.hint{color:var(--muted);margin:2px 0 12px}
.empty,.all-good{margin:6px 0;color:var(--muted)}
.all-good{color:var(--ok);font-weight:600}
.bad{color:var(--over);font-weight:600}
.yes{color:var(--critical);font-weight:600}
.verdict{padding:20px 22px;border-radius:12px;border:1px solid var(--border);background:var(--panel)}
.verdict.over{border-left:6px solid var(--over)}
.verdict.over h1{color:var(--over)}
.verdict.ok{border-left:6px solid var(--ok)}
.verdict.ok h1{color:var(--ok)}
.eyebrow{margin:0;color:var(--muted);font-size:12px;letter-spacing:.06em;text-transform:uppercase}
.subline{margin:0;color:var(--muted)}
.facts{display:flex;flex-wrap:wrap;gap:10px 28px;margin:14px 0 0}
.fact dt{color:var(--muted);font-size:12px}
.fact dd{margin:0;font-size:17px;font-weight:600}
.fact dd .muted{font-size:13px;font-weight:400}
.chart{overflow-x:auto}
#gantt{display:block;max-width:100%;height:auto;font-size:12px}
#gantt .lane{fill:var(--lane)}
#gantt .lane.odd{fill:var(--lane-odd)}
#gantt .lane-label{fill:var(--muted);font-size:12px}
#gantt .grid{stroke:var(--grid);stroke-width:1}
#gantt .axis{stroke:var(--border);stroke-width:1}
#gantt .tick{fill:var(--muted);font-size:11px}
#gantt .budget-line{stroke:var(--over);stroke-width:1.5;stroke-dasharray:5 4}
#gantt .budget-label{fill:var(--over);font-size:11px;font-weight:600}
.bar{stroke:var(--bg);stroke-width:1}
.k-executed{fill:var(--executed);background:var(--executed)}
.k-failed{fill:var(--failed);background:var(--failed)}
.k-local-cache{fill:var(--local);background:var(--local)}
.k-remote-cache{fill:var(--remote);background:var(--remote)}
.k-skipped{fill:var(--skipped);background:var(--skipped)}
#gantt.has-critical .bar:not(.critical):not(.k-failed){opacity:.5}
.bar.critical{stroke:var(--critical);stroke-width:2.5}
.critical-link{stroke:var(--critical);stroke-width:1.5;stroke-dasharray:3 3;fill:none}
.bar-label{fill:var(--bar-text);font-size:12px;pointer-events:none}
.bar-label.critical{font-weight:700}
#gantt.has-critical .bar-label:not(.critical){opacity:.85}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;list-style:none;padding:0;margin:10px 0 0;color:var(--muted);font-size:13px}
.legend li{display:flex;align-items:center;gap:6px}
.swatch{display:inline-block;width:14px;height:10px;border-radius:2px}
.swatch.critical{background:transparent;border:2.5px solid var(--critical)}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 10px;border-bottom:1px solid var(--border);text-align:left;vertical-align:middle}
th{font-size:12px;color:var(--muted);font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.center{text-align:center}
#over-budget td.over-by{color:var(--over);font-weight:600}
#over-budget tbody tr:hover,#all-targets tbody tr:hover{background:var(--panel)}
.meter-cell{width:170px}
.meter{position:relative;display:block;height:10px;border-radius:5px;background:var(--panel);border:1px solid var(--border)}
.meter .fill{position:absolute;left:0;top:0;bottom:0;border-radius:5px;background:var(--over)}
.meter .mark{position:absolute;top:-4px;bottom:-4px;width:2px;margin-left:-1px;background:var(--fg)}
.hbars{display:flex;flex-direction:column;gap:5px}
.hbar-row{display:grid;grid-template-columns:minmax(80px,220px) 1fr 76px;gap:10px;align-items:center}
.hbar-row .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;text-align:right;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.hbar-row .track{position:relative;height:16px}
.hbar-row.scale .track{height:16px}
.loop-bar{position:absolute;left:0;top:0;bottom:0;min-width:2px;border-radius:0 3px 3px 0;background:var(--loop)}
.loop-bar.over{background:var(--over)}
.budget-mark{position:absolute;top:-3px;bottom:-3px;width:0;border-left:2px dashed var(--fg);opacity:.7}
.budget-tag{position:absolute;bottom:0;transform:translateX(-50%);font-size:11px;font-weight:600;color:var(--muted);white-space:nowrap}
.hbar-row .value{font-variant-numeric:tabular-nums;font-size:13px}
.hbar-row .value.over{color:var(--over);font-weight:600}
.trend-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
.trend{margin:0;padding:10px 12px;border:1px solid var(--border);border-radius:8px;background:var(--panel)}
.trend figcaption{display:flex;justify-content:space-between;gap:8px;font-size:13px}
.trend figcaption code{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.trend .p90{color:var(--over);font-weight:600;white-space:nowrap}
.trend .range{margin:2px 0 0;font-size:12px}
.sparkline{display:block;width:100%;height:auto;margin-top:6px}
.sparkline .over-zone{fill:var(--over-bg)}
.sparkline .budget-line{stroke:var(--over);stroke-width:1.2;stroke-dasharray:4 3}
.sparkline .trend-line{fill:none;stroke:var(--trend);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.sparkline .dot.over{fill:var(--over)}
.sparkline .dot.last{fill:var(--trend);stroke:var(--bg);stroke-width:1.5}
#critical-path{margin:0;padding-left:28px}
#critical-path li{display:grid;grid-template-columns:minmax(120px,320px) 1fr 70px 56px;gap:10px;align-items:center;padding:3px 0}
#critical-path li code{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.share-track{display:block;height:10px;border-radius:5px;background:var(--panel);border:1px solid var(--border);overflow:hidden}
.share{display:block;height:100%;background:var(--critical)}
details summary{cursor:pointer;font-weight:600;font-size:15px}
details table{margin-top:10px}
#all-targets tr.over td:first-child code{color:var(--over)}
footer{color:var(--muted);font-size:12px;text-align:center}
.warning{color:var(--over)}
`;

// ---------------------------------------------------------------- page

function gettingStarted(report: Report): string {
  return `<section id="getting-started"><h2>Nothing measured yet</h2><p>No runs recorded in <code>${esc(report.historyDir)}/</code>. Register the plugin with <code>sixty init</code>, run any target (e.g. <code>nx run-many -t build test</code>), then run <code>sixty report --format html</code> again.</p></section>`;
}

function sections(report: Report, timeline: RunTimeline | null): string[] {
  return [
    loopViolationsSection(report),
    timelineSection(report, timeline),
    overBudgetSection(report),
    loopTimesSection(report),
    trendsSection(report),
    scheduleSection(report, timeline),
    allTargetsSection(report),
    footer(report),
  ].filter(Boolean);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(`sixty report: ${title.toLowerCase()}`)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The whole report as one HTML file a person reads in seconds: verdict, timeline, what to fix first. */
export function renderHtmlReport(report: Report): string {
  const timeline = report.lastRun ? timelineOfRun(report.lastRun) : null;
  const verdict = verdictOf(report);
  const body = [
    header(report, timeline),
    ...(report.targets.length === 0 && !timeline ? [gettingStarted(report), footer(report)] : sections(report, timeline)),
  ].join('\n');
  return page(verdict.text, body);
}

export const htmlRenderer: ReportRenderer = {
  format: 'html',
  render: renderHtmlReport,
};
