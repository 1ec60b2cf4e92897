import { describe, expect, it } from 'vitest';
import { decideOutcome, overBudgetBefore, overBudgetOf, shardTargetsOf, timingsAfter, type BudgetedTarget, type OutcomeInput } from '@sixty/core';
import { checkResult, checkTask } from './dispatch-fixtures';

const BEFORE: BudgetedTarget[] = [
  { task: 'lib-a:test', p90Ms: 4500, budgetMs: 2000, executions: 3 },
  { task: 'lib-b:test', p90Ms: 4400, budgetMs: 2000, executions: 3 },
  { task: 'lib-a:build', p90Ms: 300, budgetMs: 2000, executions: 3 },
  { task: 'app:build', p90Ms: 0, budgetMs: 2000, executions: 0 },
];

describe('timingsAfter', () => {
  it('takes what the check executed, the recorded p90 for the rest, and skips targets never executed', () => {
    const check = checkResult({ tasks: [checkTask('lib-a:test', 400), checkTask('lib-a:build', 3, 'local'), checkTask('app:test', 900)] });
    expect(Object.fromEntries(timingsAfter({ before: BEFORE, check }))).toEqual({
      'lib-a:test': { ms: 400, budgetMs: 2000, source: 'check' },
      'lib-b:test': { ms: 4400, budgetMs: 2000, source: 'history' },
      'lib-a:build': { ms: 300, budgetMs: 2000, source: 'history' },
      'app:test': { ms: 900, budgetMs: 2000, source: 'check' },
    });
  });

  it('drops targets gone from the graph, and lets measured times win', () => {
    const timings = timingsAfter({
      before: BEFORE,
      check: checkResult({ tasks: [checkTask('lib-a:test', 4600)] }),
      tasksAfter: new Set(['lib-a:test', 'lib-a:build', 'lib-a:test--shard-1-of-2']),
      measured: new Map([
        ['lib-a:test', { ms: 1900, budgetMs: 2000 }],
        ['lib-a:test--shard-1-of-2', { ms: 1900, budgetMs: 2000 }],
      ]),
    });
    expect([...timings.keys()].sort()).toEqual(['lib-a:build', 'lib-a:test', 'lib-a:test--shard-1-of-2']);
    expect(timings.get('lib-a:test')).toEqual({ ms: 1900, budgetMs: 2000, source: 'check' });
  });

  it('lists the targets over budget before and after', () => {
    expect(overBudgetBefore(BEFORE)).toEqual(['lib-a:test', 'lib-b:test']);
    expect(overBudgetOf(timingsAfter({ before: BEFORE, check: checkResult() }))).toEqual(['lib-b:test']);
  });
});

describe('shardTargetsOf', () => {
  it('finds the shards of one target, in shard order', () => {
    const names = ['build', 'test', 'test--shard-10-of-10', 'test--shard-2-of-10', 'test--shard-1-of-10', 'test--sharded', 'e2e--shard-1-of-2', 'xtest--shard-1-of-2'];
    expect(shardTargetsOf(names, 'test')).toEqual(['test--shard-1-of-10', 'test--shard-2-of-10', 'test--shard-10-of-10']);
    expect(shardTargetsOf(names, 'build')).toEqual([]);
  });
});

function input(overrides: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    task: 'lib-a:test',
    agent: { exitCode: 0, timedOut: false, stalled: false },
    limits: { timeoutMs: 1_800_000, stallMs: 300_000 },
    check: checkResult(),
    checkError: null,
    taskAfter: { ms: 400, budgetMs: 2000, source: 'check' },
    overBudgetBefore: ['lib-a:test', 'lib-b:test'],
    overBudgetAfter: ['lib-b:test'],
    ...overrides,
  };
}

describe('decideOutcome', () => {
  it('passes a fix that fits, even with another target still over budget from before', () => {
    expect(decideOutcome(input())).toEqual({ outcome: 'passed', reason: 'lib-a:test fits its budget (400ms <= 2.0s); the affected tasks pass' });
  });

  it.each<[string, Partial<OutcomeInput>, string, string]>([
    ['a stall', { agent: { exitCode: null, timedOut: false, stalled: true } }, 'stalled', 'the agent wrote nothing for 5m 00s and was stopped'],
    ['a timeout', { agent: { exitCode: null, timedOut: true, stalled: false } }, 'timeout', 'the agent ran past its 30m 00s limit and was stopped'],
    ['a missing command', { agent: { exitCode: 127, timedOut: false, stalled: false } }, 'error', 'the agent command was not found (the shell exited 127)'],
    ['a command that cannot run', { agent: { exitCode: 126, timedOut: false, stalled: false } }, 'error', 'the agent command could not be executed (the shell exited 126: not executable?)'],
    ['an agent error', { agent: { exitCode: 3, timedOut: false, stalled: false } }, 'failed', 'the agent exited 3'],
    ['a check that could not run', { check: null, checkError: 'no nx.json' }, 'failed', 'sixty check could not run in the worktree: no nx.json'],
    [
      'a failed task',
      { check: checkResult({ ok: false, failures: [{ task: 'lib-a:test', excerpt: 'AssertionError', location: null, logFile: null }] }) },
      'failed',
      'lib-a:test failed',
    ],
    ['a task still slow', { taskAfter: { ms: 4500, budgetMs: 2000, source: 'check' } }, 'failed', 'lib-a:test is still over budget (took 4.5s > 2.0s)'],
    [
      'a task not run again',
      { taskAfter: { ms: 4500, budgetMs: 2000, source: 'history' } },
      'failed',
      'lib-a:test is still over budget (p90 4.5s, it did not run again > 2.0s)',
    ],
    ['a target newly over budget', { overBudgetAfter: ['app:test', 'lib-b:test'] }, 'failed', 'now over budget: app:test'],
  ])('%s', (_name, overrides, outcome, reason) => {
    expect(decideOutcome(input(overrides))).toEqual({ outcome, reason });
  });

  it('judges a sharded task by its parts', () => {
    const parts = [
      { task: 'lib-a:test--shard-1-of-2', ms: 1500, budgetMs: 2000, ok: true },
      { task: 'lib-a:test--shard-2-of-2', ms: 1800, budgetMs: 2000, ok: true },
    ];
    expect(decideOutcome(input({ parts, taskAfter: { ms: 1800, budgetMs: 2000, source: 'check' } }))).toEqual({
      outcome: 'passed',
      reason: 'lib-a:test runs as 2 shards, the slowest 1.8s <= 2.0s; the affected tasks pass',
    });
    expect(decideOutcome(input({ parts: [parts[0]!, { ...parts[1]!, ms: 2600 }] }))).toEqual({
      outcome: 'failed',
      reason: 'lib-a:test--shard-2-of-2 over budget (2.6s > 2.0s)',
    });
    expect(decideOutcome(input({ parts: [{ ...parts[0]!, ok: false }, parts[1]!] }))).toEqual({ outcome: 'failed', reason: 'lib-a:test--shard-1-of-2 failed' });
  });

  it('passes a task replaced by parts (gone from the graph)', () => {
    expect(decideOutcome(input({ taskAfter: null }))).toEqual({ outcome: 'passed', reason: 'lib-a:test was replaced by parts that fit their budgets; the affected tasks pass' });
  });
});
