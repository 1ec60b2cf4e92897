import { describe, expect, it } from 'vitest';
import { parseBaseline, sameTargetConfig, serializeBaseline, SixtyError, type Baseline } from '@sixty/core';

const config = {
  executor: 'nx:run-commands',
  options: { cwd: 'libs/lib-c', command: 'node --test test/*.test.js' },
  inputs: ['default', '^production'],
  outputs: ['{projectRoot}/reports'],
  cache: true,
};

/** Deliberately unsorted keys and fractional ms: serialization must sort and round. */
const baseline: Baseline = {
  schemaVersion: 1,
  budgetMs: 3000,
  targets: {
    'lib-c:test': {
      root: 'libs/lib-c',
      p90Ms: 6123.4,
      files: { 'libs/lib-c/test/b.test.js': 2000.6, 'libs/lib-c/test/a.test.js': 1500 },
      shards: [
        { name: 'shard-1-of-2', files: ['libs/lib-c/test/b.test.js'] },
        { name: 'shard-2-of-2', files: ['libs/lib-c/test/a.test.js'] },
      ],
      config,
    },
    'lib-a:build': { root: 'libs/lib-a', p90Ms: 90_000, files: {} },
  },
};

const EXPECTED = `{
  "schemaVersion": 1,
  "budgetMs": 3000,
  "targets": {
    "lib-a:build": {
      "root": "libs/lib-a",
      "p90Ms": 90000,
      "files": {}
    },
    "lib-c:test": {
      "root": "libs/lib-c",
      "p90Ms": 6123,
      "files": {
        "libs/lib-c/test/a.test.js": 1500,
        "libs/lib-c/test/b.test.js": 2001
      },
      "shards": [
        {
          "name": "shard-1-of-2",
          "files": [
            "libs/lib-c/test/b.test.js"
          ]
        },
        {
          "name": "shard-2-of-2",
          "files": [
            "libs/lib-c/test/a.test.js"
          ]
        }
      ],
      "config": {
        "cache": true,
        "executor": "nx:run-commands",
        "inputs": [
          "default",
          "^production"
        ],
        "options": {
          "command": "node --test test/*.test.js",
          "cwd": "libs/lib-c"
        },
        "outputs": [
          "{projectRoot}/reports"
        ]
      }
    }
  }
}
`;

function errorOf(fn: () => unknown): SixtyError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SixtyError) return error;
    throw error;
  }
  throw new Error('expected a SixtyError');
}

describe('serializeBaseline', () => {
  it('writes sorted keys, whole ms, 2-space JSON and a trailing newline', () => {
    expect(serializeBaseline(baseline)).toBe(EXPECTED);
  });

  it('gives the same text whatever order the keys were built in', () => {
    const reversed: Baseline = {
      budgetMs: 3000,
      targets: Object.fromEntries(Object.entries(baseline.targets).reverse()),
      schemaVersion: 1,
    } as Baseline;
    expect(serializeBaseline(reversed)).toBe(EXPECTED);
  });

  it('round-trips through parseBaseline', () => {
    const text = serializeBaseline(baseline);
    expect(serializeBaseline(parseBaseline(text))).toBe(text);
  });
});

describe('a package.json script target in the baseline', () => {
  const scriptTarget = (script: unknown) =>
    JSON.stringify({ schemaVersion: 1, budgetMs: 1, targets: { 'a:test:lib': { root: 'a', p90Ms: 1, config: { executor: 'nx:run-script', options: { script: 'test:lib' }, script } } } });

  it("keeps the script's command line, and a changed script is a changed configuration", () => {
    const parsed = parseBaseline(scriptTarget('vitest'));
    expect(parsed.targets['a:test:lib']!.config).toEqual({ executor: 'nx:run-script', options: { script: 'test:lib' }, script: 'vitest' });
    expect(sameTargetConfig(parsed.targets['a:test:lib']!.config, { executor: 'nx:run-script', options: { script: 'test:lib' }, script: 'vitest --retry=3' })).toBe(false);
  });

  it('rejects a script that is not a command line', () => {
    expect(() => parseBaseline(scriptTarget(42))).toThrow(/config\.script must be the package\.json script's command line/);
  });
});

describe('parseBaseline', () => {
  it('names the file and the fix for text that is not JSON', () => {
    const error = errorOf(() => parseBaseline('{ nope', 'sixty-timings.json'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/^sixty-timings\.json is not valid JSON/);
    expect(error.fix).toContain('sixty baseline');
  });

  it('rejects another schema version, asking for an upgrade when it is newer', () => {
    const error = errorOf(() => parseBaseline('{"schemaVersion":2,"budgetMs":1,"targets":{}}'));
    expect(error.message).toBe('sixty-timings.json: schemaVersion is 2, this sixty reads version 1');
    expect(error.fix).toContain('upgrade sixty');
  });

  it.each([
    ['{"schemaVersion":1,"budgetMs":-1,"targets":{}}', 'sixty-timings.json: budgetMs must be a non-negative number of ms'],
    ['{"schemaVersion":1,"budgetMs":1,"targets":{"nocolon":{"root":"a","p90Ms":1}}}', 'sixty-timings.json: targets["nocolon"] must be keyed by "project:target"'],
    ['{"schemaVersion":1,"budgetMs":1,"targets":{"a:test":{"root":"a","p90Ms":"slow"}}}', 'sixty-timings.json: targets["a:test"].p90Ms must be a non-negative number of ms'],
    [
      '{"schemaVersion":1,"budgetMs":1,"targets":{"a:test":{"root":"a","p90Ms":1,"files":{"../etc/passwd":1}}}}',
      'sixty-timings.json: targets["a:test"].files "../etc/passwd" contains ".."; it must stay inside the project',
    ],
    [
      '{"schemaVersion":1,"budgetMs":1,"targets":{"a:test":{"root":"a","p90Ms":1,"shards":[{"name":"shard-1-of-3","files":["a/x.js"]}]}}}',
      'sixty-timings.json: targets["a:test"].shards[0].name must be shard-<i>-of-1 (there are 1 shards)',
    ],
    [
      '{"schemaVersion":1,"budgetMs":1,"targets":{"a:test":{"root":"a","p90Ms":1,"shards":[{"name":"shard-1-of-2","files":["a/x.js"]},{"name":"shard-2-of-2","files":["a/x.js"]}]}}}',
      'sixty-timings.json: targets["a:test"].shards[1].files lists "a/x.js", which another shard lists too',
    ],
    [
      '{"schemaVersion":1,"budgetMs":1,"targets":{"a:test":{"root":"a","p90Ms":1,"config":{"options":{}}}}}',
      'sixty-timings.json: targets["a:test"].config.executor must name the executor, e.g. "nx:run-commands"',
    ],
  ])('rejects %s', (text, message) => {
    expect(errorOf(() => parseBaseline(text)).message).toBe(message);
  });

  it('ignores fields it does not know, and defaults missing files to none', () => {
    const parsed = parseBaseline('{"schemaVersion":1,"budgetMs":60000,"future":true,"targets":{"a:test":{"root":".","p90Ms":5,"later":1}}}');
    expect(parsed).toEqual({ schemaVersion: 1, budgetMs: 60000, targets: { 'a:test': { root: '.', p90Ms: 5, files: {} } } });
  });
});
