import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertTrackerRow, writeTrackerRow, type TrackerRow } from '../src/index';

const EXISTING = `# Tech debt tracker

What is known to be left, one row each. Newest first.

| Area | What is left | Why it matters | Issue |
|---|---|---|---|
| history | Appends rely on O_APPEND | NFS | #3 |
`;

const row = (target: string, status = 'planned', plan = '[shard into 3 (agent)](exec-plans/x.md)'): TrackerRow => ({ target, p90: '1m 30s', budget: '1m 00s', plan, status });

const SECTION = (...rows: string[]): string =>
  [
    '## Targets over budget',
    '',
    'One row per target over budget, written by `sixty plan <project>:<target> --ticket` and updated in place.',
    '',
    '| target | p90 | budget | plan | status |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');

describe('the tech-debt tracker', () => {
  it('adds the section at the end when the table is missing, keeping the rest byte for byte', () => {
    const { text, change } = upsertTrackerRow(EXISTING, row('lib-a:test'));
    expect(change).toBe('added');
    expect(text).toBe(`${EXISTING}\n${SECTION('| lib-a:test | 1m 30s | 1m 00s | [shard into 3 (agent)](exec-plans/x.md) | planned |')}`);
  });

  it('updates a row in place, adds other targets at the end of the table, never duplicates', () => {
    let text = upsertTrackerRow(EXISTING, row('lib-a:test')).text;
    text = upsertTrackerRow(text, row('lib-b:build', 'needs work', '[split into 2 projects (local)](exec-plans/y.md)')).text;
    const tail = '\n## Later section\n\nkept.\n';
    text += tail;
    const updated = upsertTrackerRow(text, row('lib-a:test', 'within budget'));
    expect(updated.change).toBe('updated');
    expect(updated.text).toBe(
      `${EXISTING}\n${SECTION(
        '| lib-a:test | 1m 30s | 1m 00s | [shard into 3 (agent)](exec-plans/x.md) | within budget |',
        '| lib-b:build | 1m 30s | 1m 00s | [split into 2 projects (local)](exec-plans/y.md) | needs work |',
      )}${tail}`,
    );
    const again = upsertTrackerRow(updated.text, row('lib-a:test', 'within budget'));
    expect(again).toEqual({ text: updated.text, change: 'unchanged' });
    expect(again.text.split('| lib-a:test |')).toHaveLength(2);
  });

  it('finds a hand-edited row (backticks, spacing) and escapes pipes in cells', () => {
    const text = `${SECTION('|  `lib-a:test`  | 2m | 1m | old | open |')}`;
    expect(upsertTrackerRow(text, row('lib-a:test', 'a|b')).text).toBe(SECTION('| lib-a:test | 1m 30s | 1m 00s | [shard into 3 (agent)](exec-plans/x.md) | a\\|b |'));
  });

  it('keeps CRLF line endings', () => {
    const crlf = EXISTING.replace(/\n/g, '\r\n');
    const { text } = upsertTrackerRow(crlf, row('lib-a:test'));
    expect(text.startsWith(crlf)).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(upsertTrackerRow(text, row('lib-a:test', 'done')).text).toBe(text.replace('| planned |', '| done |'));
  });

  describe('on disk', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'sixty-tracker-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('creates docs/tech-debt-tracker.md when there is none, then updates it in place', () => {
      expect(writeTrackerRow(root, row('lib-a:test')).change).toBe('added');
      const file = join(root, 'docs/tech-debt-tracker.md');
      expect(readFileSync(file, 'utf8')).toBe(`# Tech debt tracker\n\n${SECTION('| lib-a:test | 1m 30s | 1m 00s | [shard into 3 (agent)](exec-plans/x.md) | planned |')}`);
      expect(writeTrackerRow(root, row('lib-a:test')).change).toBe('unchanged');
      expect(writeTrackerRow(root, row('lib-a:test', 'within budget')).change).toBe('updated');
      expect(readFileSync(file, 'utf8').match(/lib-a:test/g)).toHaveLength(1);
    });

    it('keeps an existing tracker intact around the new section', () => {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs/tech-debt-tracker.md'), EXISTING);
      writeTrackerRow(root, row('lib-a:test'));
      expect(readFileSync(join(root, 'docs/tech-debt-tracker.md'), 'utf8').startsWith(EXISTING)).toBe(true);
    });
  });
});
