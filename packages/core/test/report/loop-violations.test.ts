import { describe, expect, it } from 'vitest';
import { REPORT_RENDERERS, type LoopViolation, type Report } from '@sixty/core';
import { fullReport } from './report-fixtures';

const render = (report: Report, format: string): string => REPORT_RENDERERS.find((r) => r.format === format)!.render(report);

/** The fixture with every target within budget but two loops over a 45 s loop budget. */
function loopsOverBudget(): Report {
  const report = fullReport();
  const violation = (project: string, loopMs: number): LoopViolation => ({
    project,
    loopMs,
    loopBudgetMs: 45_000,
    parallel: 3,
    taskCount: 8,
    largestTask: { id: 'app:test', durationMs: 40_000, estimated: false },
    remedies: [
      { kind: 'shard', slot: 'shard app:test', summary: 'shard app:test in 4', cost: 2, edits: [], command: 'sixty plan app:test --kind shard --budget 11.8', loopMsAfter: loopMs - 30_000, savingMs: 30_000 },
      { kind: 'workers', slot: 'workers', summary: 'run the loop on 6 workers (--parallel 6, or CI jobs: sixty ci-matrix)', cost: 3, edits: [], command: 'sixty check --parallel 6', loopMsAfter: loopMs - 9_000, savingMs: 9_000 },
    ],
    planCommand: `sixty plan ${project} --loop`,
  });
  return {
    ...report,
    targets: report.targets.map((t) => ({ ...t, overBudget: false })),
    violations: [],
    loopBudgetMs: 45_000,
    loopViolations: [violation('lib-a', 199_000), violation('lib-b', 186_000)],
  };
}

describe('loop violations in the report', () => {
  it('lead the text report, next to the target verdict, with remedies by predicted saving labelled as estimates', () => {
    const text = render(loopsOverBudget(), 'text');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/every target within its budget \(default 1m 00s\); 2 of 5 loops over the loop budget \(45\.0s\)$/);
    expect(lines[2]).toBe('loops over the loop budget (45.0s: the wall time of a change, its affected tasks at --parallel 3), slowest first; savings are estimates of the simulation, each remedy alone:');
    expect(lines[3]).toBe('  lib-a 3m 19s (8 tasks, largest app:test 40.0s): shard app:test in 4 -30.0s, run the loop on 6 workers (--parallel 6, or CI jobs: sixty ci-matrix) -9.0s; plan: sixty plan lib-a --loop');
    expect(lines.at(-1)).toBe('next: sixty plan lib-a --loop   (plan the cheapest remedies for the slowest loop over budget)');
  });

  it('never says every target is within budget in the HTML headline while loops are over budget', () => {
    const html = render(loopsOverBudget(), 'html');
    expect(html).not.toMatch(/All \d+ targets within budget/);
    expect(html).toContain('<h1 id="verdict">2 of 5 loops over the loop budget; every target within its budget</h1>');
    expect(html.indexOf('id="loop-violations-section"')).toBeLessThan(html.indexOf('id="timeline"'));
    expect(html.match(/<tr data-project="/g)).toHaveLength(2);
    expect(html).toContain('shard app:test in 4 -30.0s <span class="muted">est. · cost 2 · <code>sixty plan app:test --kind shard --budget 11.8</code>');
    const none = { ...loopsOverBudget(), loopViolations: [] };
    expect(render(none, 'html')).toContain(`<h1 id="verdict">All ${fullReport().targets.length} targets within budget</h1>`);
  });

  it('are in the JSON and the markdown', () => {
    const json = JSON.parse(render(loopsOverBudget(), 'json')) as Report;
    expect(json.loopBudgetMs).toBe(45_000);
    expect(json.loopViolations!.map((v) => [v.project, v.remedies[0]!.savingMs, v.planCommand])).toEqual([
      ['lib-a', 30_000, 'sixty plan lib-a --loop'],
      ['lib-b', 30_000, 'sixty plan lib-b --loop'],
    ]);
    const markdown = render(loopsOverBudget(), 'markdown');
    expect(markdown).toContain('- lib-b 3m 06s (8 tasks, largest app:test 40.0s): shard app:test in 4 -30.0s');
    expect(markdown).toContain('Next: `sixty plan lib-a --loop`');
  });
});
