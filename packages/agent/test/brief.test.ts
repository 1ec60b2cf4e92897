import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSixtyError, planLocally, validatePlan } from '@sixty/core';
import { buildBrief, coChangeClusters, importCycles } from '../src/index';
import { FILES, shardInput, splitInput, TESTS } from './fixtures';

const facts = (user: string): Record<string, unknown> => JSON.parse(user) as Record<string, unknown>;

describe('the brief', () => {
  it('is the same bytes for the same inputs, and says what the shard plan must satisfy', () => {
    const input = shardInput();
    const local = planLocally(input);
    const brief = buildBrief(input, local, { maxBriefBytes: 256 * 1024 });
    expect(buildBrief(shardInput(), planLocally(shardInput()), { maxBriefBytes: 256 * 1024 })).toEqual(brief);
    expect(brief.sha256).toBe(createHash('sha256').update(brief.text).digest('hex'));
    expect(brief.text).toBe(`${brief.system}\n\n${brief.user}\n`);
    expect(brief.bytes).toBe(Buffer.byteLength(brief.text));
    expect(brief.omitted).toEqual([]);

    expect(brief.system).toContain('- "schemaVersion" is 1, "kind" is "shard", "task" is exactly "lib-a:test", "budgetMs" is exactly 60000, "source" is "agent".');
    expect(brief.system).toContain('Shards are named shard-<i>-of-<n>');
    expect(brief.system).toContain('The Plan JSON Schema:\n{"type":"object"');
    expect(facts(brief.user)).toEqual({
      target: { task: 'lib-a:test', kind: 'shard', project: 'lib-a', projectRoot: 'libs/a', budgetMs: 60000, p90Ms: 90000, overBudgetMs: 30000, executions: 4 },
      files: {
        note: 'every file the plan must place; measured: 1 when costMs comes from a JUnit report',
        columns: ['path', 'bytes', 'costMs', 'measured', 'test'],
        rows: [
          [TESTS[0], 1000, 30000, 1, 1],
          [TESTS[1], 1001, 25000, 1, 1],
          [TESTS[2], 1002, 20000, 1, 1],
          [TESTS[3], 1003, 15000, 1, 1],
        ],
      },
      localPlan: local,
      localPlanFigures: { parts: 2, slowestPartMs: 45000, gainMs: 45000, cutEdges: null },
    });
  });

  it('gives a split the condensed import graph, co-change clusters, existing projects and the local plan', () => {
    const input = splitInput();
    const local = planLocally(input);
    const user = facts(buildBrief(input, local, { maxBriefBytes: 256 * 1024 }).user);
    expect(Object.keys(user)).toEqual(['target', 'files', 'importCycles', 'imports', 'entryPoints', 'publicModules', 'coChangeClusters', 'existingProjects', 'localPlan', 'localPlanFigures']);
    expect(user.imports).toEqual({
      columns: ['from', 'to', 'kind'],
      rows: [
        [FILES.index, FILES.one, ''],
        [FILES.index, FILES.three, ''],
        [FILES.test, FILES.one, ''],
        [FILES.three, FILES.two, ''],
        [FILES.two, FILES.one, ''],
      ],
    });
    expect(user.importCycles).toEqual([]);
    expect(user.publicModules).toEqual([FILES.one, FILES.three]);
    expect(user.coChangeClusters).toEqual({
      commitsRead: 7,
      clusters: [
        { files: [FILES.one, FILES.test], weight: 3 },
        { files: [FILES.two, FILES.three], weight: 2 },
      ],
    });
    expect(user.existingProjects).toEqual(['lib-a', 'lib-b']);
    expect(user.localPlan).toEqual(local);
  });

  it('lists the local plan\'s problems when it is not valid', () => {
    const input = shardInput();
    const local = { ...planLocally(input), budgetMs: 1 };
    const localValidation = validatePlan(local, input.validation);
    const user = facts(buildBrief(input, local, { maxBriefBytes: 256 * 1024, localValidation }).user);
    expect(user.localPlanProblems).toEqual(localValidation.problems);
    expect(localValidation.problems.length).toBeGreaterThan(0);
  });

  it('drops sections in a fixed order to fit its cap, says so, and fails when even the shortest form does not fit', () => {
    const input = splitInput();
    const local = planLocally(input);
    const sources = [{ path: FILES.one, bytes: 9000, text: 'y'.repeat(9000), truncated: false }];
    const full = buildBrief(input, local, { maxBriefBytes: 256 * 1024, sources });
    expect(full.sourceFiles).toBe(1);
    const withoutSources = buildBrief(input, local, { maxBriefBytes: full.bytes - 1, sources });
    expect(withoutSources.omitted).toEqual([`file contents, to fit the ${Math.ceil((full.bytes - 1) / 1024)} KB cap`]);
    expect(withoutSources.sourceFiles).toBe(0);
    expect(withoutSources.text).not.toContain('yyyy');
    expect(facts(withoutSources.user).omitted).toEqual(withoutSources.omitted);

    const smallest = buildBrief(input, local, { maxBriefBytes: 1 << 30 });
    let error: unknown;
    try {
      buildBrief(input, local, { maxBriefBytes: 1024 });
    } catch (caught) {
      error = caught;
    }
    expect(isSixtyError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^the agent brief for lib-a:build is \d+ KB even in its shortest form, over the 1 KB cap$/);
    expect(smallest.omitted).toEqual([]);
  });
});

describe('graph summaries', () => {
  it('finds import cycles as sorted groups', () => {
    const edge = (from: string, to: string) => ({ from, to, typeOnly: false, dynamic: false });
    expect(importCycles(['a', 'b', 'c', 'd'], [edge('a', 'b'), edge('b', 'a'), edge('c', 'd'), edge('d', 'd')])).toEqual([['a', 'b']]);
  });

  it('clusters files changed together at least twice, heaviest first', () => {
    const clusters = coChangeClusters({
      pairs: [
        { a: 'a', b: 'b', weight: 2 },
        { a: 'b', b: 'c', weight: 5 },
        { a: 'd', b: 'e', weight: 9 },
        { a: 'f', b: 'g', weight: 1 },
      ],
      commitsUsed: 10,
      commitsSkipped: 0,
    });
    expect(clusters).toEqual([
      { files: ['d', 'e'], weight: 9 },
      { files: ['a', 'b', 'c'], weight: 7 },
    ]);
  });
});
