import { describe, expect, it } from 'vitest';
import { rendererFor, REPORT_RENDERERS } from '../../src/report/renderers';
import { traceRenderer, type TraceEvent, type TraceFile } from '../../src/report/render-trace';
import { timelineOfRun } from '../../src/report/run-timeline';
import { emptyReport, fullReport, HOSTILE_TASK, LAST_RUN, run, task } from './report-fixtures';

const parse = (text: string): TraceFile => JSON.parse(text) as TraceFile;
const complete = (trace: TraceFile): TraceEvent[] => trace.traceEvents.filter((e) => e.ph === 'X');

describe('traceRenderer', () => {
  it('is registered as the "trace" format', () => {
    expect(rendererFor('trace')).toBe(traceRenderer);
    expect(REPORT_RENDERERS.map((r) => r.format)).toContain('trace');
  });

  it('writes one complete event per task of the last run, on the row (tid) of its worker', () => {
    const trace = parse(traceRenderer.render(fullReport()));
    expect(trace.displayTimeUnit).toBe('ms');
    const events = complete(trace);
    expect(events).toHaveLength(LAST_RUN.tasks.length);
    const rows = new Map(timelineOfRun(LAST_RUN).tasks.map((t) => [t.id, t.row]));
    for (const event of events) {
      expect(event.pid).toBe(1);
      expect(event.tid, event.name).toBe(rows.get(event.name)! + 1);
    }
    expect(new Set(events.map((e) => e.name))).toEqual(new Set(LAST_RUN.tasks.map((t) => t.id)));
  });

  it('names one thread per worker and the process after the command', () => {
    const trace = parse(traceRenderer.render(fullReport()));
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name');
    expect(names.map((e) => [e.tid, e.args.name])).toEqual([
      [1, 'worker 1'],
      [2, 'worker 2'],
      [3, 'worker 3'],
    ]);
    const tids = new Set(complete(trace).map((e) => e.tid));
    expect(tids).toEqual(new Set([1, 2, 3]));
    const processName = trace.traceEvents.find((e) => e.name === 'process_name')!;
    expect(processName.args.name).toBe(LAST_RUN.command);
  });

  it('gives times in microseconds from the start of the run, and the task facts as args', () => {
    const trace = parse(traceRenderer.render(fullReport()));
    const byName = new Map(complete(trace).map((e) => [e.name, e]));
    expect(byName.get('app:test')).toMatchObject({
      ts: 50_020_000,
      dur: 44_980_000,
      cat: 'executed',
      args: { status: 'success', cache: 'none', project: 'app', target: 'test', criticalPath: true, exitCode: 0 },
    });
    expect(byName.get('lib-c:build')).toMatchObject({ ts: 0, dur: 8_000_000, cat: 'remote-cache', args: { cache: 'remote', criticalPath: false } });
    expect(byName.get(HOSTILE_TASK)).toMatchObject({ args: { status: 'failure', exitCode: 1, project: '<script>alert(1)</script>' } });
    expect(byName.get('app:e2e')).toMatchObject({ dur: 0, args: { status: 'skipped' } });
  });

  it('keeps the configuration of a task', () => {
    const report = { ...fullReport(), lastRun: run([task('app:build:production', 0, 1500)]) };
    const [event] = complete(parse(traceRenderer.render(report)));
    expect(event!.args).toMatchObject({ project: 'app', target: 'build', configuration: 'production' });
  });

  it('writes a valid empty trace when no run is recorded', () => {
    expect(parse(traceRenderer.render(emptyReport()))).toEqual({ traceEvents: [], displayTimeUnit: 'ms', otherData: { skippedRecords: 0 } });
  });
});
