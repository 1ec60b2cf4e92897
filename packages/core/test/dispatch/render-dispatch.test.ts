import { describe, expect, it } from 'vitest';
import { renderDispatchBatchText, renderDispatchText } from '@sixty/core';
import { checkResult, dispatchRecord } from './dispatch-fixtures';

describe('renderDispatchText', () => {
  it('a passing dispatch committed on its branch', () => {
    expect(renderDispatchText(dispatchRecord())).toBe(
      [
        'sixty dispatch: passed  lib-a:test 4.5s -> 400ms (budget 2.0s) in 14.0s',
        'agent: exit 0 in 1.2s, 2 files changed  (node agent.mjs)',
        'check: ok  3 tasks (2 from cache), 2 affected projects in 2.1s',
        'over budget: before lib-a:test, lib-b:test; after lib-b:test  (over before too: their own tickets)',
        'loop time of a change in lib-a: 4.6s -> 1.1s',
        'tracker: lib-a:test -> done',
        `branch: sixty/lib-a-test-1a2b3c at ${'b'.repeat(12)}`,
        `next: review \`git diff ${'a'.repeat(12)}..sixty/lib-a-test-1a2b3c\`, then merge sixty/lib-a-test-1a2b3c`,
      ].join('\n'),
    );
  });

  it('a passing dispatch that sharded the task names its shards', () => {
    const parts = [
      { task: 'lib-a:test--shard-1-of-2', ms: 1500, budgetMs: 2000, ok: true },
      { task: 'lib-a:test--shard-2-of-2', ms: 1800, budgetMs: 2000, ok: true },
    ];
    expect(renderDispatchText(dispatchRecord({ parts, taskMsAfter: 1800 })).split('\n')[0]).toBe(
      'sixty dispatch: passed  lib-a:test 4.5s -> 2 shards of at most 1.8s (budget 2.0s) in 14.0s',
    );
  });

  it('a passing dispatch without a commit points at its patch', () => {
    const text = renderDispatchText(dispatchRecord({ commit: null, overBudgetAfter: [], trackerUpdated: false }));
    expect(text.split('\n').slice(-2)).toEqual([
      'changes: .sixty/dispatch/lib-a-test-1a2b3c.patch',
      'next: git apply .sixty/dispatch/lib-a-test-1a2b3c.patch   (not committed: set "commit": true in the dispatch policy to keep a branch)',
    ]);
    expect(text).toContain('over budget: before lib-a:test, lib-b:test; after none\n');
  });

  it('a failed check: the failure with its excerpt, the kept worktree, the clean-up command', () => {
    const check = checkResult({
      ok: false,
      failures: [{ task: 'lib-a:test', excerpt: '✖ mod1 adds its index\n  AssertionError: 3 !== 999', location: null, logFile: '/tmp/h/logs/x.log' }],
    });
    const text = renderDispatchText(
      dispatchRecord({ outcome: 'failed', reason: 'lib-a:test failed', check, commit: null, worktreeKept: true, trackerUpdated: false, notes: ['your uncommitted changes are not part of this dispatch: it starts from HEAD aaaaaaaaaaaa'] }),
    );
    expect(text).toBe(
      [
        'sixty dispatch: FAILED  lib-a:test: lib-a:test failed',
        'note: your uncommitted changes are not part of this dispatch: it starts from HEAD aaaaaaaaaaaa',
        'agent: exit 0 in 1.2s, 2 files changed  (node agent.mjs)',
        'check: FAILED  1 failed of 3 tasks (2 from cache), 2 affected projects in 2.1s',
        'FAILED lib-a:test',
        '    ✖ mod1 adds its index',
        '      AssertionError: 3 !== 999',
        '    full log: /tmp/h/logs/x.log',
        'over budget: before lib-a:test, lib-b:test; after lib-b:test',
        'loop time of a change in lib-a: 4.6s -> 1.1s',
        'worktree kept: /tmp/sixty-dispatch-x/ws (branch sixty/lib-a-test-1a2b3c)',
        'changes: .sixty/dispatch/lib-a-test-1a2b3c.patch',
        'next: look in /tmp/sixty-dispatch-x/ws (agent log: .sixty/dispatch/lib-a-test-1a2b3c.agent.log); then `git worktree remove --force /tmp/sixty-dispatch-x/ws && git branch -D sixty/lib-a-test-1a2b3c`',
      ].join('\n'),
    );
  });

  it('a timeout: the last words of the agent, no check', () => {
    const text = renderDispatchText(
      dispatchRecord({
        outcome: 'timeout',
        reason: 'the agent ran past its 5.0s limit and was stopped',
        agent: { ...dispatchRecord().agent, exitCode: null, signal: 'SIGTERM', ms: 5012, timedOut: true, lastOutput: 'step 1\nstill thinking...' },
        check: null,
        filesChanged: [],
        patchFile: null,
        commit: null,
        worktreeKept: true,
        trackerUpdated: false,
        overBudgetAfter: ['lib-a:test', 'lib-b:test'],
        taskMsAfter: null,
        loopTimeAfter: null,
      }),
    );
    expect(text.split('\n').slice(0, 5)).toEqual([
      'sixty dispatch: TIMEOUT  lib-a:test: the agent ran past its 5.0s limit and was stopped',
      'agent: stopped after 5.0s, 0 files changed  (node agent.mjs)',
      '    step 1',
      '    still thinking...',
      'over budget: before lib-a:test, lib-b:test; after lib-a:test, lib-b:test',
    ]);
    expect(text).toContain('loop time of a change in lib-a: 4.6s -> ?');
  });
});

describe('renderDispatchBatchText', () => {
  it('one line per dispatch, then the next step', () => {
    const passed = dispatchRecord();
    const failed = dispatchRecord({ id: 'lib-b-test-0f0f0f', task: 'lib-b:test', outcome: 'failed', reason: 'lib-b:test failed', worktreeKept: true, commit: null, worktree: '/tmp/w2/ws', agent: { ...dispatchRecord().agent, logFile: '.sixty/dispatch/lib-b-test-0f0f0f.agent.log' } });
    expect(renderDispatchBatchText([passed, failed])).toBe(
      [
        'sixty dispatch: 1 of 2 dispatches passed',
        '  passed  lib-a:test  4.5s -> 400ms  sixty/lib-a-test-1a2b3c',
        '  FAILED  lib-b:test  lib-b:test failed  worktree /tmp/w2/ws',
        'next: read .sixty/dispatch/lib-b-test-0f0f0f.agent.log (and the run log beside it) for lib-b:test',
      ].join('\n'),
    );
    expect(renderDispatchBatchText([])).toBe('sixty dispatch: no target is over budget; nothing to dispatch\nnext: nothing to do');
  });
});
