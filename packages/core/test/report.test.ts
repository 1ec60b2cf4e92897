import { describe, expect, it } from 'vitest';
import {
  attachNestedRuns,
  budgetMsFor,
  buildReport,
  DEFAULT_OPTIONS,
  jsonRenderer,
  markdownRenderer,
  rendererFor,
  textRenderer,
  type HistoryReadResult,
  type RunRecord,
  type SixtyOptions,
} from '@sixty/core';
import { runRecord, taskRecord } from './run-fixtures';

const options = (overrides: Partial<SixtyOptions> = {}): SixtyOptions => ({ ...DEFAULT_OPTIONS, ...overrides });
const history = (runs: RunRecord[], skippedRecords = 0): HistoryReadResult => ({ runs, skippedRecords, supersededTasks: 0, files: [] });

/** One run per duration of `id`, each executed successfully. */
const executions = (id: string, ...durations: number[]): RunRecord[] =>
  durations.map((ms, i) => runRecord(`${id}-${i}`, i * 1000, [taskRecord(id, ms)]));

describe('budgetMsFor', () => {
  const budgets = { 'app:build:production': 300, 'app:build': 200, build: 100 };
  const configured = options({ budgetSeconds: 60, budgets });

  it('prefers project:target:configuration, then project:target, then target, then the default', () => {
    expect(budgetMsFor(configured, { project: 'app', target: 'build', configuration: 'production' })).toBe(300_000);
    expect(budgetMsFor(configured, { project: 'app', target: 'build', configuration: 'development' })).toBe(200_000);
    expect(budgetMsFor(configured, { project: 'app', target: 'build' })).toBe(200_000);
    expect(budgetMsFor(configured, { project: 'lib', target: 'build', configuration: 'production' })).toBe(100_000);
    expect(budgetMsFor(configured, { project: 'lib', target: 'build' })).toBe(100_000);
    expect(budgetMsFor(configured, { project: 'app', target: 'test' })).toBe(60_000);
  });

  it('lets an override win over every configured budget', () => {
    expect(budgetMsFor(configured, { project: 'app', target: 'build', configuration: 'production' }, 5)).toBe(5_000);
    expect(budgetMsFor(configured, { project: 'app', target: 'test' }, 0.5)).toBe(500);
  });

  it('does not take budgets from the object prototype', () => {
    expect(budgetMsFor(configured, { project: 'app', target: 'constructor' })).toBe(60_000);
    expect(budgetMsFor(configured, { project: 'app', target: 'toString' })).toBe(60_000);
  });
});

describe('buildReport', () => {
  it('puts over-budget targets first, each group by p90 descending, ties by name', () => {
    const runs = [
      ...executions('a:slow', 5000),
      ...executions('b:slower', 9000),
      ...executions('c:fast', 900),
      ...executions('d:edge', 1000), // p90 equal to the budget is within it
      ...executions('e:tie', 900),
      runRecord('cached', 0, [taskRecord('f:cached', 50_000, { status: 'remote-cache' })]),
    ];
    const report = buildReport({ history: history(runs), options: options({ budgetSeconds: 1 }) });

    expect(report.targets.map((t) => [t.task, t.p90Ms, t.overBudget])).toEqual([
      ['b:slower', 9000, true],
      ['a:slow', 5000, true],
      ['d:edge', 1000, false],
      ['c:fast', 900, false],
      ['e:tie', 900, false],
      ['f:cached', 0, false],
    ]);
  });

  it('builds each row from the target statistics and its own budget', () => {
    const runs = [
      runRecord('r1', 0, [taskRecord('app:test', 3000), taskRecord('app:build:production', 2500, { status: 'failure' })]),
      runRecord('r2', 10_000, [taskRecord('app:test', 1000), taskRecord('app:build:production', 10, { status: 'local-cache' })]),
    ];
    const report = buildReport({
      history: history(runs, 3),
      options: options({ budgetSeconds: 60, budgets: { 'app:build:production': 2, test: 2.5 }, historyDir: 'build/sixty' }),
    });

    expect(report).toEqual({
      schemaVersion: 1,
      budgetMs: 60_000,
      loopBudgetMs: 60_000,
      invocations: 2,
      nestedRuns: 0,
      skippedRecords: 3,
      supersededTasks: 0,
      since: null,
      historyDir: 'build/sixty',
      targets: [
        {
          task: 'app:test',
          project: 'app',
          target: 'test',
          executions: 2,
          cacheHits: 0,
          failures: 0,
          earlyFailures: 0,
          p50Ms: 1000,
          p90Ms: 3000,
          maxMs: 3000,
          budgetMs: 2500,
          overBudget: true,
          onCriticalPath: false,
          recentMs: [3000, 1000],
        },
        {
          task: 'app:build:production',
          project: 'app',
          target: 'build',
          configuration: 'production',
          executions: 1,
          cacheHits: 1,
          failures: 1,
          earlyFailures: 0,
          p50Ms: 2500,
          p90Ms: 2500,
          maxMs: 2500,
          budgetMs: 2000,
          overBudget: true,
          onCriticalPath: false,
          recentMs: [2500],
        },
      ],
      criticalPath: null,
      simulation: null,
      loopTimes: null,
      loopViolations: null,
      violations: null,
      whatIf: [],
      analysisScope: null,
      unmeasuredTasks: [],
      lastRunPrediction: null,
      analysisNote: null,
      lastRun: runs[1],
    });
  });

  it('applies a budget override to the default and to every row, and records since', () => {
    const report = buildReport({
      history: history([...executions('app:test', 4000), ...executions('lib:test', 2000)]),
      options: options({ budgetSeconds: 1, budgets: { 'lib:test': 1 } }),
      budgetOverrideSeconds: 3,
      sinceMs: Date.parse('2026-03-01T00:00:00Z'),
    });
    expect(report.budgetMs).toBe(3000);
    expect(report.since).toBe('2026-03-01T00:00:00.000Z');
    expect(report.targets.map((t) => [t.task, t.budgetMs, t.overBudget])).toEqual([
      ['app:test', 3000, true],
      ['lib:test', 3000, false],
    ]);
  });

  it('is empty for no history', () => {
    const report = buildReport({ history: history([]), options: options() });
    expect(report).toMatchObject({ budgetMs: 60_000, invocations: 0, skippedRecords: 0, targets: [] });
  });
});

describe('renderers', () => {
  // app:test: executed 61s, 75s, 50s and one cache hit; lib:build: 1.2s and 2.5s; ui:lint: cache only
  const runs = [
    runRecord('r1', 0, [
      taskRecord('app:test', 61_000),
      taskRecord('lib:build', 1200),
      taskRecord('ui:lint', 3, { status: 'local-cache' }),
    ]),
    runRecord('r2', 1, [
      taskRecord('app:test', 75_000),
      taskRecord('lib:build', 2500),
      taskRecord('ui:lint', 4, { status: 'remote-cache' }),
    ]),
    runRecord('r3', 2, [taskRecord('app:test', 50_000)]),
    runRecord('r4', 3, [taskRecord('app:test', 10, { status: 'local-cache' })]),
  ];
  const report = buildReport({ history: history(runs), options: options() });

  it('renders text as an aligned table, worst target first, with the next command', () => {
    expect(textRenderer.render(report)).toBe(
      [
        '4 recorded runs, 3 targets: 1 of 3 targets over budget (default 1m 00s)',
        '',
        'TASK       RUNS  CACHED     P50     P90     MAX  BUDGET  STATUS',
        'app:test      3       1  1m 01s  1m 15s  1m 15s  1m 00s  OVER by 15.0s',
        'lib:build     2       0    1.2s    2.5s    2.5s  1m 00s  ok',
        'ui:lint       0       2       -       -       -  1m 00s  cached only',
        '',
        'next: sixty plan app:test   (plan a decomposition of the target over budget that costs the most)',
      ].join('\n'),
    );
  });

  it('renders markdown as a table', () => {
    expect(markdownRenderer.render(report)).toBe(
      [
        '## sixty: build step budget',
        '',
        '4 recorded runs, 3 targets: 1 of 3 targets over budget (default 1m 00s)',
        '',
        '| Task | Runs | Cached | p50 | p90 | max | Budget | Status |',
        '|---|---:|---:|---:|---:|---:|---:|---|',
        '| `app:test` | 3 | 1 | 1m 01s | 1m 15s | 1m 15s | 1m 00s | :red_circle: over by 15.0s |',
        '| `lib:build` | 2 | 0 | 1.2s | 2.5s | 2.5s | 1m 00s | :white_check_mark: ok |',
        '| `ui:lint` | 0 | 2 | - | - | - | 1m 00s | cached only |',
        '',
        'Next: `sixty plan app:test`',
      ].join('\n'),
    );
  });

  it('renders JSON that parses and keeps the report contract', () => {
    const parsed = JSON.parse(jsonRenderer.render(report)) as Record<string, unknown>;
    const { lastRun, ...rest } = report;
    expect(parsed).toEqual({ ...rest, lastRunId: lastRun!.id });
    expect(parsed).toMatchObject({ schemaVersion: 1, budgetMs: 60_000, invocations: 4, skippedRecords: 0 });
    expect(parsed.targets).toEqual([
      expect.objectContaining({ task: 'app:test', project: 'app', target: 'test', executions: 3, cacheHits: 1, p50Ms: 61_000, p90Ms: 75_000, maxMs: 75_000, overBudget: true }),
      expect.objectContaining({ task: 'lib:build', project: 'lib', target: 'build', executions: 2, cacheHits: 0, p50Ms: 1200, p90Ms: 2500, maxMs: 2500, overBudget: false }),
      expect.objectContaining({ task: 'ui:lint', project: 'ui', target: 'lint', executions: 0, cacheHits: 2, p50Ms: 0, p90Ms: 0, maxMs: 0, overBudget: false }),
    ]);
  });

  it('notes skipped history lines in text and markdown, not in JSON', () => {
    const withSkipped = buildReport({ history: history(runs, 2), options: options() });
    const note = 'warning: skipped 2 corrupt or unreadable history lines in .sixty/';
    expect(textRenderer.render(withSkipped).split('\n')).toContain(note);
    expect(markdownRenderer.render(withSkipped).split('\n')).toContain(`> ${note}`);
    expect(jsonRenderer.render(withSkipped)).not.toContain('warning');
    expect(JSON.parse(jsonRenderer.render(withSkipped))).toMatchObject({ skippedRecords: 2 });
  });

  it('counts a run started from inside another run\'s task as part of it, and says so', () => {
    const outer = runRecord('outer', 0, [{ ...taskRecord('app:deploy', 9000, { endMs: 9500 }), hash: 'h' }], 10_000);
    const inner = { ...runRecord('inner', 2000, [taskRecord('lib:build', 150, { endMs: 2170 })], 200), parentTask: { id: 'app:deploy', hash: 'h' } };
    const runs = [outer, inner];
    attachNestedRuns(runs);
    const nested = buildReport({ history: history(runs), options: options() });
    expect(nested).toMatchObject({ invocations: 1, nestedRuns: 1, lastRun: { id: 'outer' } });
    expect(nested.targets.map((t) => t.task).sort()).toEqual(['app:deploy', 'lib:build']);
    expect(textRenderer.render(nested).split('\n')).toContain('note: 1 nx run was started from inside a task of another run (a target that runs nx) and counts as part of it');
  });

  it('says how many task records of split projects it left out, and counts them in JSON', () => {
    const withSuperseded = buildReport({ history: { ...history(runs), supersededTasks: 3 }, options: options() });
    const note = 'note: left out 3 task records of split projects from before their split (.sixty/decompositions.json)';
    expect(textRenderer.render(withSuperseded).split('\n')).toContain(note);
    expect(markdownRenderer.render(withSuperseded).split('\n')).toContain(`> ${note}`);
    expect(JSON.parse(jsonRenderer.render(withSuperseded))).toMatchObject({ supersededTasks: 3 });
    expect(textRenderer.render(buildReport({ history: history(runs), options: options() }))).not.toContain('left out');
  });

  it('says every target is within budget and suggests no plan when none is over', () => {
    const text = textRenderer.render(buildReport({ history: history(runs), options: options(), budgetOverrideSeconds: 120 }));
    expect(text.split('\n')[0]).toBe('4 recorded runs, 3 targets: every target within its budget (default 2m 00s)');
    expect(text).not.toContain('next: sixty plan');
    expect(text).not.toContain('OVER');
  });

  it('tells how to start recording when there is no history', () => {
    const empty = buildReport({ history: history([]), options: options() });
    const hint =
      'No runs recorded yet in .sixty/.\nRegister the plugin with `sixty init`, run any target (e.g. `nx run-many -t build test`), then run `sixty report` again.';
    expect(textRenderer.render(empty)).toBe(hint);
    expect(markdownRenderer.render(empty)).toBe(`## sixty: build step budget\n\n${hint}`);
    expect(JSON.parse(jsonRenderer.render(empty))).toMatchObject({ invocations: 0, targets: [] });
  });

  it('are chosen by name', () => {
    expect(rendererFor('text')).toBe(textRenderer);
    expect(rendererFor('markdown')).toBe(markdownRenderer);
    expect(rendererFor('json')).toBe(jsonRenderer);
    expect(rendererFor('bogus')).toBeUndefined();
  });
});
