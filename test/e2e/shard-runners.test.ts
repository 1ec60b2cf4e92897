// The shape of the reported bug: a vitest target run from the workspace root with a project's
// config. Its shards must run exactly the files vitest runs for that target (not vitest's
// default globs over the whole workspace), from the same cwd, each file once.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { casesByFile, createWorkspace, nx, sixty, type SynthWorkspace } from './workspace';

const SYNTH = { projects: 4, files: 6, seed: 7, runner: 'vitest' as const, durations: ['lib-c:test=4'], git: false };
const LIB_C = 'libs/lib-c';
const ROOT_COMMAND = `vitest run --config ${LIB_C}/vitest.config.mjs --reporter=default --reporter=junit --outputFile.junit=${LIB_C}/reports/junit.xml`;

function editJson(path: string, edit: (value: any) => void): void {
  const value = JSON.parse(readFileSync(path, 'utf8'));
  edit(value);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}


describe('shards of a vitest target run from the workspace root with a project config', () => {
  let ws: SynthWorkspace;
  let originalCases: Map<string, number>;

  beforeAll(() => {
    ws = createWorkspace(SYNTH);
    // the project's own config: vitest collects from the project folder only
    writeFileSync(join(ws.root, LIB_C, 'vitest.config.mjs'), "import { fileURLToPath } from 'node:url';\nexport default { test: { dir: fileURLToPath(new URL('.', import.meta.url)) } };\n");
    editJson(join(ws.root, LIB_C, 'project.json'), (project) => {
      project.targets.test = { command: ROOT_COMMAND };
      // a target whose runner sixty cannot filter
      project.targets.karma = { command: "node -e \"process.exit(0)\" # stands in for karma start" };
    });
    editJson(join(ws.root, 'nx.json'), (nxJson) => {
      const entry = nxJson.plugins.find((plugin: { plugin: string }) => plugin.plugin === '@sixty/nx');
      entry.options = { ...entry.options, budgets: { 'lib-c:test': 2 } };
    });
    const run = nx(ws.root, ['run-many', '-t', 'test', 'karma']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    originalCases = casesByFile(ws.root, LIB_C, ['junit.xml']);
    expect(originalCases.size).toBe(6);
  }, 180_000);
  afterAll(() => ws.remove());

  it('sixty plan places exactly the files vitest runs for the target (not its default globs over the workspace)', () => {
    const plan = sixty(ws.root, ['plan', 'lib-c:test', '--out', 'plan.json', '--json']);
    // valid or not (a 2 s budget on a loaded machine), the plan must hold the target's files and no other
    expect([0, 1], plan.stderr).toContain(plan.code);
    const planned = JSON.parse(plan.stdout) as { plan: { shards: Array<{ files: string[] }> } };
    expect(planned.plan.shards.flatMap((shard) => shard.files).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `${LIB_C}/test/mod-${i + 1}.test.js`));
  }, 120_000);

  it('sixty baseline records the files vitest lists, and the inferred shards keep the command and its cwd', () => {
    const result = sixty(ws.root, ['baseline']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const baseline = JSON.parse(readFileSync(join(ws.root, 'sixty-timings.json'), 'utf8'));
    expect(baseline.targets['lib-c:test'].testFiles).toEqual(Array.from({ length: 6 }, (_, i) => `${LIB_C}/test/mod-${i + 1}.test.js`));
    const show = nx(ws.root, ['show', 'project', 'lib-c', '--json']);
    const targets = JSON.parse(show.stdout).targets as Record<string, { executor: string; options: { command?: string; cwd?: string } }>;
    const shards = Object.keys(targets).filter((name) => /^test--shard-/.test(name));
    expect(shards.length).toBeGreaterThanOrEqual(2);
    for (const name of shards) {
      expect(targets[name]!.executor).toBe('nx:run-commands');
      expect(targets[name]!.options.cwd).toBeUndefined();
      expect(targets[name]!.options.command).toContain(`vitest run --config ${LIB_C}/vitest.config.mjs`);
    }
  }, 120_000);

  it('the shards together run every test file of the target exactly once, with the same test count', () => {
    const run = nx(ws.root, ['run', 'lib-c:test--sharded']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const reports = readdirSync(join(ws.root, LIB_C, 'reports')).filter((name) => /^junit-shard-\d+-of-\d+\.xml$/.test(name));
    const cases = casesByFile(ws.root, LIB_C, reports);
    expect([...cases.entries()].sort()).toEqual([...originalCases.entries()].sort());
  }, 120_000);

  it('a plan made with --budget carries it: --validate and the printed next command judge it by that budget and say it differs', () => {
    const plan = sixty(ws.root, ['plan', 'lib-c:test', '--budget', '3600', '--out', 'plan-3600.json']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const next = /^next: sixty (.+)$/m.exec(plan.stdout)?.[1];
    expect(next).toBe('apply plan-3600.json --dry-run');
    const validate = sixty(ws.root, ['plan', '--validate', 'plan-3600.json']);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stderr).toContain("note: judged by the plan's own budget of 1h 00m; the configured budget of lib-c:test is 2.0s");
    const apply = sixty(ws.root, next!.split(' '));
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain('dry run: nothing written');
  }, 180_000);

  it('sixty plan on a target whose runner sixty cannot filter exits 2 and says why', () => {
    const plan = sixty(ws.root, ['plan', 'lib-c:karma', '--kind', 'shard']);
    expect(plan.code).toBe(2);
    expect(plan.stderr).toContain('lib-c:karma cannot be sharded: no test runner (node --test, vitest, jest, mocha) found');
  }, 60_000);
});

// The shape TanStack/query has: the test target is a package.json script (`"test:lib": "vitest"`),
// which nx infers as an nx:run-script target with a colon in its name. Its shards run the
// script's command line from the project root, as the package manager does, with their files;
// the script writes no JUnit report (TanStack's does not either), so each shard adds its own.
describe('shards of a package.json script target (nx:run-script)', () => {
  const SCRIPT_TARGET = 'test:lib';
  let ws: SynthWorkspace;

  beforeAll(() => {
    ws = createWorkspace(SYNTH);
    writeFileSync(join(ws.root, LIB_C, 'vitest.config.mjs'), 'export default { test: { include: ["test/**/*.test.js"] } };\n');
    editJson(join(ws.root, LIB_C, 'package.json'), (manifest) => {
      manifest.scripts = { ...manifest.scripts, [SCRIPT_TARGET]: 'vitest run' };
    });
    editJson(join(ws.root, 'nx.json'), (nxJson) => {
      const entry = nxJson.plugins.find((plugin: { plugin: string }) => plugin.plugin === '@sixty/nx');
      entry.options = { ...entry.options, budgets: { [`lib-c:${SCRIPT_TARGET}`]: 2 } };
    });
    const show = nx(ws.root, ['show', 'project', 'lib-c', '--json']);
    expect(JSON.parse(show.stdout).targets[SCRIPT_TARGET]?.executor, show.stdout + show.stderr).toBe('nx:run-script');
    const run = nx(ws.root, ['run', `lib-c:${SCRIPT_TARGET}`]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('6 passed');
  }, 180_000);
  afterAll(() => ws.remove());

  it('sixty plan shards it (no "not one sixty can give a file filter")', () => {
    const plan = sixty(ws.root, ['plan', `lib-c:${SCRIPT_TARGET}`, '--out', 'plan.json', '--json']);
    expect([0, 1], plan.stdout + plan.stderr).toContain(plan.code);
    const planned = JSON.parse(plan.stdout) as { plan: { kind: string; shards: Array<{ files: string[] }> } };
    expect(planned.plan.kind).toBe('shard');
    expect(planned.plan.shards.flatMap((shard) => shard.files).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `${LIB_C}/test/mod-${i + 1}.test.js`));
  }, 120_000);

  it('the inferred shards run the script from the project root and together run every file once', () => {
    const baseline = sixty(ws.root, ['baseline']);
    expect(baseline.code, baseline.stdout + baseline.stderr).toBe(0);
    const show = nx(ws.root, ['show', 'project', 'lib-c', '--json']);
    const targets = JSON.parse(show.stdout).targets as Record<string, { executor: string; options: { command?: string; cwd?: string } }>;
    const shards = Object.keys(targets).filter((name) => name.startsWith(`${SCRIPT_TARGET}--shard-`));
    expect(shards.length, Object.keys(targets).join(', ')).toBeGreaterThanOrEqual(2);
    for (const name of shards) {
      expect(targets[name]!.executor).toBe('nx:run-commands');
      expect(targets[name]!.options.cwd).toBe(LIB_C);
      expect(targets[name]!.options.command).toMatch(/^vitest run test\/\S+( test\/\S+)* --reporter=default --reporter=junit --outputFile\.junit=reports\/junit-shard-\d+-of-\d+\.xml$/);
    }
    const run = nx(ws.root, ['run', `lib-c:${SCRIPT_TARGET}--sharded`]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const reports = readdirSync(join(ws.root, LIB_C, 'reports')).filter((name) => /^junit-shard-\d+-of-\d+\.xml$/.test(name));
    // per-file times without hand setup: one report per shard, every file in exactly one, once
    expect(reports.length).toBe(shards.length);
    const cases = casesByFile(ws.root, LIB_C, reports);
    expect(cases.size).toBe(6);
    expect([...cases.values()].every((count) => count === 1)).toBe(true);
  }, 180_000);
});
