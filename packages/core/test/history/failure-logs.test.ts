import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureLogSection, writeFailureLogs } from '@sixty/core';

let historyDir: string;
beforeEach(() => {
  historyDir = mkdtempSync(join(tmpdir(), 'sixty-failure-logs-'));
});
afterEach(() => rmSync(historyDir, { recursive: true, force: true }));

const failures = [
  { taskId: 'lib-a:test', output: 'running lib-a\nAssertionError: 3 !== 999\n' },
  { taskId: 'lib-b:build', output: 'one line, no newline' },
  { taskId: 'lib-c:test', output: '' },
];

describe('writeFailureLogs', () => {
  it('writes every failed task of a run into one file and gives each its exact lines', async () => {
    const locations = await writeFailureLogs(historyDir, 1_000, 'run/1', failures);

    const files = readdirSync(join(historyDir, 'logs'));
    expect(files).toEqual(['00000000001000-run_1.log']);
    const log = readFileSync(join(historyDir, 'logs', files[0]!), 'utf8');
    expect(locations.get('lib-a:test')).toEqual({ file: 'logs/00000000001000-run_1.log', lines: [2, 3] });
    expect(failureLogSection(log, locations.get('lib-a:test')!.lines)).toBe('running lib-a\nAssertionError: 3 !== 999');
    expect(failureLogSection(log, locations.get('lib-b:build')!.lines)).toBe('one line, no newline');
    expect(failureLogSection(log, locations.get('lib-c:test')!.lines)).toBe('');
    expect(log).toContain('==== sixty: output of failed task lib-b:build ====');
  });

  it('writes nothing when nothing failed', async () => {
    expect((await writeFailureLogs(historyDir, 1_000, 'run-1', [])).size).toBe(0);
    expect(() => readdirSync(join(historyDir, 'logs'))).toThrow();
  });

  it('keeps the newest 30 run logs and removes older ones, per-task folders of older versions too', async () => {
    mkdirSync(join(historyDir, 'logs', '00000000000001-legacy'), { recursive: true });
    writeFileSync(join(historyDir, 'logs', '00000000000001-legacy', 'lib-a_test.log'), 'old');
    writeFileSync(join(historyDir, 'logs', 'check-last.log'), 'sixty check keeps its own log here');
    for (let run = 0; run < 31; run++) await writeFailureLogs(historyDir, 10_000 + run, `run-${run}`, failures.slice(0, 1));

    const kept = readdirSync(join(historyDir, 'logs')).filter((name) => name !== 'check-last.log').sort();
    expect(readdirSync(join(historyDir, 'logs'))).toContain('check-last.log');
    expect(kept).toHaveLength(30);
    expect(kept[0]).toBe('00000000010001-run-1.log');
    expect(kept.at(-1)).toBe('00000000010030-run-30.log');
  });

  it('keeps only the tail of a huge output', async () => {
    const huge = `${'x'.repeat(300 * 1024)}\nthe failure at the end`;
    const locations = await writeFailureLogs(historyDir, 1, 'r', [{ taskId: 'a:test', output: huge }]);
    const log = readFileSync(join(historyDir, locations.get('a:test')!.file), 'utf8');
    expect(log.length).toBeLessThan(257 * 1024);
    expect(failureLogSection(log, locations.get('a:test')!.lines)).toMatch(/the failure at the end$/);
  });
});

describe('failureLogSection', () => {
  it('returns the whole log for a missing or hostile range', async () => {
    const log = 'a\nb\nc';
    for (const range of [undefined, null, [0, 2], [3, 2], [1.5, 2], ['1', '2'], [1], { 0: 1, 1: 2 }]) {
      expect(failureLogSection(log, range)).toBe(log);
    }
    expect(failureLogSection(log, [2, 3])).toBe('b\nc');
  });
});
