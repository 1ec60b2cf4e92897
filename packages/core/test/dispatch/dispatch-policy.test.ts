import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPATCH_POLICY, normalizeDispatchPolicy, normalizeOptions, parseDurationMs } from '@sixty/core';

describe('parseDurationMs', () => {
  it.each([
    ['1500ms', 1500],
    ['5s', 5000],
    ['30m', 1_800_000],
    ['1.5h', 5_400_000],
    ['90', 90_000],
    [' 2 m ', 120_000],
    ['10S', 10_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', '0', '0s', '-5s', '5d', 'soon', '5 minutes', '1e3s'])('rejects %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe('normalizeDispatchPolicy', () => {
  it('fills every default', () => {
    expect(normalizeDispatchPolicy(undefined)).toEqual({ policy: DEFAULT_DISPATCH_POLICY, problems: [] });
    expect(normalizeDispatchPolicy({})).toEqual({ policy: DEFAULT_DISPATCH_POLICY, problems: [] });
    expect(DEFAULT_DISPATCH_POLICY).toEqual({ agentCmd: null, timeoutMs: 1_800_000, stallMs: 300_000, maxConcurrent: 2, commit: false, sandbox: 'none' });
  });

  it('keeps valid values: durations as milliseconds or text, counts as numbers or text', () => {
    expect(normalizeDispatchPolicy({ agentCmd: '  claude -p  ', timeoutMs: '45m', stallMs: 60_000, maxConcurrent: '3', commit: true, sandbox: 'bwrap' })).toEqual({
      policy: { agentCmd: 'claude -p', timeoutMs: 2_700_000, stallMs: 60_000, maxConcurrent: 3, commit: true, sandbox: 'bwrap' },
      problems: [],
    });
  });

  it('reports each invalid value on a line naming it, and unknown keys, then uses the defaults', () => {
    const { policy, problems } = normalizeDispatchPolicy({ agentCmd: '', timeoutMs: -1, stallMs: 'later', maxConcurrent: 1.5, commit: 'yes', sandbox: 'docker', agentCommand: 'x' });
    expect(policy).toEqual(DEFAULT_DISPATCH_POLICY);
    expect(problems).toEqual([
      'option dispatch.agentCommand is not known (known: agentCmd, timeoutMs, stallMs, maxConcurrent, commit, sandbox); ignored',
      'option dispatch.agentCmd is "": expected a command line; using null',
      'option dispatch.timeoutMs is -1: expected milliseconds or a duration such as "30m"; using 1800000',
      'option dispatch.stallMs is "later": expected milliseconds or a duration such as "5m"; using 300000',
      'option dispatch.maxConcurrent is 1.5: expected a whole number of at least 1; using 2',
      'option dispatch.commit is "yes": expected true or false; using false',
      'option dispatch.sandbox is "docker": expected "none" or "bwrap"; using "none"',
    ]);
  });

  it('rejects a policy that is not an object', () => {
    for (const raw of [null, 'claude', 3, ['claude']]) {
      expect(normalizeDispatchPolicy(raw)).toEqual({
        policy: DEFAULT_DISPATCH_POLICY,
        problems: ['option dispatch must be an object, e.g. { "agentCmd": "my-agent --yes", "timeoutMs": "30m" }; using defaults'],
      });
    }
  });
});

describe('normalizeOptions with a dispatch policy', () => {
  it('has no dispatch key when nx.json sets none (the other options are unchanged)', () => {
    expect(normalizeOptions({ budgetSeconds: 30 }).options).not.toHaveProperty('dispatch');
  });

  it('normalizes the dispatch option and reports its problems with the others', () => {
    const { options, problems } = normalizeOptions({ budgetSeconds: 'x', dispatch: { agentCmd: 'codex exec -', maxConcurrent: 0 } });
    expect(options.dispatch).toEqual({ ...DEFAULT_DISPATCH_POLICY, agentCmd: 'codex exec -' });
    expect(problems).toEqual([
      'option budgetSeconds is "x": expected a positive number of seconds; using 60',
      'option dispatch.maxConcurrent is 0: expected a whole number of at least 1; using 2',
    ]);
  });
});
