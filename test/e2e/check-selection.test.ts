import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, reportJson, sixty, type SynthWorkspace } from './workspace';

interface SelectionJson {
  ok: boolean;
  tasks: Array<{ task: string; cache: string }>;
  failures: Array<{ task: string; location: string | null }>;
  testSelection: Array<{ task: string; mode: 'files' | 'skip' | 'whole'; files?: string[]; of?: number; reason?: string }> | null;
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', ...args], { cwd: root, encoding: 'utf8' });
}

function check(root: string, args: string[] = [], env: Record<string, string | undefined> = {}): { code: number; result: SelectionJson; stdout: string } {
  const run = sixty(root, ['check', '--json', '--targets', 'build,test', ...args], env);
  return { code: run.code, result: JSON.parse(run.stdout) as SelectionJson, stdout: run.stdout };
}

/** Turns `return x + N;` of a module into a wrong answer: the tests of that module fail. */
function breakModule(root: string, file: string): void {
  const path = join(root, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(/return x \+ (\d+);/, (_, n: string) => `return x + ${Number(n) + 1};`));
}

const byTask = (result: SelectionJson, task: string) => result.testSelection?.find((selection) => selection.task === task);

describe('sixty check runs only the test files a change reaches', () => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    // lib-a <- lib-b (lib-b's new test imports lib-a through its package name), lib-c, app-a; tests
    // of 3 s a target, so leaving files out saves more than the extra nx runs cost (weighSelection)
    ws = createWorkspace({ projects: 4, files: 4, seed: 2, durations: ['lib-a:test=3', 'lib-b:test=3', 'lib-c:test=3', 'app-a:test=3'] });
    writeFileSync(
      join(ws.root, 'libs/lib-b/test/uses-lib-a.test.js'),
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { mod2 } from 'lib-a';\n\ntest('lib-b sees lib-a mod2', () => {\n  assert.equal(mod2(2), 4);\n});\n",
    );
    git(ws.root, 'add', '-A');
    git(ws.root, 'commit', '-qm', 'lib-b tests lib-a through its package');
    const warm = nx(ws.root, ['run-many', '-t', 'build', 'test']);
    expect(warm.code, warm.stdout.slice(-2000)).toBe(0);
  });
  afterAll(() => ws?.remove());

  it('catches a failure in the project and in a dependent that imports it, and skips the tests no import reaches', () => {
    breakModule(ws.root, 'libs/lib-a/src/mod-2.js');
    const { code, result, stdout } = check(ws.root);
    expect(code, stdout).toBe(1);
    expect(result.failures.map((failure) => failure.task).sort()).toEqual(['lib-a:test', 'lib-b:test']);
    // mod-2, and mod-3 and mod-4 which import it in a chain; lib-b's one test that imports lib-a
    expect(byTask(result, 'lib-a:test')).toEqual({ task: 'lib-a:test', mode: 'files', files: ['libs/lib-a/test/mod-2.test.js', 'libs/lib-a/test/mod-3.test.js', 'libs/lib-a/test/mod-4.test.js'], of: 4 });
    expect(byTask(result, 'lib-b:test')).toEqual({ task: 'lib-b:test', mode: 'files', files: ['libs/lib-b/test/uses-lib-a.test.js'], of: 5 });
    const skipped = result.testSelection!.filter((selection) => selection.mode === 'skip').map((selection) => selection.task);
    expect(skipped.length).toBeGreaterThan(0);
    for (const task of skipped) expect(result.tasks.map((t) => t.task)).not.toContain(task);

    const text = sixty(ws.root, ['check', '--targets', 'build,test']);
    expect(text.stdout).toContain('tests: 4 of 9 test files in lib-a:test, lib-b:test (those whose imports reach the change)');
    expect(text.stdout).toContain('--all-tests runs every test file');
  });

  it("keeps the selected run out of nx's cache for the whole target and out of its timings", () => {
    const before = reportJson(ws.root, ['--targets', 'test']).targets.find((target) => target.task === 'lib-a:test')!.executions;
    // the whole target must run (not restore the selection's result) and run all 4 files
    const whole = nx(ws.root, ['run', 'lib-a:test']);
    expect(whole.code).toBe(1);
    expect(whole.stdout).not.toContain('[local cache]');
    expect(whole.stdout).toMatch(/ℹ tests 4\b/);
    const after = reportJson(ws.root, ['--targets', 'test']).targets.find((target) => target.task === 'lib-a:test')!.executions;
    expect(after).toBe(before + 1); // the check's selected run is not an execution of lib-a:test
  });

  it('under CI=true runs whole targets (as --ci and --all-tests do: unit-tested)', () => {
    const { code, result } = check(ws.root, [], { CI: 'true' });
    expect(code).toBe(1);
    expect(result.testSelection).toBeNull();
    expect(result.failures.map((failure) => failure.task).sort()).toEqual(['lib-a:test', 'lib-b:test']);
    expect(result.tasks.map((task) => task.task)).toEqual(expect.arrayContaining(['app-a:test', 'lib-c:test']));
  });

  it('runs the whole target, and says why, when the change touches what the import graph cannot follow', () => {
    git(ws.root, 'checkout', '--', '.');
    const manifest = join(ws.root, 'libs/lib-a/package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"private": true', '"private": true, "description": "changed"'));
    const { code, result } = check(ws.root);
    expect(code).toBe(0);
    expect(byTask(result, 'lib-a:test')).toEqual({ task: 'lib-a:test', mode: 'whole', reason: 'libs/lib-a/package.json changed, which the import graph cannot follow' });
    git(ws.root, 'checkout', '--', '.');
  });
});
