import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, loopBudgetMsOf, normalizeOptions, parseSince, SixtyError } from '@sixty/core';

const MB = 1024 * 1024;

describe('normalizeOptions', () => {
  it('fills every default when there are no options', () => {
    const expected = {
      options: {
        budgetSeconds: 60,
        budgets: {},
        historyDir: '.sixty',
        retention: { maxAgeDays: 30, maxBytes: 50 * MB },
        baselineFile: 'sixty-timings.json',
        testSelection: 'local',
        announce: true,
      },
      problems: [],
    };
    expect(normalizeOptions(undefined)).toEqual(expected);
    expect(normalizeOptions({})).toEqual(expected);
    expect(normalizeOptions(undefined).options).toEqual(DEFAULT_OPTIONS);
  });

  it('keeps valid values, accepting numbers written as strings', () => {
    expect(
      normalizeOptions({
        budgetSeconds: '90',
        budgets: { 'app:test': 120, build: '30.5' },
        historyDir: '  tmp/sixty  ',
        historyMaxAgeDays: 7,
        historyMaxMegabytes: 1.5,
        baselineFile: 'timings.json',
        testSelection: 'always',
        announce: 'false',
      }),
    ).toEqual({
      options: {
        budgetSeconds: 90,
        budgets: { 'app:test': 120, build: 30.5 },
        historyDir: 'tmp/sixty',
        retention: { maxAgeDays: 7, maxBytes: Math.round(1.5 * MB) },
        baselineFile: 'timings.json',
        testSelection: 'always',
        announce: false,
      },
      problems: [],
    });
  });

  it('reports each invalid value on a line naming the option and falls back to its default', () => {
    const { options, problems } = normalizeOptions({
      budgetSeconds: 'abc',
      historyDir: '   ',
      historyMaxAgeDays: 0,
      historyMaxMegabytes: -3,
      baselineFile: 42,
      testSelection: 'sometimes',
    });
    expect(options).toEqual(DEFAULT_OPTIONS);
    expect(problems).toEqual([
      'option budgetSeconds is "abc": expected a positive number of seconds; using 60',
      'option historyDir is "   ": expected a directory path; using ".sixty"',
      'option historyMaxAgeDays is 0: expected a positive number of days; using 30',
      'option historyMaxMegabytes is -3: expected a positive number of megabytes; using 50',
      'option baselineFile is 42: expected a file path; using "sixty-timings.json"',
      'option testSelection is "sometimes": expected one of local, always, never; using "local"',
    ]);
  });

  it('reads loopBudgetSeconds, which follows budgetSeconds when unset; --budget overrides both', () => {
    expect(loopBudgetMsOf(normalizeOptions({ budgetSeconds: 45 }).options)).toBe(45_000);
    const configured = normalizeOptions({ budgetSeconds: 45, loopBudgetSeconds: '120' });
    expect(configured).toEqual({ options: { ...DEFAULT_OPTIONS, budgetSeconds: 45, loopBudgetSeconds: 120 }, problems: [] });
    expect(loopBudgetMsOf(configured.options)).toBe(120_000);
    expect(loopBudgetMsOf(configured.options, 30)).toBe(30_000);
    expect(loopBudgetMsOf(normalizeOptions({ loopBudgetSeconds: 120 }, { SIXTY_LOOP_BUDGET_SECONDS: '90' }).options)).toBe(90_000);
    const invalid = normalizeOptions({ budgetSeconds: 45, loopBudgetSeconds: -1 });
    expect(invalid.problems).toEqual(['option loopBudgetSeconds is -1: expected a positive number of seconds; using budgetSeconds (45)']);
    expect(loopBudgetMsOf(invalid.options)).toBe(45_000);
  });

  it.each([[0], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], [''], ['12s'], [null], [true], [[60]], [{ seconds: 60 }]])(
    'rejects budgetSeconds %j',
    (value) => {
      const { options, problems } = normalizeOptions({ budgetSeconds: value });
      expect(options.budgetSeconds).toBe(60);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^option budgetSeconds is .*: expected a positive number of seconds; using 60$/);
    },
  );

  it('reports options that are not an object and uses the defaults', () => {
    for (const raw of [null, 'budgetSeconds=60', 60, [{ budgetSeconds: 10 }]]) {
      expect(normalizeOptions(raw)).toEqual({
        options: DEFAULT_OPTIONS,
        problems: ['options must be an object, e.g. { "budgetSeconds": 60 }; using defaults'],
      });
    }
  });

  it('lets SIXTY_BUDGET_SECONDS and SIXTY_HISTORY_DIR override nx.json', () => {
    const raw = { budgetSeconds: 60, historyDir: '.sixty' };
    const { options, problems } = normalizeOptions(raw, { SIXTY_BUDGET_SECONDS: '45', SIXTY_HISTORY_DIR: '/var/cache/sixty' });
    expect(problems).toEqual([]);
    expect(options.budgetSeconds).toBe(45);
    expect(options.historyDir).toBe('/var/cache/sixty');
    // other environment variables do not matter
    expect(normalizeOptions(raw, { BUDGET_SECONDS: '1', HOME: '/root' }).options.budgetSeconds).toBe(60);
  });

  it('reports an invalid environment override like an invalid option', () => {
    const { options, problems } = normalizeOptions({ budgetSeconds: 30 }, { SIXTY_BUDGET_SECONDS: 'fast' });
    expect(options.budgetSeconds).toBe(30);
    expect(problems).toEqual(['environment SIXTY_BUDGET_SECONDS is "fast": expected a positive number of seconds; using 30']);
    expect(normalizeOptions({ budgetSeconds: 30 }, { SIXTY_BUDGET_SECONDS: '' })).toEqual(normalizeOptions({ budgetSeconds: 30 }));
  });

  it('validates each per-target budget and keeps the valid ones', () => {
    const { options, problems } = normalizeOptions({ budgets: { 'app:test': 90, lint: 0, e2e: 'slow', build: '20' } });
    expect(options.budgets).toEqual({ 'app:test': 90, build: 20 });
    expect(problems).toEqual([
      'option budgets["lint"] is 0: expected a positive number of seconds',
      'option budgets["e2e"] is "slow": expected a positive number of seconds',
    ]);
  });

  it.each([[[90]], ['app:test=90'], [null], [5]])('rejects budgets %j that are not a map', (budgets) => {
    const { options, problems } = normalizeOptions({ budgets });
    expect(options.budgets).toEqual({});
    expect(problems).toEqual(['option budgets must map "project:target" or "target" to seconds, e.g. { "app:test": 90 }']);
  });
});

describe('parseSince', () => {
  const now = Date.parse('2026-03-10T12:00:00Z');

  it.each([
    ['30m', now - 30 * 60_000],
    ['12h', now - 12 * 3_600_000],
    ['7d', now - 7 * 86_400_000],
    ['2w', now - 14 * 86_400_000],
    ['1.5h', now - 90 * 60_000],
    [' 7D ', now - 7 * 86_400_000],
    ['0d', now],
  ])('reads the duration %j back from now', (text, expected) => {
    expect(parseSince(text, now)).toBe(expected);
  });

  it('reads an ISO date or timestamp', () => {
    expect(parseSince('2026-03-01', now)).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(parseSince('2026-03-01T08:30:00Z', now)).toBe(Date.parse('2026-03-01T08:30:00Z'));
    expect(parseSince('2026-03-01T08:30:00+02:00', now)).toBe(Date.parse('2026-03-01T06:30:00Z'));
  });

  it.each([['yesterday-ish-garbage'], [''], ['7'], ['7y'], ['-3d'], ['2026-13-45'], ['03/01/2026']])(
    'rejects %j with an INVALID_ARGUMENT error that names the value and the fix',
    (text) => {
      let error: unknown;
      try {
        parseSince(text, now);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(SixtyError);
      expect(error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: `--since "${text}" is neither a duration nor a date`,
        fix: 'use a duration such as 12h, 7d or 2w, or a date such as 2026-11-01',
      });
    },
  );
});

describe('normalizeOptions: options other commands read', () => {
  it('reports invalid shard, junit and agent options among its problems', () => {
    const { problems } = normalizeOptions({ shard: ['test'], junit: { test: 3 }, agent: 'gpt' });
    expect(problems).toEqual([
      'option shard must be an object, e.g. { "targets": ["test"], "safetyMargin": 0.85 }',
      'option junit["test"] is 3: expected a path relative to the project root',
      'option agent is "gpt": expected an object, e.g. { "model": "gpt-4.1-mini" }',
    ]);
    expect(normalizeOptions({ shard: { targets: ['test'] }, junit: { test: 'r.xml' }, agent: { model: 'm' } }).problems).toEqual([]);
  });
});
