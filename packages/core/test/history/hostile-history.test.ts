import { describe, expect, it } from 'vitest';
import { buildReport, DEFAULT_OPTIONS, formatDuration, parseHistoryText, REPORT_RENDERERS, type HistoryReadResult } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

const START = Date.parse('2026-03-10T10:00:00Z');
const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(runRecord('good', START, [taskRecord('app:build', 2000, { endMs: START + 2500 })], 3000)));
const withRun = (change: Record<string, unknown>) => ({ ...good(), ...change });
const withTask = (change: Record<string, unknown>) => {
  const run = good();
  return { ...run, tasks: [{ ...(run.tasks as Array<Record<string, unknown>>)[0], ...change }] };
};
const huge = 'x'.repeat(2_000_000);

/** Damaged records, as a probe found them or as a crashed writer or an editor could leave them. */
const CORRUPT: Array<[string, unknown]> = [
  ['command is an object', withRun({ command: { a: 1 } })],
  ['command is missing', withRun({ command: undefined })],
  ['startMs 1e308', withRun({ startMs: 1e308 })],
  ['startMs -1e308, endMs 1e308', withRun({ startMs: -1e308, endMs: 1e308 })],
  ['startMs a string', withRun({ startMs: '2026-03-10' })],
  ['startMs null (NaN written by JSON.stringify)', withRun({ startMs: null })],
  ['endMs before startMs', withRun({ endMs: START - 1 })],
  ['a run of 400 days', withRun({ endMs: START + 400 * 86_400_000 })],
  ['id a number', withRun({ id: 42 })],
  ['id a huge string', withRun({ id: huge })],
  ['command a huge string', withRun({ command: huge.repeat(1).padEnd(200_000, 'y') })],
  ['nxVersion an array', withRun({ nxVersion: ['22'] })],
  ['requestId an object', withRun({ requestId: { id: 1 } })],
  ['tasks an object', withRun({ tasks: { 'app:build': {} } })],
  ['tasks holds null', withRun({ tasks: [null] })],
  ['schema version 2', withRun({ schemaVersion: 2 })],
  ['task startMs 1e308', withTask({ startMs: 1e308 })],
  ['task startMs -1e308, endMs 1e308', withTask({ startMs: -1e308, endMs: 1e308 })],
  ['task durationMs 1e308', withTask({ durationMs: 1e308 })],
  ['task durationMs negative', withTask({ durationMs: -5 })],
  ['task durationMs a string', withTask({ durationMs: '2000' })],
  ['task in the year 2300', withTask({ startMs: Date.UTC(2300, 0, 1), endMs: Date.UTC(2300, 0, 1) + 10 })],
  ['task id an object', withTask({ id: { a: 1 } })],
  ['task id empty', withTask({ id: '' })],
  ['task project a huge string', withTask({ project: huge })],
  ['task configuration a number', withTask({ configuration: 3 })],
  ['task status unknown', withTask({ status: 'exploded' })],
  ['task cache unknown', withTask({ cache: 'cloud' })],
  ['task exitCode a string', withTask({ exitCode: '1' })],
  ['task logLines reversed', withTask({ logLines: [9, 2] })],
  ['task logFile an object', withTask({ logFile: { path: '/etc/passwd' } })],
  ['an array instead of a run', [good()]],
];

function historyOf(lines: string[]): HistoryReadResult {
  const parsed = parseHistoryText(lines.join('\n'));
  return { ...parsed, supersededTasks: 0, files: ['runs/2026-03-10.jsonl'] };
}

describe('hostile history: every corrupt shape is skipped and counted, in every format', () => {
  it('has at least 30 shapes', () => {
    expect(CORRUPT.length).toBeGreaterThanOrEqual(30);
  });

  for (const [shape, record] of CORRUPT) {
    it(`skips ${shape}, keeps the good run, and every format renders and counts it`, () => {
      const history = historyOf([JSON.stringify(good()), JSON.stringify(record)]);
      expect(history.skippedRecords).toBe(1);
      expect(history.runs.map((run) => run.id)).toEqual(['good']);
      const report = buildReport({ history, options: DEFAULT_OPTIONS });
      for (const renderer of REPORT_RENDERERS) {
        const text = renderer.render(report);
        expect(text.length, renderer.format).toBeGreaterThan(0);
        expect(text.length, renderer.format).toBeLessThan(1_000_000);
        if (renderer.format === 'json') expect(JSON.parse(text).skippedRecords).toBe(1);
        else if (renderer.format === 'trace') expect(JSON.parse(text).otherData.skippedRecords).toBe(1);
        else expect(text, renderer.format).toMatch(/skipped 1 corrupt or unreadable history line/i);
      }
    });
  }
});

describe('formatDuration', () => {
  it('prints hours and days, and never an exponent', () => {
    expect(formatDuration(59_940_000)).toBe('16h 39m');
    expect(formatDuration(3_599_600)).toBe('1h 00m');
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000)).toBe('3d 04h');
    expect(formatDuration(1e308)).toBe('>999d');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(-1500)).toBe('-1.5s');
    expect(formatDuration(245_000)).toBe('4m 05s');
  });
});
