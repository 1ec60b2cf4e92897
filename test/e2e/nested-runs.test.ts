// Runs as nx counts them: an nx task whose command runs nx again belongs to the run of that task,
// and a run that failed before doing its work is a failure, not a duration sample. Real nx (22 and
// the newest) on small synthetic workspaces.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, sixty, type SynthWorkspace, recordedRuns } from './workspace';

interface RecordedRun {
  id: string;
  command: string;
  parentTask?: { id: string; hash?: string };
  tasks: Array<{ id: string; hash?: string; status: string }>;
}


/** Adds (or replaces) a target of a synthetic project. */
function setTarget(root: string, projectRoot: string, name: string, target: Record<string, unknown>): void {
  const file = join(root, projectRoot, 'project.json');
  const project = JSON.parse(readFileSync(file, 'utf8')) as { targets: Record<string, unknown> };
  project.targets[name] = target;
  writeFileSync(file, JSON.stringify(project, null, 2));
}

interface ReportJson {
  invocations: number;
  nestedRuns: number;
  lastRunId: string | null;
  targets: Array<{ task: string; executions: number; failures: number; earlyFailures: number; p50Ms: number }>;
}

function report(root: string): ReportJson {
  const result = sixty(root, ['report', '--json', '--no-graph']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ReportJson;
}

describe.each(['workspace', 'latest'] as const)('an nx task that runs nx again (nx %s)', (nxPackage) => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    ws = createWorkspace({ projects: 2, files: 1, seed: 3, git: false, nx: nxPackage });
    // lib-b:deploy runs `nx run lib-a:build` itself, as release and e2e targets often do
    setTarget(ws.root, 'libs/lib-b', 'deploy', { command: 'node node_modules/nx/dist/bin/nx.js run lib-a:build --skip-nx-cache' });
    const result = nx(ws.root, ['run', 'lib-b:deploy']);
    expect(result.code, result.stderr).toBe(0);
  });
  afterAll(() => ws.remove());

  it('is recorded with the task it was started from, and counted as part of that run', () => {
    const runs = recordedRuns<RecordedRun>(ws.root);
    expect(runs).toHaveLength(2);
    const outer = runs.find((run) => run.tasks.some((task) => task.id === 'lib-b:deploy'))!;
    const inner = runs.find((run) => run !== outer)!;
    expect(outer.parentTask).toBeUndefined();
    expect(inner.tasks.map((task) => task.id)).toEqual(['lib-a:build']);
    expect(inner.parentTask).toEqual({ id: 'lib-b:deploy', hash: outer.tasks.find((task) => task.id === 'lib-b:deploy')!.hash });

    const json = report(ws.root);
    expect(json).toMatchObject({ invocations: 1, nestedRuns: 1, lastRunId: outer.id });
    // the nested task really executed: it still counts in its target's statistics
    expect(json.targets.find((target) => target.task === 'lib-a:build')).toMatchObject({ executions: 1 });
    const text = sixty(ws.root, ['report', '--no-graph']);
    expect(text.stdout).toContain('1 recorded run, ');
    expect(text.stdout).toContain('note: 1 nx run was started from inside a task of another run');
  });
});

describe('a run that failed before doing its work', () => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    ws = createWorkspace({ projects: 1, files: 2, seed: 3, git: false, durations: ['lib-a:test=2'] });
  });
  afterAll(() => ws.remove());

  it('counts as a failure, not as a duration: p50 stays the real time', () => {
    const passing = nx(ws.root, ['run', 'lib-a:test']);
    expect(passing.code, passing.stderr).toBe(0);
    // a configuration error: the test command cannot start
    const file = join(ws.root, 'libs/lib-a/project.json');
    const project = readFileSync(file, 'utf8');
    setTarget(ws.root, 'libs/lib-a', 'test', { command: 'node --test --no-such-flag', options: { cwd: 'libs/lib-a' } });
    const broken = nx(ws.root, ['run', 'lib-a:test']);
    expect(broken.code).toBe(1);
    writeFileSync(file, project);

    const runs = recordedRuns<RecordedRun>(ws.root);
    expect(runs.map((run) => run.tasks[0]!.status)).toEqual(['success', 'failure']);
    const stats = report(ws.root).targets.find((target) => target.task === 'lib-a:test')!;
    expect(stats).toMatchObject({ executions: 1, failures: 1, earlyFailures: 1 });
    expect(stats.p50Ms).toBeGreaterThanOrEqual(2000);
  });
});
