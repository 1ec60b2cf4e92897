import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, sixty, type SynthWorkspace, recordedRuns } from './workspace';

interface RecordedRun {
  startMs: number;
  endMs: number;
  tasks: Array<{ id: string; startMs: number; endMs: number }>;
}


/** What a user waits for: from the first task's start to the last task's end. */
const wallOf = (run: RecordedRun) => Math.max(...run.tasks.map((t) => t.endMs)) - Math.min(...run.tasks.map((t) => t.startMs));

interface ReportJson {
  criticalPath: { tasks: Array<{ id: string; durationMs: number; share: number }>; durationMs: number } | null;
  simulation: { parallel: number; predictedWallMs: number } | null;
  loopTimes: Array<{ project: string; ms: number; overBudget: boolean }> | null;
  whatIf: Array<{ task: string; parts: number; loopTimes: Array<{ project: string; beforeMs: number; afterMs: number }> }>;
  targets: Array<{ task: string; onCriticalPath: boolean }>;
}

describe('graph analysis on a workspace with known task durations', () => {
  let ws: SynthWorkspace;
  /** Per parallel level: the run's measured wall time and the prediction from that run's durations. */
  const measured = new Map<number, { wallMs: number; predictedMs: number }>();
  beforeAll(() => {
    // generous sleeps so nx's own per-task overhead is small against the work
    ws = createWorkspace({
      projects: 6,
      files: 2,
      seed: 13,
      git: false,
      durations: ['lib-a:build=1.5', 'lib-b:build=1', 'lib-c:build=1.2', 'lib-d:build=1', 'app-a:build=1', 'app-b:build=1.4', 'lib-c:test=4', 'app-a:test=1.5'],
    });
    for (const parallel of [1, 2, 4]) {
      const since = new Date().toISOString();
      const result = nx(ws.root, ['run-many', '-t', 'build', 'test', `--parallel=${parallel}`, '--skip-nx-cache']);
      expect(result.code, result.stderr).toBe(0);
      // The task durations are known from the run itself (--since its start, before the next
      // run): this checks the scheduling model (Nx's order, N workers), not run-to-run variance.
      const report = sixty(ws.root, ['report', '--json', '--targets', 'build,test', '--parallel', String(parallel), '--since', since]);
      expect(report.code, report.stderr).toBe(0);
      const predictedMs = (JSON.parse(report.stdout) as ReportJson).simulation!.predictedWallMs;
      measured.set(parallel, { wallMs: wallOf(recordedRuns<RecordedRun>(ws.root).at(-1)!), predictedMs });
    }
  }, 300_000);
  afterAll(() => ws.remove());

  it.each([1, 2, 4])('predicts the wall time of run-many --parallel %i within 15 percent', (parallel) => {
    const { wallMs: actual, predictedMs: predicted } = measured.get(parallel)!;
    const error = Math.abs(predicted - actual) / actual;
    expect(error, `predicted ${predicted} ms, measured ${actual} ms`).toBeLessThanOrEqual(0.15);
  });

  it('reports the critical path, loop time per project and a what-if', () => {
    const result = sixty(ws.root, ['report', '--json', '--targets', 'build,test', '--what-if', 'lib-c:test=4']);
    const report = JSON.parse(result.stdout) as ReportJson;
    const path = report.criticalPath!;
    expect(path.tasks.length).toBeGreaterThan(0);
    expect(path.durationMs).toBe(path.tasks.reduce((sum, t) => sum + t.durationMs, 0));
    expect(report.targets.filter((t) => t.onCriticalPath).map((t) => t.task).sort()).toEqual(path.tasks.map((t) => t.id).sort());
    expect(report.loopTimes!.map((l) => l.project).sort()).toEqual(ws.projects.map((p) => p.name).sort());
    const whatIf = report.whatIf[0]!;
    expect(whatIf).toMatchObject({ task: 'lib-c:test', parts: 4 });
    // lib-c:test (4 s) bounds the loop of a change in lib-c: a 4-way split shortens it
    const libC = whatIf.loopTimes.find((l) => l.project === 'lib-c');
    expect(libC, JSON.stringify(whatIf)).toBeDefined();
    expect(libC!.afterMs).toBeLessThan(libC!.beforeMs);
    for (const loop of whatIf.loopTimes) expect(loop.afterMs).toBeLessThanOrEqual(loop.beforeMs);

    const text = sixty(ws.root, ['report', '--targets', 'build,test']);
    expect(text.stdout).toMatch(/^critical path \S+: /m);
    expect(text.stdout).toMatch(/^predicted wall time of every analysed task at --parallel 3: /m);
    expect(text.stdout).toMatch(/^loop time of a change, slowest first: /m);
  });

  it('writes a Chrome trace with one event per task of the last run, and an html report', () => {
    const last = recordedRuns<RecordedRun>(ws.root).at(-1)!;
    const trace = sixty(ws.root, ['report', '--format', 'trace', '--out', 'trace.json']);
    expect(trace.code).toBe(0);
    expect(trace.stdout).toContain('wrote trace report to');
    const events = (JSON.parse(readFileSync(join(ws.root, 'trace.json'), 'utf8')) as { traceEvents: Array<{ ph: string; name: string }> }).traceEvents;
    const complete = events.filter((e) => e.ph === 'X');
    expect(complete.map((e) => e.name).sort()).toEqual(last.tasks.map((t) => t.id).sort());

    const html = sixty(ws.root, ['report', '--format', 'html', '--out', 'report.html']);
    expect(html.code).toBe(0);
    const page = readFileSync(join(ws.root, 'report.html'), 'utf8');
    expect(page.match(/<rect class="bar[^"]*" data-task=/g)).toHaveLength(last.tasks.length);
    expect(page).not.toMatch(/https?:\/\//);
  });
});
