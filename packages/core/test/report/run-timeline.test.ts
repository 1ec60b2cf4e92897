import { describe, expect, it } from 'vitest';
import { timelineOfRun } from '../../src/report/run-timeline';
import { LAST_RUN, run, RUN_START_MS, task } from './report-fixtures';

/** [id, row, startMs, endMs] per task, in timeline order. */
const placements = (timeline: ReturnType<typeof timelineOfRun>): Array<[string, number, number, number]> =>
  timeline.tasks.map((t) => [t.id, t.row, t.startMs, t.endMs]);

describe('timelineOfRun', () => {
  it('gives an empty timeline for a run without tasks', () => {
    expect(timelineOfRun(run([], 1500))).toEqual({ wallMs: 1500, rows: 0, tasks: [], criticalPath: [] });
  });

  it('puts a serial chain on one row, times relative to the run start, all on the critical path', () => {
    const timeline = timelineOfRun(run([task('c:build', 3000, 3500), task('a:build', 0, 1000), task('b:build', 1000, 3000)], 3600));
    expect(timeline.wallMs).toBe(3600);
    expect(timeline.rows).toBe(1);
    expect(placements(timeline)).toEqual([
      ['a:build', 0, 0, 1000],
      ['b:build', 0, 1000, 3000],
      ['c:build', 0, 3000, 3500],
    ]);
    expect(timeline.criticalPath).toEqual(['a:build', 'b:build', 'c:build']);
    expect(timeline.tasks.every((t) => t.critical)).toBe(true);
  });

  it('partitions overlapping tasks into the fewest rows, each task on the lowest free row', () => {
    // at most two tasks overlap, so two rows, although four tasks run
    const timeline = timelineOfRun(
      run([task('a:t', 0, 10), task('b:t', 0, 5), task('c:t', 5, 12), task('d:t', 10, 20)]),
    );
    expect(timeline.rows).toBe(2);
    expect(placements(timeline)).toEqual([
      ['b:t', 0, 0, 5],
      ['a:t', 1, 0, 10],
      ['c:t', 0, 5, 12],
      ['d:t', 1, 10, 20],
    ]);
  });

  it('uses as many rows as tasks that run at the same time', () => {
    const wide = Array.from({ length: 6 }, (_, i) => task(`p${i}:test`, i * 10, 1000));
    const timeline = timelineOfRun(run(wide));
    expect(timeline.rows).toBe(6);
    expect(timeline.tasks.map((t) => t.row)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('walks the critical path back from the last-ending task through the tasks each one waited for', () => {
    const timeline = timelineOfRun(
      run([
        task('lib:build', 0, 2000),
        task('lib:lint', 0, 500),
        task('lib:test', 2000, 3000),
        task('app:build', 2000, 5000),
        task('app:test', 5000, 9000),
      ]),
    );
    expect(timeline.rows).toBe(2);
    expect(timeline.criticalPath).toEqual(['lib:build', 'app:build', 'app:test']);
    expect(timeline.tasks.filter((t) => t.critical).map((t) => t.id)).toEqual(['lib:build', 'app:build', 'app:test']);
  });

  it('accepts a predecessor that ended within the tolerance after the task started, not later', () => {
    const tasks = [task('a:build', 0, 1030), task('b:build', 0, 1080), task('c:build', 1000, 2000)];
    expect(timelineOfRun(run(tasks)).criticalPath).toEqual(['a:build', 'c:build']);
    expect(timelineOfRun(run(tasks), { toleranceMs: 100 }).criticalPath).toEqual(['b:build', 'c:build']);
    expect(timelineOfRun(run(tasks), { toleranceMs: 0 }).criticalPath).toEqual(['c:build']);
  });

  it('follows a gap back to the latest task that ended before', () => {
    // nothing ran between 1 s and 4 s (e.g. nx hashing): the chain still reaches a:build
    expect(timelineOfRun(run([task('a:build', 0, 1000), task('b:build', 4000, 6000)])).criticalPath).toEqual(['a:build', 'b:build']);
  });

  it('prefers the predecessor on the same row when two ended at the same time', () => {
    const timeline = timelineOfRun(run([task('a:y', 0, 1000), task('b:x', 0, 1000), task('c:z', 1000, 2000)]));
    expect(placements(timeline)).toEqual([
      ['a:y', 0, 0, 1000],
      ['b:x', 1, 0, 1000],
      ['c:z', 0, 1000, 2000],
    ]);
    expect(timeline.criticalPath).toEqual(['a:y', 'c:z']);
  });

  it('places the fixture run on three workers with the expected critical path', () => {
    const timeline = timelineOfRun(LAST_RUN);
    expect(timeline.rows).toBe(3);
    expect(timeline.wallMs).toBe(95_000);
    expect(timeline.criticalPath).toEqual(['lib-a:build', 'lib-b:build', 'app:build', 'app:test']);
    const skipped = timeline.tasks.find((t) => t.id === 'app:e2e')!;
    expect([skipped.startMs, skipped.endMs, skipped.status, skipped.cache]).toEqual([61_000, 61_000, 'skipped', 'none']);
  });

  it('measures from the earliest task when a task starts before the recorded run start', () => {
    const early = run([task('a:build', -500, 1000)], 1000);
    const timeline = timelineOfRun(early);
    expect(timeline.wallMs).toBe(1500);
    expect(placements(timeline)).toEqual([['a:build', 0, 0, 1500]]);
  });

  it('draws a task whose end precedes its start as an instant', () => {
    const broken = { ...task('a:build', 1000, 2000), endMs: RUN_START_MS + 900 };
    const timeline = timelineOfRun(run([broken], 2000));
    expect(placements(timeline)).toEqual([['a:build', 0, 1000, 1000]]);
  });

  it('rejects a negative tolerance with a message naming the option', () => {
    expect(() => timelineOfRun(run([]), { toleranceMs: -1 })).toThrow(/options\.toleranceMs/);
  });

  it('handles a long serial run quickly', () => {
    const serial = Array.from({ length: 20_000 }, (_, i) => task(`p${i}:build`, i * 10, i * 10 + 10));
    const started = performance.now();
    const timeline = timelineOfRun(run(serial));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(timeline.rows).toBe(1);
    expect(timeline.criticalPath).toHaveLength(20_000);
  });
});
