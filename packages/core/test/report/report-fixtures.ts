// Hand-built runs and reports for the timeline, trace and html tests (and the html e2e test).
// Relative imports, not @sixty/core: the e2e project has no path alias.
import { cacheKindOf, RUN_RECORD_SCHEMA_VERSION, type RunRecord, type TaskRecord, type TaskStatus } from '../../src/history/run-record';
import { REPORT_SCHEMA_VERSION, type Report, type ReportTarget } from '../../src/report/report-model';

export const RUN_START_MS = Date.parse('2025-03-04T10:00:00Z');

/** A task of `id` (project:target[:configuration]) from `startMs` to `endMs`, relative to RUN_START_MS. */
export function task(id: string, startMs: number, endMs: number, status: TaskStatus = 'success'): TaskRecord {
  const [project, target, configuration] = id.split(':') as [string, string, string | undefined];
  return {
    id,
    project,
    target,
    ...(configuration ? { configuration } : {}),
    status,
    cache: cacheKindOf(status),
    startMs: RUN_START_MS + startMs,
    endMs: RUN_START_MS + endMs,
    durationMs: Math.max(0, endMs - startMs),
    exitCode: status === 'failure' ? 1 : 0,
  };
}

/** A run of these tasks that started at RUN_START_MS and took `durationMs`. */
export function run(tasks: TaskRecord[], durationMs = Math.max(0, ...tasks.map((t) => t.endMs - RUN_START_MS))): RunRecord {
  return {
    schemaVersion: RUN_RECORD_SCHEMA_VERSION,
    id: 'run-1',
    nxVersion: '22.7.12',
    command: 'nx run-many -t build test lint',
    startMs: RUN_START_MS,
    endMs: RUN_START_MS + durationMs,
    tasks,
  };
}

export const HOSTILE_TASK = '<script>alert(1)</script>:test';

/**
 * The last run drawn in the html and trace tests: 11 tasks on 3 workers; critical path of the run
 * lib-a:build -> lib-b:build -> app:build -> app:test (ends last at 95 s).
 */
export const LAST_RUN: RunRecord = run([
  task('lib-a:build', 0, 12_000),
  task('lib-a:lint', 0, 300, 'local-cache'),
  task('lib-c:build', 0, 8_000, 'remote-cache'),
  task('lib-a:test', 12_020, 40_000),
  task('lib-b:build', 12_030, 30_000),
  task('lib-c:test', 8_000, 9_000, 'local-cache'),
  task(HOSTILE_TASK, 9_000, 20_000, 'failure'),
  task('lib-b:test', 30_000, 61_000),
  task('app:build', 30_010, 50_000),
  task('app:test', 50_020, 95_000),
  task('app:e2e', 61_000, 61_000, 'skipped'),
]);

function target(task: string, p90Ms: number, extra: Partial<ReportTarget> = {}): ReportTarget {
  const [project, name] = task.split(':') as [string, string];
  const budgetMs = extra.budgetMs ?? 60_000;
  return {
    task,
    project,
    target: name,
    executions: 8,
    cacheHits: 2,
    failures: 0,
    earlyFailures: 0,
    p50Ms: Math.round(p90Ms * 0.8),
    p90Ms,
    maxMs: Math.round(p90Ms * 1.1),
    budgetMs,
    overBudget: p90Ms > budgetMs,
    onCriticalPath: false,
    recentMs: [0.7, 0.8, 0.75, 0.9, 0.85, 1, 0.95, 1.05].map((f) => Math.round(p90Ms * f)),
    ...extra,
  };
}

/** A full report: 3 of 7 targets over budget, graph analysis with 5 projects' loop times. */
export function fullReport(): Report {
  const targets = [
    target('app:test', 96_000, { onCriticalPath: true }),
    target('lib-b:test', 72_000),
    target(HOSTILE_TASK, 31_000, { budgetMs: 20_000, failures: 3 }),
    target('app:build', 41_000, { onCriticalPath: true }),
    target('lib-a:test', 30_000),
    target('lib-b:build', 18_000, { onCriticalPath: true }),
    target('lib-a:build', 12_500, { onCriticalPath: true }),
  ];
  const path = [
    ['lib-a:build', 12_500],
    ['lib-b:build', 18_000],
    ['app:build', 41_000],
    ['app:test', 96_000],
  ] as const;
  const pathMs = path.reduce((sum, [, ms]) => sum + ms, 0);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    budgetMs: 60_000,
    loopBudgetMs: 60_000,
    invocations: 14,
    nestedRuns: 0,
    skippedRecords: 1,
    supersededTasks: 0,
    since: null,
    historyDir: '.sixty',
    targets,
    criticalPath: { tasks: path.map(([id, ms]) => ({ id, durationMs: ms, share: ms / pathMs })), durationMs: pathMs },
    simulation: { parallel: 3, predictedWallMs: 171_000, workerIdleMs: [0, 80_000, 120_000], ranAlone: ['app:test'] },
    loopTimes: [
      { project: 'lib-a', ms: 199_000, overBudget: true, taskCount: 8 },
      { project: 'lib-b', ms: 186_000, overBudget: true, taskCount: 5 },
      { project: 'app', ms: 137_000, overBudget: true, taskCount: 2 },
      { project: 'lib-c', ms: 40_000, overBudget: false, taskCount: 2 },
      { project: '<img src=x onerror=alert(2)>', ms: 9_000, overBudget: false, taskCount: 1 },
    ],
    violations: [
      { task: 'app:test', p90Ms: 96_000, budgetMs: 60_000, affectedBy: 3, loopCostMs: 108_000 },
      { task: 'lib-b:test', p90Ms: 72_000, budgetMs: 60_000, affectedBy: 2, loopCostMs: 24_000 },
      { task: HOSTILE_TASK, p90Ms: 31_000, budgetMs: 20_000, affectedBy: 1, loopCostMs: 11_000 },
    ],
    loopViolations: null,
    whatIf: [],
    analysisScope: 'measured',
    unmeasuredTasks: [],
    lastRunPrediction: null,
    analysisNote: null,
    lastRun: LAST_RUN,
  };
}

/** A report with history but no graph analysis (nx could not compute the task graph). */
export function reportWithoutAnalysis(): Report {
  return {
    ...fullReport(),
    criticalPath: null,
    simulation: null,
    loopTimes: null,
    violations: null,
    analysisNote: 'nx could not compute the task graph: project "ghost" not found',
    targets: fullReport().targets.map((t) => ({ ...t, onCriticalPath: false })),
  };
}

/** No runs recorded at all. */
export function emptyReport(): Report {
  return {
    ...fullReport(),
    invocations: 0,
    skippedRecords: 0,
    targets: [],
    criticalPath: null,
    simulation: null,
    loopTimes: null,
    violations: null,
    analysisNote: 'no recorded runs',
    lastRun: null,
  };
}
