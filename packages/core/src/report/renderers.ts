import { formatDuration } from './format-duration';
import type { Report, ReportTarget } from './report-model';

/** Every output format is a peer behind this one interface, chosen by name. */
export interface ReportRenderer {
  readonly format: string;
  render(report: Report): string;
}

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
  return `${runs}, ${targets}: ${verdict}`;
}

function emptyHint(report: Report): string {
  return (
    `No runs recorded yet in ${report.historyDir}/.\n` +
    'Register the plugin with `sixty init`, run any target (e.g. `nx run-many -t build test`), then run `sixty report` again.'
  );
}

function skippedNote(report: Report): string | undefined {
  return report.skippedRecords > 0
    ? `warning: skipped ${report.skippedRecords} corrupt or unreadable history line${report.skippedRecords === 1 ? '' : 's'} in ${report.historyDir}/`
    : undefined;
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
      t.task,
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
    const lines = [headline(report), '', pad(header, widths, rightAligned), ...rows.map((r) => pad(r, widths, rightAligned))];
    const note = skippedNote(report);
    if (note) lines.push('', note);
    const worst = report.targets.find((t) => t.overBudget);
    if (worst) lines.push('', `next: sixty plan ${worst.task}   (plan a decomposition of the slowest target over budget)`);
    return lines.join('\n');
  },
};

export const markdownRenderer: ReportRenderer = {
  format: 'markdown',
  render(report) {
    const lines = ['## sixty: build step budget', ''];
    if (report.targets.length === 0) return [...lines, emptyHint(report)].join('\n');
    lines.push(headline(report), '');
    lines.push('| Task | Runs | Cached | p50 | p90 | max | Budget | Status |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const t of report.targets) {
      const status = t.overBudget ? `:red_circle: ${overBy(t)}` : t.executions === 0 ? 'cached only' : ':white_check_mark: ok';
      lines.push(
        `| \`${t.task}\` | ${t.executions} | ${t.cacheHits} | ${timing(t, t.p50Ms)} | ${timing(t, t.p90Ms)} | ${timing(t, t.maxMs)} | ${formatDuration(t.budgetMs)} | ${status} |`,
      );
    }
    const note = skippedNote(report);
    if (note) lines.push('', `> ${note}`);
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

export const REPORT_RENDERERS: readonly ReportRenderer[] = [textRenderer, markdownRenderer, jsonRenderer];

export function rendererFor(format: string): ReportRenderer | undefined {
  return REPORT_RENDERERS.find((renderer) => renderer.format === format);
}
