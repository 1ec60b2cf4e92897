import { describe, expect, it } from 'vitest';
import { isRunRecord, recordFromTaskResults, type TaskResultLike } from '@sixty/core';

const NOW = 1_700_000_000_000;

function result(id: string, status: string, startTime?: number, endTime?: number, code?: number): TaskResultLike {
  const [project, target, configuration] = id.split(':') as [string, string, string | undefined];
  return {
    task: {
      id,
      target: { project, target, ...(configuration ? { configuration } : {}) },
      hash: `hash-of-${id}`,
      ...(startTime !== undefined ? { startTime } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
    },
    status,
    ...(code !== undefined ? { code } : {}),
  };
}

function taskResults(...results: TaskResultLike[]): Record<string, TaskResultLike> {
  return Object.fromEntries(results.map((r) => [r.task.id, r]));
}

describe('recordFromTaskResults', () => {
  it('maps every nx status to its cache kind and keeps timings, hash and exit code', () => {
    const run = recordFromTaskResults(
      {
        id: 'inv-1',
        argv: ['/usr/bin/node', '/x/node_modules/.bin/nx', 'run-many', '-t', 'build'],
        startTime: 900,
        endTime: 9000,
        taskResults: taskResults(
          result('app:build', 'success', 1000, 3500, 0),
          result('app:test', 'failure', 1000, 1250, 1),
          result('lib:build', 'local-cache', 2000, 2010, 0),
          result('lib:lint', 'local-cache-kept-existing', 2000, 2003, 0),
          result('ui:build', 'remote-cache', 3000, 3400, 0),
          result('ui:test', 'skipped', 4000, 4000),
        ),
      },
      '22.7.12',
      NOW,
    );

    expect(run).toEqual({
      schemaVersion: 1,
      id: 'inv-1',
      nxVersion: '22.7.12',
      command: 'nx run-many -t build',
      startMs: 900,
      endMs: 9000,
      tasks: [
        { id: 'app:build', project: 'app', target: 'build', hash: 'hash-of-app:build', status: 'success', cache: 'none', startMs: 1000, endMs: 3500, durationMs: 2500, exitCode: 0 },
        { id: 'app:test', project: 'app', target: 'test', hash: 'hash-of-app:test', status: 'failure', cache: 'none', startMs: 1000, endMs: 1250, durationMs: 250, exitCode: 1 },
        { id: 'lib:build', project: 'lib', target: 'build', hash: 'hash-of-lib:build', status: 'local-cache', cache: 'local', startMs: 2000, endMs: 2010, durationMs: 10, exitCode: 0 },
        { id: 'lib:lint', project: 'lib', target: 'lint', hash: 'hash-of-lib:lint', status: 'local-cache-kept-existing', cache: 'local', startMs: 2000, endMs: 2003, durationMs: 3, exitCode: 0 },
        { id: 'ui:build', project: 'ui', target: 'build', hash: 'hash-of-ui:build', status: 'remote-cache', cache: 'remote', startMs: 3000, endMs: 3400, durationMs: 400, exitCode: 0 },
        { id: 'ui:test', project: 'ui', target: 'test', hash: 'hash-of-ui:test', status: 'skipped', cache: 'none', startMs: 4000, endMs: 4000, durationMs: 0, exitCode: null },
      ],
    });
    expect(isRunRecord(run)).toBe(true);
  });

  it('keeps the configuration of a task and omits it when there is none', () => {
    const run = recordFromTaskResults(
      { taskResults: taskResults(result('app:build:production', 'success', 10, 20, 0), result('app:build', 'success', 10, 30, 0)) },
      null,
      NOW,
    );
    expect(run.tasks[0]).toMatchObject({ id: 'app:build:production', project: 'app', target: 'build', configuration: 'production' });
    expect(run.tasks[1]).not.toHaveProperty('configuration');
  });

  it('treats an unknown status as a failure', () => {
    const run = recordFromTaskResults({ taskResults: taskResults(result('app:e2e', 'exploded', 100, 600, 137)) }, null, NOW);
    expect(run.tasks[0]).toMatchObject({ status: 'failure', cache: 'none', durationMs: 500, exitCode: 137 });
    expect(isRunRecord(run)).toBe(true);
  });

  it('keeps the stopped status as an uncached task', () => {
    const run = recordFromTaskResults({ taskResults: taskResults(result('app:serve', 'stopped', 100, 400)) }, null, NOW);
    expect(run.tasks[0]).toMatchObject({ status: 'stopped', cache: 'none', durationMs: 300, exitCode: null });
  });

  it('turns the argv after the nx binary into the command line', () => {
    const commandOf = (argv: string[] | undefined) =>
      recordFromTaskResults({ taskResults: {}, ...(argv ? { argv } : {}) }, null, NOW).command;
    expect(commandOf(['node', '/x/node_modules/.bin/nx', 'run-many', '-t', 'build'])).toBe('nx run-many -t build');
    expect(commandOf(['node', '/x/node_modules/nx/bin/nx.js', 'affected', '-t', 'test', '--base=main'])).toBe(
      'nx affected -t test --base=main',
    );
    expect(commandOf(['node', 'C:\\repo\\node_modules\\nx\\bin\\nx.js', 'run', 'app:build'])).toBe('nx run app:build');
    expect(commandOf(['node', '/x/node_modules/.bin/nx', 'run-many', '-p', 'nx'])).toBe('nx run-many -p nx');
    // no recognizable nx binary: drop [node, script]
    expect(commandOf(['node', '/x/other-runner', 'run', 'app:build'])).toBe('nx run app:build');
    expect(commandOf([])).toBe('nx');
    expect(commandOf(undefined)).toBe('nx');
  });

  it('derives the run span from its tasks when nx gives none, and from now when there are no timings', () => {
    const fromTasks = recordFromTaskResults(
      { taskResults: taskResults(result('a:build', 'success', 5000, 7000, 0), result('b:build', 'success', 4000, 6000, 0)) },
      null,
      NOW,
    );
    expect([fromTasks.startMs, fromTasks.endMs]).toEqual([4000, 7000]);

    const untimed = recordFromTaskResults({ taskResults: taskResults(result('a:build', 'success')) }, null, NOW);
    expect(untimed.tasks[0]).toMatchObject({ startMs: 0, endMs: 0, durationMs: 0 });
    expect([untimed.startMs, untimed.endMs]).toEqual([NOW, NOW]);
  });

  it('never records a negative duration', () => {
    const run = recordFromTaskResults({ taskResults: taskResults(result('a:build', 'success', 5000, 4000, 0)) }, null, NOW);
    expect(run.tasks[0]!.durationMs).toBe(0);
  });

  it('makes up an id starting with the start time when nx gives none', () => {
    const run = recordFromTaskResults({ startTime: 1234, taskResults: {} }, null, NOW);
    expect(run.id).toMatch(/^1234-[0-9a-z]+$/);
    expect(run.tasks).toEqual([]);
  });
});
