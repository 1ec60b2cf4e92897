import { describe, expect, it } from 'vitest';
import { dispatchBranchName, dispatchId, dispatchSlug, isTaskId, renderMinimalTicket, setTrackerStatus, taskOfTicket } from '@sixty/core';

describe('taskOfTicket', () => {
  it.each([
    ['a sixty plan --ticket heading', '# lib-c:test: shard into 3\n\n- Status: planned\n', 'lib-c:test'],
    ['front matter', '---\ntitle: slow tests\ntask: "app-web:e2e"\n---\n# Make e2e faster\n', 'app-web:e2e'],
    ['a Task line', '# Faster tests\n\nTask: `lib-a:build`\n', 'lib-a:build'],
    ['a bold list item', '# Faster\n\n- **Target:** lib-b:test\n', 'lib-b:test'],
    ['a table cell', '# Faster\n\n| task | lib-z:lint |\n|---|---|\n', 'lib-z:lint'],
    ['a scoped project', '# Split `@acme/ui:build`\n', '@acme/ui:build'],
    ['a code span in the text', '# Make it fast\n\nThe target `lib-q:test` is slow; see https://example.com:8080.\n', 'lib-q:test'],
  ])('reads %s', (_name, markdown, task) => {
    expect(taskOfTicket(markdown)).toBe(task);
  });

  it('returns null when the ticket names no task', () => {
    expect(taskOfTicket('# Make the tests faster\n\nSee https://example.com:8080/x and 10:30.\n')).toBeNull();
  });

  it('tells task ids from paths and times', () => {
    expect(isTaskId('lib-a:test')).toBe(true);
    expect(isTaskId('@scope/pkg:build')).toBe(true);
    expect(isTaskId('docs/ticket.md')).toBe(false);
    expect(isTaskId('https://x')).toBe(false);
    expect(isTaskId('lib-a')).toBe(false);
  });
});

describe('dispatch names', () => {
  it('makes ids and branches safe for git and file names', () => {
    expect(dispatchSlug('lib-a:test')).toBe('lib-a-test');
    expect(dispatchSlug('@acme/ui:build:production')).toBe('acme-ui-build-production');
    expect(dispatchId('lib-a:test', '1a2b3c')).toBe('lib-a-test-1a2b3c');
    expect(dispatchBranchName('@acme/ui:build', '1a2b3c')).toBe('sixty/acme-ui-build-1a2b3c');
    expect(() => dispatchId('lib-a:test', '../x')).toThrow('shortId "../x" must be 4 to 16 lowercase letters or digits');
  });
});

describe('renderMinimalTicket', () => {
  it('states the task, budget, plan, acceptance and how to verify, and names its task for taskOfTicket', () => {
    const ticket = renderMinimalTicket({
      task: 'lib-c:test',
      budgetMs: 60_000,
      p90Ms: 95_000,
      plan: {
        kind: 'shard',
        rationale: '2 shards.',
        parts: [
          { name: 'shard-1-of-2', files: ['libs/lib-c/test/a.test.js'], estimatedMs: 48_000 },
          { name: 'shard-2-of-2', files: ['libs/lib-c/test/b.test.js', 'libs/lib-c/test/c.test.js'], estimatedMs: 47_000 },
        ],
      },
      planFile: '.sixty/plans/lib-c-test.json',
      planProblems: [],
      base: 'abc123',
    });
    expect(ticket.split('\n').slice(0, 4)).toEqual(['# Bring lib-c:test under its budget', '', 'Task: `lib-c:test`', 'Budget: 1m 00s (p90 1m 35s)']);
    expect(ticket).toContain('- shard-2-of-2: ~47.0s, 2 files: `libs/lib-c/test/b.test.js`, `libs/lib-c/test/c.test.js`');
    expect(ticket).toContain('Apply it with `sixty apply .sixty/plans/lib-c-test.json`');
    expect(ticket).toContain('    sixty check --strict --base abc123');
    expect(taskOfTicket(ticket)).toBe('lib-c:test');
  });
});

describe('setTrackerStatus', () => {
  const TRACKER = [
    '# Tech debt tracker',
    '',
    '| Area | What is left | Why it matters | Issue |',
    '|---|---|---|---|',
    '| lib-a:test | not a target table | - | #3 |',
    '',
    '## Targets over budget',
    '',
    '| target | p90 | budget | plan | status |',
    '|---|---|---|---|---|',
    '| lib-a:test | 4.5s | 2.0s | [shard into 3 (local)](exec-plans/lib-a-test-2026-11-25.md) | planned |',
    '| `lib-b:test` | 4.4s | 2.0s | - | needs work |',
    '',
  ].join('\n');

  it("moves the task's row to done and leaves everything else as it was", () => {
    const result = setTrackerStatus(TRACKER, 'lib-a:test', 'done');
    expect(result).toMatchObject({ rows: 1, changed: 1 });
    expect(result.markdown).toBe(TRACKER.replace('exec-plans/lib-a-test-2026-11-25.md) | planned |', 'exec-plans/lib-a-test-2026-11-25.md) | done |'));
  });

  it('matches a target in backticks, keeps CRLF line endings, and is idempotent', () => {
    const crlf = TRACKER.replace(/\n/g, '\r\n');
    const once = setTrackerStatus(crlf, 'lib-b:test', 'done');
    expect(once.markdown).toBe(crlf.replace('| - | needs work |', '| - | done |'));
    expect(setTrackerStatus(once.markdown, 'lib-b:test', 'done')).toEqual({ markdown: once.markdown, rows: 1, changed: 0 });
  });

  it('says when there is no row for the task', () => {
    expect(setTrackerStatus(TRACKER, 'lib-z:test', 'done')).toEqual({ markdown: TRACKER, rows: 0, changed: 0 });
  });
});
