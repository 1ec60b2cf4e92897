import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRun, computeTargetStats, readDecompositions, readHistory, recordDecomposition, withoutSupersededTasks } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

let historyDir: string;
beforeEach(() => {
  historyDir = mkdtempSync(join(tmpdir(), 'sixty-decompositions-'));
});
afterEach(() => rmSync(historyDir, { recursive: true, force: true }));

const APPLIED = 2_000_000;
// before the plan: lib-f:build 12 s and lib-c:test 15 s; after it: lib-f:build is a 0.1 s facade
const before = runRecord('before', APPLIED - 100_000, [
  taskRecord('lib-f:build', 12_000, { endMs: APPLIED - 80_000 }),
  taskRecord('lib-f:test', 500, { endMs: APPLIED - 79_000 }),
  taskRecord('lib-c:test', 15_000, { endMs: APPLIED - 70_000 }),
  taskRecord('lib-c:build', 300, { endMs: APPLIED - 60_000 }),
]);
const after = runRecord('after', APPLIED + 10_000, [
  taskRecord('lib-f:build', 100, { endMs: APPLIED + 11_000 }),
  taskRecord('lib-f-part-1:build', 3_000, { endMs: APPLIED + 14_000 }),
]);

describe('withoutSupersededTasks', () => {
  it('leaves out every task of a split project from before the split, nothing after and nothing of other projects', async () => {
    const decompositions = [{ task: 'lib-f:build', planSha256: 'a', appliedAtMs: APPLIED }];
    const { runs, superseded } = withoutSupersededTasks([before, after], decompositions);
    expect(superseded).toBe(2);
    expect(runs.map((run) => run.tasks.map((task) => task.id))).toEqual([['lib-c:test', 'lib-c:build'], ['lib-f:build', 'lib-f-part-1:build']]);
    expect(computeTargetStats(runs).find((s) => s.task === 'lib-f:build')!.p90Ms).toBe(100);
  });

  it('drops a run none of whose tasks is left, and changes nothing without decompositions', async () => {
    const only = runRecord('only', 0, [taskRecord('lib-f:build', 12_000, { endMs: 12_000 })]);
    expect(withoutSupersededTasks([only], [{ task: 'lib-f:build', planSha256: 'a', appliedAtMs: APPLIED }])).toEqual({ runs: [], superseded: 1 });
    expect(withoutSupersededTasks([before, after], [])).toEqual({ runs: [before, after], superseded: 0 });
  });
});

describe('recordDecomposition and readHistory', () => {
  it('leaves superseded records out of the history from the moment a plan is applied, unless asked to keep them', async () => {
    await appendRun(historyDir, before);
    await appendRun(historyDir, after);
    expect(readHistory(historyDir).supersededTasks).toBe(0);

    recordDecomposition(historyDir, { task: 'lib-f:build', planSha256: 'a', appliedAtMs: APPLIED });
    const history = readHistory(historyDir);
    expect(history.supersededTasks).toBe(2);
    expect(history.runs.flatMap((run) => run.tasks.map((task) => task.id))).toEqual(['lib-c:test', 'lib-c:build', 'lib-f:build', 'lib-f-part-1:build']);
    expect(readHistory(historyDir, { keepSuperseded: true }).runs.flatMap((run) => run.tasks)).toHaveLength(6);
  });

  it('keeps the first time of a plan applied twice, and the newer plan of a task planned again', async () => {
    recordDecomposition(historyDir, { task: 'lib-f:build', planSha256: 'a', appliedAtMs: 1 });
    recordDecomposition(historyDir, { task: 'lib-f:build', planSha256: 'a', appliedAtMs: 2 });
    recordDecomposition(historyDir, { task: 'lib-c:test', planSha256: 'b', appliedAtMs: 3 });
    expect(readDecompositions(historyDir).map((d) => [d.task, d.appliedAtMs])).toEqual([
      ['lib-f:build', 1],
      ['lib-c:test', 3],
    ]);
    recordDecomposition(historyDir, { task: 'lib-f:build', planSha256: 'c', appliedAtMs: 4 });
    expect(readDecompositions(historyDir).map((d) => [d.task, d.planSha256, d.appliedAtMs])).toEqual([
      ['lib-c:test', 'b', 3],
      ['lib-f:build', 'c', 4],
    ]);
    expect(JSON.parse(readFileSync(join(historyDir, 'decompositions.json'), 'utf8')).schemaVersion).toBe(1);
  });

  it('reads a corrupt or hostile file as no decompositions, so nothing is ever hidden by it', async () => {
    for (const text of ['{not json', '[]', '{"decompositions":{"a":1}}', '{"decompositions":[{"task":"x","planSha256":"a","appliedAtMs":1},{"task":"a:b","planSha256":7,"appliedAtMs":1},{"task":"a:b","planSha256":"a","appliedAtMs":"1"}]}']) {
      writeFileSync(join(historyDir, 'decompositions.json'), text);
      expect(readDecompositions(historyDir)).toEqual([]);
    }
    writeFileSync(join(historyDir, 'decompositions.json'), '{"decompositions":[{"task":"a:b","planSha256":"a","appliedAtMs":5,"__proto__":{"x":1}}]}');
    expect(readDecompositions(historyDir).map((d) => d.task)).toEqual(['a:b']);
  });
});
