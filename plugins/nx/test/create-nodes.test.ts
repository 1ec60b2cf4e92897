import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { serializeBaseline, type Baseline } from '@sixty/core';

/** A fresh copy of the module, so its warn-once flag starts unset. */
async function freshCreateNodes(): Promise<typeof import('../src/index').createNodesV2> {
  vi.resetModules();
  return (await import('../src/index')).createNodesV2;
}

const COMMAND =
  'mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml test/*.test.js';
const INPUTS = ['default', '^production', '{workspaceRoot}/scripts/**/*'];

function baseline(overrides: Partial<Baseline['targets'][string]> = {}): Baseline {
  return {
    schemaVersion: 1,
    budgetMs: 3000,
    targets: {
      'lib-c:test': {
        root: 'libs/lib-c',
        p90Ms: 6000,
        files: { 'libs/lib-c/test/mod-1.test.js': 2000, 'libs/lib-c/test/mod-2.test.js': 1500, 'libs/lib-c/test/mod-3.test.js': 1500, 'libs/lib-c/test/mod-4.test.js': 1000 },
        config: { executor: 'nx:run-commands', options: { cwd: 'libs/lib-c', command: COMMAND }, inputs: INPUTS, outputs: ['{projectRoot}/reports'], dependsOn: ['^build'], cache: true },
        ...overrides,
      },
      // within budget and not listed: no shard targets
      'lib-a:test': {
        root: 'libs/lib-a',
        p90Ms: 200,
        files: { 'libs/lib-a/test/mod-1.test.js': 200 },
        config: { executor: 'nx:run-commands', options: { cwd: 'libs/lib-a', command: COMMAND }, cache: true },
      },
      // over budget, but the project is gone
      'lib-gone:test': { root: 'libs/lib-gone', p90Ms: 90_000, files: { 'libs/lib-gone/test/a.test.js': 1 }, config: { executor: 'nx:run-commands', options: { command: COMMAND } } },
    },
  };
}

function write(root: string, path: string, content = ''): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

let temp: string;
let workspace: string;
let stderr: MockInstance<typeof process.stderr.write>;

function makeWorkspace(dir: string, content: Baseline = baseline()): void {
  write(dir, 'nx.json', '{}\n');
  for (const project of ['lib-a', 'lib-c']) {
    write(dir, `libs/${project}/project.json`, JSON.stringify({ name: project }));
    for (let i = 1; i <= (project === 'lib-c' ? 4 : 1); i++) write(dir, `libs/${project}/test/mod-${i}.test.js`, '// test\n');
  }
  write(dir, 'sixty-timings.json', serializeBaseline(content));
}

const context = (root: string) => ({ workspaceRoot: root, nxJsonConfiguration: {} });

type Targets = Record<string, { options?: { command?: string } }>;
/** The targets inferred for one project root, from a createNodes result. */
function targetsAt(results: unknown, root: string): Targets {
  const [, result] = (results as Array<[string, { projects: Record<string, { targets: Targets }> }]>)[0]!;
  return result.projects[root]!.targets;
}
const OPTIONS = { budgetSeconds: 3 };

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'sixty-nodes-'));
  workspace = join(temp, 'ws');
  makeWorkspace(workspace);
  vi.stubEnv('NX_WORKSPACE_DATA_DIRECTORY', undefined);
  vi.stubEnv('NX_PROJECT_GRAPH_CACHE_DIRECTORY', undefined);
  vi.stubEnv('NX_CACHE_PROJECT_GRAPH', undefined);
  vi.stubEnv('SIXTY_BUDGET_SECONDS', undefined);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.unstubAllEnvs();
  stderr.mockRestore();
  rmSync(temp, { recursive: true, force: true });
});

/** The shard target of lib-c:test running `files`, excluding `others` from its inputs. */
function shardTarget(name: string, files: string[], others: string[], description: string) {
  return {
    executor: 'nx:run-commands',
    options: {
      command: `mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit-${name}.xml ${files.join(' ')}`,
      cwd: 'libs/lib-c',
    },
    cache: true,
    inputs: [...INPUTS, ...others.map((file) => `!{projectRoot}/${file}`)],
    outputs: [`{projectRoot}/reports/junit-${name}.xml`],
    dependsOn: ['^build'],
    metadata: { description },
  };
}

describe('createNodesV2', () => {
  it('infers shard targets and the aggregate for a target over budget, from the baseline alone', async () => {
    const [glob, createNodes] = await freshCreateNodes();
    expect(glob).toBe('**/sixty-timings.json');
    const results = await createNodes(['sixty-timings.json', 'libs/other/sixty-timings.json'], OPTIONS, context(workspace));
    // 6000 ms over 4 files (p90 = their sum), capacity 3000 x 0.85 = 2550: 3 shards by LPT
    expect(results).toEqual([
      [
        'sixty-timings.json',
        {
          projects: {
            'libs/lib-c': {
              targets: {
                'test--shard-1-of-3': shardTarget('shard-1-of-3', ['test/mod-1.test.js'], ['test/mod-2.test.js', 'test/mod-3.test.js', 'test/mod-4.test.js'], 'Runs 1 of the 4 test files of lib-c:test (shard 1 of 3, about 2.0 s)'),
                'test--shard-2-of-3': shardTarget('shard-2-of-3', ['test/mod-2.test.js', 'test/mod-4.test.js'], ['test/mod-1.test.js', 'test/mod-3.test.js'], 'Runs 2 of the 4 test files of lib-c:test (shard 2 of 3, about 2.5 s)'),
                'test--shard-3-of-3': shardTarget('shard-3-of-3', ['test/mod-3.test.js'], ['test/mod-1.test.js', 'test/mod-2.test.js', 'test/mod-4.test.js'], 'Runs 1 of the 4 test files of lib-c:test (shard 3 of 3, about 1.5 s)'),
                'test--sharded': {
                  executor: 'nx:noop',
                  cache: true,
                  inputs: INPUTS,
                  outputs: [],
                  dependsOn: [
                    { target: 'test--shard-1-of-3', params: 'forward' },
                    { target: 'test--shard-2-of-3', params: 'forward' },
                    { target: 'test--shard-3-of-3', params: 'forward' },
                  ],
                  metadata: { description: 'Runs lib-c:test as 3 shards (test--shard-1-of-3, test--shard-2-of-3, test--shard-3-of-3)' },
                },
              },
            },
          },
        },
      ],
    ]);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('uses applied shards as they are, and shards a listed target within budget', async () => {
    const applied = baseline({
      shards: [
        { name: 'shard-1-of-2', files: ['libs/lib-c/test/mod-1.test.js', 'libs/lib-c/test/mod-2.test.js'] },
        { name: 'shard-2-of-2', files: ['libs/lib-c/test/mod-3.test.js', 'libs/lib-c/test/mod-4.test.js'] },
      ],
    });
    write(workspace, 'sixty-timings.json', serializeBaseline(applied));
    const [, createNodes] = await freshCreateNodes();
    const results = await createNodes(['sixty-timings.json'], { budgetSeconds: 60, shard: { targets: ['lib-a:test'] } }, context(workspace));
    expect(Object.keys(targetsAt(results, 'libs/lib-c'))).toEqual(['test--shard-1-of-2', 'test--shard-2-of-2', 'test--sharded']);
    expect(targetsAt(results, 'libs/lib-c')['test--shard-2-of-2']!.options!.command).toMatch(/junit-shard-2-of-2\.xml test\/mod-3\.test\.js test\/mod-4\.test\.js$/);
    expect(Object.keys(targetsAt(results, 'libs/lib-a'))).toEqual(['test--shard-1-of-1', 'test--sharded']);
  });

  it('runs a test file added since the baseline, and never one that was deleted', async () => {
    write(workspace, 'libs/lib-c/test/mod-5.test.js');
    rmSync(join(workspace, 'libs/lib-c/test/mod-1.test.js'));
    const [, createNodes] = await freshCreateNodes();
    const targets = targetsAt(await createNodes(['sixty-timings.json'], OPTIONS, context(workspace)), 'libs/lib-c');
    const commands = Object.values(targets).flatMap((target) => (target.options?.command ? [target.options.command] : []));
    const files = commands.flatMap((command) => command.match(/test\/mod-\d\.test\.js/g) ?? []).sort();
    expect(files).toEqual(['test/mod-2.test.js', 'test/mod-3.test.js', 'test/mod-4.test.js', 'test/mod-5.test.js']);
  });

  it('is the same graph in another clone, whatever the environment says', async () => {
    const [, createNodes] = await freshCreateNodes();
    const first = await createNodes(['sixty-timings.json'], OPTIONS, context(workspace));
    const clone = join(temp, 'clone');
    cpSync(workspace, clone, { recursive: true });
    vi.stubEnv('SIXTY_BUDGET_SECONDS', '1000');
    expect(await createNodes(['sixty-timings.json'], OPTIONS, context(clone))).toEqual(first);
  });

  it('caches the result in the workspace data directory, keyed by the baseline, the options and the test files', async () => {
    const [, createNodes] = await freshCreateNodes();
    const dataDir = join(workspace, '.nx', 'workspace-data');
    const first = await createNodes(['sixty-timings.json'], OPTIONS, context(workspace));
    const cacheFiles = readdirSync(dataDir).filter((name) => name.startsWith('sixty-shard-targets-'));
    expect(cacheFiles).toHaveLength(1);
    expect(await createNodes(['sixty-timings.json'], OPTIONS, context(workspace))).toEqual(first);
    // another option set: another cache file, another answer
    const other = await createNodes(['sixty-timings.json'], { budgetSeconds: 60 }, context(workspace));
    expect(other).toEqual([['sixty-timings.json', { projects: {} }]]);
    // a new test file changes the key
    write(workspace, 'libs/lib-c/test/mod-9.test.js');
    const after = await createNodes(['sixty-timings.json'], OPTIONS, context(workspace));
    expect(JSON.stringify(after)).toContain('test/mod-9.test.js');
    vi.stubEnv('NX_CACHE_PROJECT_GRAPH', 'false');
    rmSync(dataDir, { recursive: true });
    await createNodes(['sixty-timings.json'], OPTIONS, context(workspace));
    expect(existsSync(dataDir)).toBe(false);
  });

  it('infers nothing, with one warning and no exception, from a broken baseline or another file', async () => {
    const [, createNodes] = await freshCreateNodes();
    expect(await createNodes(['libs/lib-c/sixty-timings.json'], OPTIONS, context(workspace))).toEqual([]);
    write(workspace, 'sixty-timings.json', '{"schemaVersion": 1, "budgetMs": 1, "targets": {"lib-c:test": {"root": "libs/lib-c", "p90Ms": -5}}}');
    expect(await createNodes(['sixty-timings.json'], OPTIONS, context(workspace))).toEqual([]);
    expect(await createNodes(['sixty-timings.json'], OPTIONS, context(workspace))).toEqual([]);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toBe(
      '[sixty] no shard targets inferred: sixty-timings.json: targets["lib-c:test"].p90Ms must be a non-negative number of ms (regenerate it with `sixty baseline` (its shards come back with `sixty apply <plan.json>`), or fix the value by hand)\n',
    );
  });

  it('reads the baseline from the configured baselineFile', async () => {
    write(workspace, 'tools/sixty-timings.json', serializeBaseline(baseline()));
    const [, createNodes] = await freshCreateNodes();
    expect(await createNodes(['sixty-timings.json'], { ...OPTIONS, baselineFile: 'tools/sixty-timings.json' }, context(workspace))).toEqual([]);
    const results = await createNodes(['sixty-timings.json', 'tools/sixty-timings.json'], { ...OPTIONS, baselineFile: './tools/sixty-timings.json' }, context(workspace));
    expect(results.map(([file]) => file)).toEqual(['tools/sixty-timings.json']);
  });
});
