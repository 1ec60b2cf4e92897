import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesByFile, createWorkspace, nx, sixty, type SynthWorkspace } from './workspace';

/** lib-c:test takes 6 s over 6 files; its budget is 3 s, so the plugin shards it (the others keep the default 60 s). */
const SYNTH = { projects: 4, files: 6, seed: 31, durations: ['lib-c:test=6'], git: false };
const LIB_C = 'libs/lib-c';

interface ProjectJson {
  targets: Record<string, { executor: string; options?: { command?: string }; inputs?: unknown[]; outputs?: string[]; dependsOn?: unknown[]; cache?: boolean }>;
}

function setPluginOptions(root: string, options: Record<string, unknown>): void {
  const path = join(root, 'nx.json');
  const nxJson = JSON.parse(readFileSync(path, 'utf8')) as { plugins: Array<{ plugin: string; options?: Record<string, unknown> }> };
  const entry = nxJson.plugins.find((plugin) => plugin.plugin === '@sixty/nx')!;
  entry.options = { ...entry.options, ...options };
  writeFileSync(path, `${JSON.stringify(nxJson, null, 2)}\n`);
}

function showProject(root: string, project: string): ProjectJson {
  const result = nx(root, ['show', 'project', project, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as ProjectJson;
}

/** The inferred targets only, in a stable order. */
function shardTargetsOf(project: ProjectJson): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(project.targets)
      .filter((name) => name.startsWith('test--'))
      .sort()
      .map((name) => {
        const { executor, options, inputs, outputs, dependsOn, cache } = project.targets[name]!;
        return [name, { executor, options, inputs, outputs, dependsOn, cache }];
      }),
  );
}


const shardReports = (root: string): string[] => readdirSync(join(root, LIB_C, 'reports')).filter((name) => /^junit-shard-\d+-of-\d+\.xml$/.test(name)).sort();

describe('shard targets inferred from the committed baseline', () => {
  let ws: SynthWorkspace;
  let shardNames: string[];
  let originalCases: Map<string, number>;
  const copies: string[] = [];

  beforeAll(() => {
    ws = createWorkspace(SYNTH);
    setPluginOptions(ws.root, { budgets: { 'lib-c:test': 3 } });
    const run = nx(ws.root, ['run-many', '-t', 'test']);
    expect(run.code, run.stderr).toBe(0);
    originalCases = casesByFile(ws.root, LIB_C, ['junit.xml']);
  });
  afterAll(() => {
    ws.remove();
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
  });

  it('sixty baseline writes a sorted, stable file, and nx then lists the shard targets', () => {
    expect(nx(ws.root, ['show', 'project', 'lib-c', '--json']).stdout).not.toContain('test--sharded');
    const result = sixty(ws.root, ['baseline']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote sixty-timings.json');
    const text = readFileSync(join(ws.root, 'sixty-timings.json'), 'utf8');
    const baseline = JSON.parse(text) as { schemaVersion: number; budgetMs: number; targets: Record<string, { root: string; p90Ms: number; files: Record<string, number> }> };
    expect(baseline.schemaVersion).toBe(1);
    expect(baseline.budgetMs).toBe(60_000);
    expect(Object.keys(baseline.targets)).toEqual(['app-a:test', 'lib-a:test', 'lib-b:test', 'lib-c:test']);
    expect(Object.keys(baseline.targets['lib-c:test']!.files)).toEqual(Array.from({ length: 6 }, (_, i) => `${LIB_C}/test/mod-${i + 1}.test.js`));
    expect(baseline.targets['lib-c:test']!.p90Ms).toBeGreaterThan(3000);
    expect(text.endsWith('}\n')).toBe(true);

    const again = sixty(ws.root, ['baseline']);
    expect(again.stdout).toContain('sixty-timings.json is unchanged');
    expect(sixty(ws.root, ['baseline', '--check']).code).toBe(0);

    const project = showProject(ws.root, 'lib-c');
    shardNames = Object.keys(project.targets).filter((name) => /^test--shard-\d+-of-\d+$/.test(name)).sort();
    expect(shardNames.length).toBeGreaterThanOrEqual(2);
    expect(shardNames).toEqual(Array.from({ length: shardNames.length }, (_, i) => `test--shard-${i + 1}-of-${shardNames.length}`));
    const sharded = project.targets['test--sharded']!;
    expect(sharded.executor).toBe('nx:noop');
    expect(sharded.dependsOn).toEqual(shardNames.map((target) => ({ target, params: 'forward' })));
    expect(project.targets[shardNames[0]!]!.outputs).toEqual([`{projectRoot}/reports/junit-shard-1-of-${shardNames.length}.xml`]);
    // within budget: nothing inferred
    expect(Object.keys(showProject(ws.root, 'lib-a').targets).sort()).toEqual(['build', 'test']);
  });

  it('nx run lib-c:test--sharded runs every test file exactly once, then all from cache', () => {
    const run = nx(ws.root, ['run', 'lib-c:test--sharded']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(shardReports(ws.root)).toEqual(shardNames.map((name) => `junit-${name.slice('test--'.length)}.xml`));
    const cases = casesByFile(ws.root, LIB_C, shardReports(ws.root));
    expect([...cases.entries()].sort()).toEqual([...originalCases.entries()].sort());
    expect([...cases.values()].reduce((a, b) => a + b, 0)).toBe(6);

    const again = nx(ws.root, ['run', 'lib-c:test--sharded']);
    expect(again.code).toBe(0);
    const tasks = shardNames.length + 1;
    expect(again.stdout).toContain(`Nx read the output from the cache instead of running the command for ${tasks} out of ${tasks} tasks`);
  });

  it('a change to one test file re-runs only the shard that holds it', () => {
    const project = showProject(ws.root, 'lib-c');
    const holder = shardNames.find((name) => project.targets[name]!.options!.command!.includes('test/mod-1.test.js'))!;
    const path = join(ws.root, LIB_C, 'test', 'mod-1.test.js');
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, `${before}// edited\n`);
    try {
      const run = nx(ws.root, ['run', 'lib-c:test--sharded']);
      expect(run.code).toBe(0);
      const executed = shardNames.filter((name) => new RegExp(`nx run lib-c:${name}(?!\\S)(?!\\s+\\[)`).test(run.stdout));
      expect(executed).toEqual([holder]);
    } finally {
      writeFileSync(path, before);
    }
  });

  it('after the shards ran, sixty report shows each shard estimated beside measured, and sixty baseline learns the shard cost', () => {
    const json = sixty(ws.root, ['report', '--json', '--no-graph']);
    expect(json.code, json.stderr).toBe(0);
    const estimates = (JSON.parse(json.stdout) as { shardEstimates?: Array<{ task: string; modelSource: string; fixedMs: number; shards: Array<{ task: string; estimatedMs: number; measuredMs?: number; executions: number }> }> }).shardEstimates;
    const target = estimates?.find((entry) => entry.task === 'lib-c:test');
    expect(target, json.stdout).toBeDefined();
    expect(target!.modelSource).toBe('calibrated');
    expect(target!.shards.map((shard) => shard.task)).toEqual(shardNames.map((name) => `lib-c:${name}`));
    for (const shard of target!.shards) {
      expect(shard.executions).toBeGreaterThanOrEqual(1);
      expect(shard.measuredMs).toBeGreaterThan(0);
      expect(shard.estimatedMs).toBeGreaterThan(0);
    }
    const text = sixty(ws.root, ['report', '--no-graph']);
    expect(text.stdout).toMatch(/shards of lib-c:test: fixed .+? per shard \+ [\d.]+ x files \(calibrated on its shards' runs\)/);
    expect(text.stdout).toMatch(new RegExp(`lib-c:${shardNames[0]}  \\d+ files  est\\. .+?  measured .+? \\(median of \\d+, [+-]\\d+%\\)`));
    // written elsewhere, so the committed baseline (and the shards it gives) stay as the other tests expect
    const learned = sixty(ws.root, ['baseline', '--out', 'calibrated-timings.json']);
    expect(learned.code, learned.stderr).toBe(0);
    const entry = (JSON.parse(readFileSync(join(ws.root, 'calibrated-timings.json'), 'utf8')) as { targets: Record<string, { shardCost?: { fixedMs: number; perFileScale: number; samples: number } }> }).targets['lib-c:test'];
    // the unsharded run and each shard: one sample each
    expect(entry!.shardCost?.samples).toBe(shardNames.length + 1);
    rmSync(join(ws.root, 'calibrated-timings.json'));
  });

  it('two copies of the workspace with different histories infer the same targets', () => {
    const parent = mkdtempSync(join(tmpdir(), 'sixty-e2e-copy-'));
    copies.push(parent);
    const copy = join(parent, 'elsewhere');
    cpSync(ws.root, copy, { recursive: true, verbatimSymlinks: true });
    rmSync(join(copy, '.sixty'), { recursive: true, force: true });
    rmSync(join(copy, '.nx'), { recursive: true, force: true });
    const other = nx(copy, ['run', 'lib-a:test']);
    expect(other.code, other.stderr).toBe(0);
    expect(shardTargetsOf(showProject(copy, 'lib-c'))).toEqual(shardTargetsOf(showProject(ws.root, 'lib-c')));
    // and SIXTY_* overrides on one machine do not change the graph
    const overridden = nx(copy, ['show', 'project', 'lib-c', '--json'], { SIXTY_BUDGET_SECONDS: '600', NX_CACHE_PROJECT_GRAPH: 'false' });
    expect(shardTargetsOf(JSON.parse(overridden.stdout) as ProjectJson)).toEqual(shardTargetsOf(showProject(ws.root, 'lib-c')));
  });

  it('sixty apply: --dry-run writes nothing, then applies once, and a second apply is a no-op', () => {
    const baselinePath = join(ws.root, 'sixty-timings.json');
    const before = readFileSync(baselinePath, 'utf8');
    const files = Array.from({ length: 6 }, (_, i) => `${LIB_C}/test/mod-${i + 1}.test.js`);
    const plan = {
      schemaVersion: 1,
      kind: 'shard',
      task: 'lib-c:test',
      budgetMs: 3000,
      rationale: 'two halves',
      source: 'local',
      shards: [
        { name: 'shard-1-of-2', files: files.slice(0, 3), estimatedMs: 2500 },
        { name: 'shard-2-of-2', files: files.slice(3), estimatedMs: 2500 },
      ],
    };
    writeFileSync(join(ws.root, 'shard-plan.json'), JSON.stringify(plan));
    const dry = sixty(ws.root, ['apply', 'shard-plan.json', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would write 2 shards for lib-c:test to sixty-timings.json');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(readFileSync(baselinePath, 'utf8')).toBe(before);

    const applied = sixty(ws.root, ['apply', 'shard-plan.json']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('wrote 2 shards for lib-c:test');
    const after = JSON.parse(readFileSync(baselinePath, 'utf8')) as { targets: Record<string, { shards?: unknown }> };
    expect(after.targets['lib-c:test']!.shards).toEqual([
      { name: 'shard-1-of-2', files: files.slice(0, 3) },
      { name: 'shard-2-of-2', files: files.slice(3) },
    ]);
    const applyAgain = sixty(ws.root, ['apply', 'shard-plan.json']);
    expect(applyAgain.code).toBe(0);
    expect(applyAgain.stdout).toBe('sixty-timings.json already holds these 2 shards for lib-c:test: nothing to change\n');
    expect(Object.keys(showProject(ws.root, 'lib-c').targets).filter((name) => name.startsWith('test--')).sort()).toEqual([
      'test--shard-1-of-2',
      'test--shard-2-of-2',
      'test--sharded',
    ]);

    const hostile = { ...plan, shards: [{ name: 'shard-1-of-1', files: ['../outside.test.js', ...files], estimatedMs: 2500 }] };
    writeFileSync(join(ws.root, 'hostile-plan.json'), JSON.stringify(hostile));
    const refused = sixty(ws.root, ['apply', 'hostile-plan.json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('not valid for this workspace, nothing applied');

    const split = { schemaVersion: 1, kind: 'split', task: 'lib-c:build', budgetMs: 3000, rationale: 'x', source: 'local', projects: [] };
    writeFileSync(join(ws.root, 'split-plan.json'), JSON.stringify(split));
    const splitResult = sixty(ws.root, ['apply', 'split-plan.json']);
    // a split plan goes to the @sixty/nx:decompose generator, which refuses an invalid one
    expect(splitResult.code).toBe(1);
    expect(splitResult.stdout).toContain('is not a valid plan');
    expect(splitResult.stdout).toContain('plan.projects');
  });

  it('sixty baseline --check: exit 1 for a target over budget the baseline misses, or a changed configuration', () => {
    const baseline = JSON.parse(readFileSync(join(ws.root, 'sixty-timings.json'), 'utf8')) as { targets: Record<string, unknown> };
    delete baseline.targets['lib-c:test'];
    writeFileSync(join(ws.root, 'partial.json'), JSON.stringify(baseline));
    const missing = sixty(ws.root, ['baseline', '--check', '--out', 'partial.json', '--json', '--no-graph']);
    expect(missing.code, missing.stderr).toBe(1);
    const report = JSON.parse(missing.stdout) as { missing: Array<{ task: string; budgetMs: number }>; changedConfigs: string[] };
    expect(report.missing.map((entry) => [entry.task, entry.budgetMs])).toEqual([['lib-c:test', 3000]]);
    expect(report.changedConfigs).toEqual([]);

    const projectJson = join(ws.root, LIB_C, 'project.json');
    const original = readFileSync(projectJson, 'utf8');
    writeFileSync(projectJson, original.replace('test/*.test.js', '--test-concurrency=1 test/*.test.js'));
    try {
      const changed = sixty(ws.root, ['baseline', '--check']);
      expect(changed.code).toBe(1);
      expect(changed.stdout).toContain('config changed  lib-c:test');
      expect(changed.stdout).toContain('next: sixty baseline');
    } finally {
      writeFileSync(projectJson, original);
    }
    const current = JSON.parse(sixty(ws.root, ['baseline', '--check', '--json']).stdout) as { changedConfigs: string[]; missing: unknown[]; drifts: Array<{ stale: boolean }> };
    expect(current.changedConfigs).toEqual([]);
    expect(current.missing).toEqual([]);
    expect(current.drifts.every((drift) => !drift.stale)).toBe(true);
  });

  it('under nx 24 the same baseline gives the same targets, and the sharded run passes', () => {
    const latest = createWorkspace({ ...SYNTH, nx: 'latest' });
    copies.push(latest.root);
    try {
      setPluginOptions(latest.root, { budgets: { 'lib-c:test': 3 } });
      cpSync(join(ws.root, 'sixty-timings.json'), join(latest.root, 'sixty-timings.json'));
      expect(nx(latest.root, ['--version']).stdout).toMatch(/24\.\d+\.\d+/);
      expect(shardTargetsOf(showProject(latest.root, 'lib-c'))).toEqual(shardTargetsOf(showProject(ws.root, 'lib-c')));
      const run = nx(latest.root, ['run', 'lib-c:test--sharded']);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect([...casesByFile(latest.root, LIB_C, shardReports(latest.root)).entries()].sort()).toEqual([...originalCases.entries()].sort());
      expect(existsSync(join(latest.root, LIB_C, 'reports', 'junit.xml'))).toBe(false);
    } finally {
      latest.remove();
    }
  });
});
