import { describe, expect, it } from 'vitest';
import { attachNestedRuns, parentTaskFromEnv, topLevelRuns, type RunRecord } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

/** A run of `tasks` from startMs to endMs, nested in `parent` when given. */
function run(id: string, startMs: number, endMs: number, tasks: RunRecord['tasks'], parent?: RunRecord['parentTask']): RunRecord {
  return { ...runRecord(id, startMs, tasks, endMs - startMs), ...(parent ? { parentTask: parent } : {}) };
}

describe('parentTaskFromEnv', () => {
  it('reads the task nx gives its processes, and nothing outside a task', () => {
    expect(parentTaskFromEnv({ NX_TASK_TARGET_PROJECT: 'app', NX_TASK_TARGET_TARGET: 'e2e', NX_TASK_HASH: 'h1' })).toEqual({ id: 'app:e2e', hash: 'h1' });
    expect(parentTaskFromEnv({ NX_TASK_TARGET_PROJECT: 'app', NX_TASK_TARGET_TARGET: 'build', NX_TASK_TARGET_CONFIGURATION: 'production' })).toEqual({ id: 'app:build:production' });
    expect(parentTaskFromEnv({ NX_TASK_TARGET_PROJECT: 'app' })).toBeUndefined();
    expect(parentTaskFromEnv({})).toBeUndefined();
  });
});

describe('attachNestedRuns', () => {
  const deploy = { ...taskRecord('app:deploy', 420_000, { endMs: 430_000 }), hash: 'h-deploy' };
  const outer = run('outer', 9_000, 431_000, [taskRecord('lib:build', 1000, { endMs: 10_000 }), deploy]);

  it('attaches a run started inside a task to the run of that task (a nested run in a nested run to the outermost)', () => {
    const inner = run('inner', 20_000, 20_173, [taskRecord('app:build', 150, { endMs: 20_170 })], { id: 'app:deploy', hash: 'h-deploy' });
    const innermost = run('innermost', 20_010, 20_100, [taskRecord('lib:lint', 50, { endMs: 20_090 })], { id: 'app:build' });
    const runs = [outer, inner, innermost];
    expect(attachNestedRuns(runs)).toBe(2);
    expect(runs.map((r) => r.parentRunId)).toEqual([undefined, 'outer', 'outer']);
    expect(topLevelRuns(runs).map((r) => r.id)).toEqual(['outer']);
  });

  it('leaves a run whose parent task is not recorded, ran at another time or had another hash as a run of its own', () => {
    const orphan = run('orphan', 20_000, 20_100, [taskRecord('app:build', 90, { endMs: 20_090 })], { id: 'web:deploy' });
    const later = run('later', 500_000, 500_100, [taskRecord('app:build', 90, { endMs: 500_090 })], { id: 'app:deploy' });
    const otherHash = run('other', 20_000, 20_100, [taskRecord('app:build', 90, { endMs: 20_090 })], { id: 'app:deploy', hash: 'h-old' });
    const runs = [outer, orphan, otherHash, later];
    expect(attachNestedRuns(runs)).toBe(0);
    expect(topLevelRuns(runs)).toHaveLength(4);
  });

  it('trusts no parentRunId a history file carries', () => {
    const forged = { ...run('forged', 20_000, 20_100, [taskRecord('app:build', 90, { endMs: 20_090 })]), parentRunId: 'outer' };
    const runs = [outer, forged];
    attachNestedRuns(runs);
    expect(topLevelRuns(runs)).toHaveLength(2);
  });
});
