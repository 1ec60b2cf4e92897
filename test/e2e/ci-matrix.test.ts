import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, sixty, type SynthWorkspace } from './workspace';

interface Matrix {
  include: Array<{ job: string; tasks: string[]; estimatedMs: number; command: string }>;
}

describe('sixty ci-matrix', () => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    ws = createWorkspace({ projects: 6, files: 6, seed: 4, durations: ['lib-c:test=4.5'] });
    // a 3 s budget: lib-c:test is over it, so the plugin infers its shards from the baseline
    const nxJsonPath = join(ws.root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
    nxJson.plugins = [{ plugin: '@sixty/nx', options: { budgetSeconds: 3 } }];
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
    expect(nx(ws.root, ['run-many', '-t', 'test']).code).toBe(0);
    const baseline = sixty(ws.root, ['baseline']);
    expect(baseline.code, baseline.stderr).toBe(0);
    execFileSync('git', ['add', '-A'], { cwd: ws.root });
    execFileSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', 'commit', '-qm', 'baseline'], { cwd: ws.root });
  });
  afterAll(() => ws.remove());

  it('spreads the shards of an affected slow target over jobs that each fit the budget', () => {
    appendFileSync(join(ws.root, 'libs', 'lib-c', 'src', 'mod-1.js'), '// change\n');
    const result = sixty(ws.root, ['ci-matrix', '--target', 'test', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const matrix = JSON.parse(result.stdout) as Matrix;
    const tasks = matrix.include.flatMap((job) => job.tasks);
    const shardTasks = tasks.filter((t) => t.startsWith('lib-c:test--shard-'));
    expect(shardTasks.length).toBeGreaterThanOrEqual(2);
    expect(tasks).not.toContain('lib-c:test');
    expect(new Set(tasks).size).toBe(tasks.length);
    for (const job of matrix.include) expect(job.estimatedMs).toBeLessThanOrEqual(3000);

    // every shard named in the matrix is a real target nx knows
    const project = JSON.parse(nx(ws.root, ['show', 'project', 'lib-c', '--json']).stdout) as { targets: Record<string, unknown> };
    for (const task of shardTasks) expect(Object.keys(project.targets)).toContain(task.split(':')[1]);

    // and a job's command runs
    const job = matrix.include.find((j) => j.tasks.some((t) => t.startsWith('lib-c:test--shard-')))!;
    const run = nx(ws.root, job.command.replace(/^npx nx /, '').split(' && ')[0]!.split(' '));
    expect(run.code, run.stderr).toBe(0);
  });

  it('gives an empty matrix when nothing is affected', () => {
    execFileSync('git', ['checkout', '--', '.'], { cwd: ws.root });
    const result = sixty(ws.root, ['ci-matrix', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ include: [] });
  });
});
