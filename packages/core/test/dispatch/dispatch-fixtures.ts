// Hand-built dispatch records and check results with known answers.
import type { CheckResult, CheckTask, DispatchRecord } from '@sixty/core';

export function checkTask(task: string, durationMs: number, cache: CheckTask['cache'] = 'none', budgetMs = 2000): CheckTask {
  const status = cache === 'none' ? 'success' : 'local-cache';
  return { task, status, cache, durationMs, budgetMs, overBudget: cache === 'none' && durationMs > budgetMs };
}

export function checkResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    schemaVersion: 1,
    ok: true,
    strict: true,
    base: 'a'.repeat(40),
    baseRef: 'main',
    baseSource: 'default branch',
    head: null,
    changedFiles: 3,
    targets: ['build', 'test'],
    affectedProjects: ['app', 'lib-a'],
    uncoveredFiles: [],
    tasks: [checkTask('lib-a:test', 400), checkTask('lib-a:build', 3, 'local'), checkTask('app:build', 2, 'local')],
    failures: [],
    overBudget: [],
    wallMs: 2100,
    nxExitCode: 0,
    note: null,
    ...overrides,
  };
}

export function dispatchRecord(overrides: Partial<DispatchRecord> = {}): DispatchRecord {
  return {
    schemaVersion: 1,
    id: 'lib-a-test-1a2b3c',
    task: 'lib-a:test',
    ticket: '/tmp/wt/ws/docs/exec-plans/lib-a-test-2026-11-25.md',
    ticketSource: 'plan-ticket',
    branch: 'sixty/lib-a-test-1a2b3c',
    worktree: '/tmp/sixty-dispatch-x/ws',
    worktreeKept: false,
    base: 'a'.repeat(40),
    baseDirty: false,
    startedAt: '2026-11-25T10:00:00.000Z',
    finishedAt: '2026-11-25T10:00:14.000Z',
    ms: 14_000,
    budgetMs: 2000,
    agent: {
      command: 'node agent.mjs',
      exitCode: 0,
      signal: null,
      ms: 1200,
      timedOut: false,
      stalled: false,
      logFile: '.sixty/dispatch/lib-a-test-1a2b3c.agent.log',
      lastOutput: 'done',
    },
    filesChanged: ['docs/tech-debt-tracker.md', 'libs/lib-a/test/mod-1.test.js'],
    commit: 'b'.repeat(40),
    patchFile: '.sixty/dispatch/lib-a-test-1a2b3c.patch',
    check: checkResult(),
    overBudgetBefore: ['lib-a:test', 'lib-b:test'],
    overBudgetAfter: ['lib-b:test'],
    taskMsBefore: 4500,
    taskMsAfter: 400,
    loopTimeBefore: 4600,
    loopTimeAfter: 1100,
    parts: [],
    trackerUpdated: true,
    outcome: 'passed',
    reason: 'lib-a:test fits its budget (400ms <= 2.0s); the affected tasks pass',
    notes: [],
    ...overrides,
  };
}
