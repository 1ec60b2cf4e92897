import { describe, expect, it } from 'vitest';
import { changedPaths, checkoutChanges, decideOutcome, renderDispatchText, type CheckoutFingerprint } from '@sixty/core';
import { dispatchRecord } from './dispatch-fixtures';

const clean: CheckoutFingerprint = { head: 'a'.repeat(40), branch: 'refs/heads/main', index: 'i1', files: { 'notes.txt': 'h1' } };

describe('checkoutChanges', () => {
  it('is empty for the same checkout', () => {
    expect(checkoutChanges(clean, { ...clean, files: { ...clean.files } })).toEqual([]);
  });

  it('names every kind of change, branch and HEAD first, then files by path', () => {
    const after: CheckoutFingerprint = {
      head: 'b'.repeat(40),
      branch: null,
      index: 'i2',
      files: { 'z.txt': 'h9', 'notes.txt': 'h2', 'src/gone.ts': 'deleted' },
    };
    expect(checkoutChanges(clean, after)).toEqual([
      'branch switched from main to (detached HEAD)',
      `HEAD moved from ${'a'.repeat(12)} to ${'b'.repeat(12)}`,
      'the index (staged changes) changed',
      'changed notes.txt',
      'deleted src/gone.ts',
      'changed z.txt',
    ]);
    expect(changedPaths(clean, after)).toEqual(['notes.txt', 'src/gone.ts', 'z.txt']);
  });

  it('a file whose change was undone shows as restored; an edit to an already changed file shows too', () => {
    expect(checkoutChanges(clean, { ...clean, files: {} })).toEqual(['restored to HEAD notes.txt']);
    expect(checkoutChanges(clean, { ...clean, files: { 'notes.txt': 'h3' } })).toEqual(['changed notes.txt']);
  });

  it('a path named like an Object.prototype member is a path', () => {
    expect(checkoutChanges({ ...clean, files: {} }, { ...clean, files: { constructor: 'h' } })).toEqual(['changed constructor']);
  });
});

describe('a dispatch whose agent touched the checkout', () => {
  const agent = { exitCode: 0, timedOut: false, stalled: false };
  const base = { task: 'lib-a:test', agent, limits: { timeoutMs: 60_000, stallMs: 60_000 }, check: null, checkError: null, taskAfter: null, overBudgetBefore: [], overBudgetAfter: [] };

  it('fails whatever else happened, naming the changes', () => {
    expect(decideOutcome({ ...base, checkoutChanges: ['deleted README.md', 'changed src/a.ts'] })).toEqual({
      outcome: 'failed',
      reason: 'your checkout changed while the agent ran (outside its worktree): deleted README.md, changed src/a.ts',
    });
    expect(decideOutcome({ ...base, agent: { ...agent, timedOut: true }, checkoutChanges: ['branch switched from main to x'] }).outcome).toBe('failed');
  });

  it('prints the changes and how to look, nothing restored', () => {
    const changes = ['branch switched from main to other', 'deleted README.md'];
    const text = renderDispatchText(dispatchRecord({ outcome: 'failed', reason: 'x', checkoutChanges: changes, worktreeKept: false, commit: null }));
    expect(text).toContain(['checkout: CHANGED while the agent ran (sixty restored nothing):', '    branch switched from main to other', '    deleted README.md'].join('\n'));
    expect(text.split('\n').at(-1)).toBe(
      'next: check your checkout (`git status`, `git reflog`) and undo what the agent did there; dispatch again with --sandbox bwrap to make it read-only to the agent',
    );
  });

  it("counts only the agent's files, and says when it ran sandboxed", () => {
    const text = renderDispatchText(dispatchRecord({ filesChanged: ['docs/t.md', 'docs/tech-debt-tracker.md', 'src/a.ts'], agentFilesChanged: ['src/a.ts'], sandbox: 'bwrap' }));
    expect(text.split('\n')[1]).toBe('agent: exit 0 in 1.2s, 1 file changed, sandboxed  (node agent.mjs)');
  });
});
