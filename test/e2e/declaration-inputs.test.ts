// Declaration-only build inputs (#21 item 2) on a real workspace and the real nx CLI: core and
// 10 libraries that compile against its declarations (tools/synth/declaration-workspace.mjs).
// `sixty plan core:build --kind inputs` verifies in a scratch copy, `sixty apply` writes the
// inputs; then an implementation-only change in core rebuilds core alone (10 cache hits) with
// outputs byte-identical to a full build, and a declaration change rebuilds all 11.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputsPlan, RunRecord } from '@sixty/core';
// @ts-expect-error: plain ESM tool without type declarations
import { generateDeclarationWorkspace } from '../../tools/synth/declaration-workspace.mjs';
import { nx, recordedRuns, sixty } from './workspace';

let parent: string;
let root: string;
let projects: string[];

beforeAll(() => {
  parent = mkdtempSync(join(tmpdir(), 'sixty-e2e-inputs-'));
  root = join(parent, 'ws');
  projects = (generateDeclarationWorkspace({ out: root }) as { projects: string[] }).projects;
});
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** The last recorded nx run's tasks: executed ones, and those restored from cache. */
function lastRun(): { executed: string[]; cached: string[] } {
  const run = recordedRuns<RunRecord>(root).at(-1)!;
  return {
    executed: run.tasks.filter((task) => task.cache === 'none').map((task) => task.id).sort(),
    cached: run.tasks.filter((task) => task.cache !== 'none').map((task) => task.id).sort(),
  };
}

/** SHA-256 of every file under each project's dist/. */
function outputs(): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const project of projects) {
    const dist = join(root, 'libs', project, 'dist');
    for (const file of readdirSync(dist).sort()) hashes[`libs/${project}/dist/${file}`] = createHash('sha256').update(readFileSync(join(dist, file))).digest('hex');
  }
  return hashes;
}

function build(args: string[] = []): void {
  const result = nx(root, ['run-many', '-t', 'build', '--outputStyle=static', ...args]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

describe('declaration-only build inputs', () => {
  it('refuses, naming the reason, a build whose declarations are not declared outputs or that emits none', () => {
    const nxJson = readFileSync(join(root, 'nx.json'), 'utf8');
    const base = readFileSync(join(root, 'tsconfig.base.json'), 'utf8');
    try {
      writeFileSync(join(root, 'nx.json'), nxJson.replace('"outputs": [\n        "{projectRoot}/dist"\n      ]', '"outputs": []'));
      const undeclared = sixty(root, ['plan', 'core:build', '--kind', 'inputs']);
      expect(undeclared.code).toBe(1);
      expect(undeclared.stdout).toContain('core:build declares no outputs, and nx hashes dependentTasksOutputFiles only from declared outputs; add "outputs": ["libs/core/dist"] to it');
      writeFileSync(join(root, 'nx.json'), nxJson);
      writeFileSync(join(root, 'tsconfig.base.json'), base.replace('"declaration": true', '"declaration": false'));
      const none = sixty(root, ['plan', 'core:build', '--kind', 'inputs']);
      expect(none.code).toBe(1);
      expect(none.stdout).toContain('core:build emits no declarations (no "declaration" or "composite" in libs/core/tsconfig.lib.json); its dependents must keep hashing its sources');
    } finally {
      writeFileSync(join(root, 'nx.json'), nxJson);
      writeFileSync(join(root, 'tsconfig.base.json'), base);
    }
  });

  it('plans, verifies and applies; an implementation change then rebuilds 1 project instead of 11, byte-identical', () => {
    build();
    expect(lastRun().executed).toHaveLength(11);

    const report = sixty(root, ['report']);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/declaration-only build inputs, loop time of an implementation-only change \(estimate\): core [\dms. ]+ -> [\dms. ]+ \(10 dependent builds from cache\)/);
    expect(report.stdout).toContain('plan: sixty plan core:build --kind inputs');

    const planned = sixty(root, ['plan', 'core:build', '--kind', 'inputs', '--json']);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    const { plan } = JSON.parse(planned.stdout) as { plan: InputsPlan };
    expect(plan.targets.map((target) => target.task)).toEqual(projects.slice(1).map((name) => `${name}:build`));
    expect(plan.targets[0]!.inputs).toEqual(['production', { dependentTasksOutputFiles: '**/*.d.ts', transitive: true }]);
    expect(plan.verification).toMatchObject({ change: 'appended "void 0;" to libs/core/src/index.ts', rebuilt: ['core:build'], identical: true, differentFiles: [] });
    expect(plan.verification!.cached).toHaveLength(10);
    expect(plan.loopEstimate!.afterMs).toBeLessThan(plan.loopEstimate!.beforeMs);

    const planFile = '.sixty/plans/core-build.inputs.json';
    const validated = sixty(root, ['plan', '--validate', planFile]);
    expect(validated.stdout.trim()).toBe(`${planFile}: valid`);
    expect(validated.code).toBe(0);
    const dryRun = sixty(root, ['apply', planFile, '--dry-run']);
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('UPDATE libs/dep-10/project.json');
    expect(execFileSync('git', ['status', '--porcelain', '--', 'libs'], { cwd: root, encoding: 'utf8' })).toBe('');
    const applied = sixty(root, ['apply', planFile]);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('inputs core:build: 10 builds hash their dependencies\' declarations (**/*.d.ts) instead of their sources');
    expect(JSON.parse(readFileSync(join(root, 'libs/dep-03/project.json'), 'utf8')).targets.build.inputs).toEqual(['production', { dependentTasksOutputFiles: '**/*.d.ts', transitive: true }]);

    build(); // the dependents' new inputs: each builds once more under its new hash
    const source = join(root, 'libs/core/src/index.ts');
    writeFileSync(source, readFileSync(source, 'utf8').replace('return { text, length: text.length };', 'return { text, length: [...text].length };'));
    build();
    expect(lastRun()).toEqual({ executed: ['core:build'], cached: projects.slice(1).map((name) => `${name}:build`) });
    const incremental = outputs();
    build(['--skip-nx-cache']);
    expect(lastRun().executed).toHaveLength(11);
    expect(outputs()).toEqual(incremental);

    appendFileSync(source, 'export const version = 2;\n');
    build();
    expect(lastRun().executed).toHaveLength(11);
    expect(readFileSync(join(root, 'libs/core/dist/index.d.ts'), 'utf8')).toContain('version');

    // with the inputs in place the report says so, and offers no plan for them
    const after = sixty(root, ['report']);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/declaration-only build inputs, loop time of an implementation-only change \(estimate\): core [\dms. ]+ -> [\dms. ]+ \(10 dependent builds from cache; inputs in place\)\n/);
  }, 600_000); // 67 tsc runs: about a minute on an idle machine
});
