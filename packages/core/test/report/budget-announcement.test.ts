import { describe, expect, it } from 'vitest';
import { budgetAnnouncement, budgetBreaksOf, DEFAULT_OPTIONS } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

const START = Date.parse('2026-03-10T10:00:00Z');
const options = { ...DEFAULT_OPTIONS, budgets: { 'app:e2e': 120 } };

describe('budgetBreaksOf / budgetAnnouncement', () => {
  it('names the executed task over its budget, its p90, and the command that plans the fix: two lines', () => {
    const run = runRecord('r', START, [
      taskRecord('lib-c:test', 72_000, { endMs: START + 80_000 }),
      taskRecord('app:e2e', 100_000, { endMs: START + 100_000 }),
      taskRecord('lib-a:build', 500, { endMs: START + 1000 }),
    ], 100_000);
    const breaks = budgetBreaksOf(run, options, (task) => (task === 'lib-c:test' ? { p90Ms: 65_000, runs: 4 } : null));
    expect(breaks).toEqual([{ task: 'lib-c:test', configured: false, measuredMs: 72_000, budgetMs: 60_000, history: { p90Ms: 65_000, runs: 4 } }]);
    expect(budgetAnnouncement(breaks)).toEqual([
      '[sixty] over budget: lib-c:test took 1m 12s against its 1m 00s budget, p90 of 4 runs 1m 05s over too',
      '[sixty] plan the fix: sixty plan lib-c:test',
    ]);
  });

  it('lists several by overrun, at most three, and plans the worst', () => {
    const tasks = ['a:test', 'b:test', 'c:test', 'd:test'].map((id, index) => taskRecord(id, 61_000 + index * 10_000, { endMs: START + 100_000 }));
    const lines = budgetAnnouncement(budgetBreaksOf(runRecord('r', START, tasks, 100_000), options, (task) => (task === 'a:test' ? { p90Ms: 61_000, runs: 1 } : { p90Ms: 30_000, runs: 5 })));
    expect(lines).toEqual([
      '[sixty] 4 tasks over budget: d:test took 1m 31s against its 1m 00s budget, p90 of 5 runs 30.0s within; c:test took 1m 21s against its 1m 00s budget, p90 of 5 runs 30.0s within; b:test took 1m 11s against its 1m 00s budget, p90 of 5 runs 30.0s within (+1 more)',
      '[sixty] plan the fix: sixty plan d:test',
    ]);
  });

  it('says a first recorded run has no p90 yet, and nothing of the history when there is none', () => {
    const item = { task: 'x:test', configured: false, measuredMs: 61_000, budgetMs: 60_000 };
    expect(budgetAnnouncement([{ ...item, history: { p90Ms: 61_000, runs: 1 } }])[0]).toBe('[sixty] over budget: x:test took 1m 01s against its 1m 00s budget, its first recorded run');
    expect(budgetAnnouncement([{ ...item, history: null }])[0]).toBe('[sixty] over budget: x:test took 1m 01s against its 1m 00s budget');
  });

  it('plans the worst task sixty plan takes: a configured task is named but never printed as a plan command', () => {
    const run = runRecord('r', START, [
      taskRecord('app:build:production', 90_000, { endMs: START + 90_000 }),
      taskRecord('lib-c:test', 70_000, { endMs: START + 90_000 }),
    ], 90_000);
    expect(budgetAnnouncement(budgetBreaksOf(run, options))[1]).toBe('[sixty] plan the fix: sixty plan lib-c:test');
    const onlyConfigured = runRecord('r', START, [taskRecord('app:build:production', 90_000, { endMs: START + 90_000 })], 90_000);
    expect(budgetAnnouncement(budgetBreaksOf(onlyConfigured, options))).toEqual([
      '[sixty] over budget: app:build:production took 1m 30s against its 1m 00s budget',
      '[sixty] sixty report lists it; sixty plan takes a target without a configuration',
    ]);
  });

  it('is silent when nothing broke the budget and for cache hits and skipped tasks', () => {
    const run = runRecord('r', START, [
      taskRecord('lib-c:test', 90_000, { status: 'local-cache', endMs: START + 90_000 }),
      taskRecord('lib-d:test', 90_000, { status: 'skipped', endMs: START + 90_000 }),
      taskRecord('lib-a:build', 59_000, { endMs: START + 59_000 }),
    ], 90_000);
    expect(budgetAnnouncement(budgetBreaksOf(run, options))).toEqual([]);
  });
});
