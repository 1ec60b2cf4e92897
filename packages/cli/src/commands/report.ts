import { buildReport, parseSince, readHistory, rendererFor, SixtyError, REPORT_RENDERERS } from '@sixty/core';
import { openWorkspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface ReportOptions {
  cwd: string;
  format: string;
  budget?: number;
  since?: string;
  now?: number;
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
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const sinceMs = options.since === undefined ? undefined : parseSince(options.since, options.now ?? Date.now());
  const history = readHistory(workspace.historyDir, sinceMs === undefined ? {} : { sinceMs });
  if (history.skippedRecords > 0 && renderer.format === 'json') {
    // the text renderers print this themselves; JSON keeps stdout pure data
    output.err(`warning: skipped ${history.skippedRecords} corrupt history line(s) in ${workspace.historyDir}`);
  }
  const report = buildReport({
    history,
    options: workspace.options,
    ...(options.budget !== undefined ? { budgetOverrideSeconds: options.budget } : {}),
    ...(sinceMs !== undefined ? { sinceMs } : {}),
  });
  output.out(renderer.render(report));
  if (!workspace.pluginRegistered && report.targets.length === 0 && renderer.format !== 'json') {
    output.err('hint: @sixty/nx is not registered in nx.json; run `sixty init` so nx records its runs');
  }
  return EXIT.ok;
}
