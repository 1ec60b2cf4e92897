// Measured vs estimated: what the report says of tasks that never ran, and the prediction on the last run's own graph.
import { describe, expect, it } from 'vitest';
import { jsonRenderer, markdownRenderer, parallelOfCommand, predictLastRun, textRenderer, type Report } from '@sixty/core';
import { htmlRenderer } from '../../src/report/render-html';
import { taskGraphInput } from '../analysis/graph-fixtures';
import { runRecord, taskRecord } from '../run-fixtures';
import { fullReport } from './report-fixtures';

/** The full fixture analysed over the whole graph, with app:e2e (never ran) at an estimate. */
function wholeGraphReport(): Report {
  const report = fullReport();
  return {
    ...report,
    analysisScope: 'whole-graph',
    unmeasuredTasks: ['app:e2e'],
    criticalPath: { ...report.criticalPath!, tasks: [...report.criticalPath!.tasks, { id: 'app:e2e', durationMs: 96_000, share: 0.3, estimated: true }] },
    loopTimes: report.loopTimes!.map((loop) => (loop.project === 'app' ? { ...loop, estimatedTaskCount: 1 } : loop)),
    // the estimate ranks first: it must be marked, and never be the next command
    violations: [{ task: 'app:e2e', p90Ms: 96_000, budgetMs: 60_000, affectedBy: 4, loopCostMs: 200_000, estimated: true }, ...report.violations!],
  };
}

describe('a never-run task in the report', () => {
  it('is marked est. in text wherever its estimate counts, and next: names a measured task', () => {
    const text = textRenderer.render(wholeGraphReport());
    expect(text).toContain('1 task never ran: their times are estimates');
    expect(text).toMatch(/critical path [^\n]* est\.: /);
    expect(text).toContain('app:e2e 1m 36s (30%) est.');
    expect(text).toMatch(/predicted wall time of every analysed task at --parallel 3: 2m 51s est\./);
    expect(text).toContain('app 2m 17s est. OVER');
    expect(text).toContain('app:e2e (p90 1m 36s est.) costs');
    expect(text).toContain('next: sixty plan app:test ');
    expect(markdownRenderer.render(wholeGraphReport())).toContain('Next: `sixty plan app:test`');
  });

  it('is said to be left out in the default (measured) scope, with the option that includes it', () => {
    const text = textRenderer.render({ ...fullReport(), unmeasuredTasks: ['app:e2e', 'lib-a:lint'] });
    expect(text).toContain('left out 2 tasks that never ran (no measure): app:e2e, lib-a:lint; --whole-graph includes them at an estimate');
    expect(text).not.toContain(' est.');
  });

  it('is marked in JSON (estimated on the step, the violation, the loop) and in the HTML', () => {
    const json = JSON.parse(jsonRenderer.render(wholeGraphReport())) as Report;
    expect(json.analysisScope).toBe('whole-graph');
    expect(json.unmeasuredTasks).toEqual(['app:e2e']);
    expect(json.criticalPath!.tasks.at(-1)).toMatchObject({ id: 'app:e2e', estimated: true });
    expect(json.violations![0]).toMatchObject({ task: 'app:e2e', estimated: true });
    expect(json.loopTimes!.find((loop) => loop.project === 'app')).toMatchObject({ estimatedTaskCount: 1 });
    const html = htmlRenderer.render(wholeGraphReport());
    expect(html).toContain('<li data-task="app:e2e" class="estimated">');
    expect(html).toContain('1m 36s est.');
    expect(html).toMatch(/data-project="app"[^\n]*2m 17s est\./);
    expect(html).toContain('id="analysis-scope"');
  });
});

describe('predictLastRun', () => {
  const graph = taskGraphInput(['lib:build', 'lib:test', 'app:build', 'app:test', 'other:build'], {
    'app:build': ['lib:build'],
    'lib:test': ['lib:build'],
    'app:test': ['app:build'],
  });
  const projectDependencies = { app: ['lib'], lib: [], other: [] };
  const p90ByTask = new Map([
    ['lib:build', 1000],
    ['lib:test', 4000],
    ['app:build', 2000],
    ['app:test', 3000],
    ['other:build', 9000],
  ]);

  it('predicts the run on its own tasks: executed ones at their p90, cache hits as restored', () => {
    const run = {
      ...runRecord('last', 0, [
        taskRecord('lib:build', 20, { status: 'local-cache', endMs: 1020 }),
        taskRecord('app:build', 2100, { endMs: 3120 }),
        taskRecord('app:test', 2900, { endMs: 6020 }),
      ]),
      command: 'nx run-many -t build test -p app lib --parallel=2',
    };
    // lib:build 20 ms (cache), then app:build 2000, then app:test 3000: 5020 ms; other:build and lib:test are not in the run
    expect(predictLastRun({ run, taskGraph: graph, projectDependencies, p90ByTask, parallel: 3 })).toEqual({
      runId: 'last',
      command: run.command,
      taskCount: 3,
      measuredWallMs: 6020 - 1000,
      predictedWallMs: 5020,
      parallel: 2,
      note: null,
    });
  });

  it('says why there is no prediction when the run ran tasks outside the analysed graph', () => {
    const run = runRecord('last', 0, [taskRecord('lib:build', 1000), taskRecord('lib:lint', 500)]);
    const prediction = predictLastRun({ run, taskGraph: graph, projectDependencies, p90ByTask, parallel: 3 });
    expect(prediction.predictedWallMs).toBeNull();
    expect(prediction.note).toBe('the last run ran tasks outside the analysed targets (lib:lint): no prediction of the same graph');
  });

  it('reads --parallel from the run command', () => {
    expect(parallelOfCommand('nx affected -t test --parallel 4')).toBe(4);
    expect(parallelOfCommand('nx run-many -t test --parallel=false')).toBe(1);
    expect(parallelOfCommand('nx run-many -t test')).toBeUndefined();
  });

  it('is shown beside the measure in text and in the HTML, which says it is the same graph', () => {
    const report: Report = {
      ...fullReport(),
      lastRunPrediction: { runId: 'r', command: 'nx run-many -t build test', taskCount: 4, measuredWallMs: 100_000, predictedWallMs: 95_000, parallel: 3, note: null },
    };
    expect(textRenderer.render(report)).toContain(
      'last run (nx run-many -t build test, 4 tasks): measured 1m 40s, predicted 1m 35s on the same graph at --parallel 3 (executed tasks at their p90)',
    );
    const html = htmlRenderer.render(report);
    expect(html).toMatch(/<p class="hint" id="last-run-comparison">Same graph, prediction against measure: [^<]*<code>nx run-many -t build test<\/code>[^<]*measured 1m 40s from its first task's start to its last task's end; the model predicts 1m 35s \(−5%\)/);
    expect(html).toContain('Predicted for the last run');
  });
});
