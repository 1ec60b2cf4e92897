import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, sixty, type SynthWorkspace } from './workspace';

interface CheckJson {
  schemaVersion: number;
  ok: boolean;
  affectedProjects: string[];
  tasks: Array<{ task: string; status: string; cache: string; durationMs: number; overBudget: boolean }>;
  failures: Array<{ task: string; excerpt: string; logFile: string | null }>;
  overBudget: Array<{ task: string; durationMs: number; budgetMs: number; planCommand: string }>;
  wallMs: number;
}

function checkJson(root: string, args: string[] = []): { code: number; result: CheckJson; stderr: string } {
  const run = sixty(root, ['check', '--json', '--targets', 'build,test', ...args]);
  return { code: run.code, result: JSON.parse(run.stdout) as CheckJson, stderr: run.stderr };
}

/** Commits the work tree on main, so the next change stands alone against the merge-base. */
function commitAll(root: string): void {
  execFileSync('git', ['add', '-A'], { cwd: root });
  execFileSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', 'commit', '-qm', 'step'], { cwd: root });
}

const executed = (result: CheckJson) => result.tasks.filter((t) => t.cache === 'none').map((t) => t.task).sort();

describe('sixty check on a synthetic workspace with a git repo', () => {
  let ws: SynthWorkspace;
  let leaf: string;
  beforeAll(() => {
    ws = createWorkspace({ projects: 20, files: 2, seed: 8 });
    const warm = nx(ws.root, ['run-many', '-t', 'build', 'test']);
    expect(warm.code, warm.stderr).toBe(0);
    const dependedOn = new Set(ws.projects.flatMap((p) => p.dependsOn));
    leaf = ws.projects.find((p) => p.kind === 'app' && !dependedOn.has(p.name))!.name;
  });
  afterAll(() => ws.remove());

  it('runs only the changed leaf project, then everything from cache', () => {
    const leafRoot = ws.projects.find((p) => p.name === leaf)!.root;
    appendFileSync(join(ws.root, leafRoot, 'src', 'mod-1.js'), '// an edit by an agent\n');
    const first = checkJson(ws.root);
    expect(first.code, first.stderr).toBe(0);
    expect(first.result.ok).toBe(true);
    expect(first.result.affectedProjects).toEqual([leaf]);
    expect(executed(first.result)).toEqual([`${leaf}:build`, `${leaf}:test`]);

    const again = checkJson(ws.root);
    expect(again.code).toBe(0);
    expect(executed(again.result)).toEqual([]);
    expect(again.result.tasks.length).toBeGreaterThanOrEqual(2);

    const text = sixty(ws.root, ['check', '--targets', 'build,test']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^sixty check: ok {2}\d+ tasks \(\d+ from cache\)/);
    expect(text.stdout.trim().split('\n').length).toBeLessThanOrEqual(4);
    commitAll(ws.root);
  });

  it('runs the dependents of a changed shared library', () => {
    const shared = 'lib-a';
    appendFileSync(join(ws.root, 'libs', shared, 'src', 'mod-1.js'), 'export const added = 1;\n');
    const { code, result } = checkJson(ws.root);
    expect(code).toBe(0);
    const dependents = new Set([shared]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of ws.projects) {
        if (!dependents.has(p.name) && p.dependsOn.some((d) => dependents.has(d))) {
          dependents.add(p.name);
          grew = true;
        }
      }
    }
    expect(result.affectedProjects).toEqual([...dependents].sort());
    expect(executed(result)).toContain(`${shared}:test`);
    for (const project of dependents) expect(executed(result)).toContain(`${project}:build`);
    commitAll(ws.root);
  });

  it('exits 1 on a broken test with the assertion in a short excerpt', () => {
    const testFile = join(ws.root, 'libs', 'lib-a', 'test', 'mod-1.test.js');
    const original = readFileSync(testFile, 'utf8');
    writeFileSync(testFile, original.replace(/assert\.equal\(mod1\(2\), (\d+)\)/, 'assert.equal(mod1(2), 999)'));
    try {
      const text = sixty(ws.root, ['check', '--targets', 'build,test']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('FAILED lib-a:test');
      expect(text.stdout).toMatch(/999/);
      expect(text.stdout).toMatch(/Expected values to be strictly equal|AssertionError/);
      expect(text.stdout.trim().split('\n').length).toBeLessThanOrEqual(40);
      expect(text.stdout.length).toBeLessThan(4000);
      expect(text.stdout.trim().split('\n').at(-1)).toMatch(/^next: fix lib-a:test/);

      const { result } = checkJson(ws.root);
      expect(result.ok).toBe(false);
      expect(result.failures.map((f) => f.task)).toEqual(['lib-a:test']);
      expect(readFileSync(join(ws.root, result.failures[0]!.logFile!), 'utf8')).toContain('999');
    } finally {
      writeFileSync(testFile, original);
    }
  });

  it('with --strict, exits 1 naming a task over a small budget', () => {
    appendFileSync(join(ws.root, 'libs', 'lib-b', 'src', 'mod-2.js'), '// touch\n');
    const text = sixty(ws.root, ['check', '--targets', 'build,test', '--strict', '--budget', '0.05']);
    expect(text.code).toBe(1);
    // lib-b and every project depending on it ran, each task over 50 ms: the worst are named, each with its plan command
    const named = [...text.stdout.matchAll(/^over budget: (\S+) took \S+ > 50ms {2}-> sixty plan (\S+)$/gm)];
    expect(named.length).toBe(5);
    for (const [, task, planned] of named) expect(planned).toBe(task);
    const { code, result } = checkJson(ws.root, ['--strict', '--budget', '0.05']);
    expect(code).toBe(1);
    expect(result.overBudget.map((o) => o.task)).toEqual(expect.arrayContaining(['lib-b:build', 'lib-b:test']));
    const relaxed = sixty(ws.root, ['check', '--targets', 'build,test', '--budget', '0.05']);
    expect(relaxed.code).toBe(0);
  });

  it('exits 2 with a clear message for an unknown base', () => {
    const result = sixty(ws.root, ['check', '--base', 'no-such-branch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--base "no-such-branch" is not a commit');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sixty check outside a git repository', () => {
  it('exits 2 and says so', () => {
    const ws = createWorkspace({ projects: 2, files: 1, seed: 1, git: false });
    try {
      const result = sixty(ws.root, ['check']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('not inside a git repository');
    } finally {
      ws.remove();
    }
  });
});

/** Runs git in the workspace. */
function git(root: string, args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', ...args], { cwd: root, encoding: 'utf8' });
}

describe('sixty check agrees with nx: no false pass', () => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    ws = createWorkspace({ projects: 4, files: 1, seed: 5 });
  });
  afterAll(() => ws.remove());
  // each case starts from a clean tree on main
  const reset = () => {
    git(ws.root, ['checkout', '-q', '.']);
    git(ws.root, ['clean', '-qfd']);
  };

  it('names a failing spec that .nxignore hides, and --strict fails on it', () => {
    writeFileSync(join(ws.root, '.nxignore'), 'libs/*/test/\n');
    commitAll(ws.root);
    const spec = join(ws.root, 'libs', 'lib-a', 'test', 'mod-1.test.js');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/assert\.equal\(mod1\(2\), (\d+)\)/, 'assert.equal(mod1(2), 999)'));
    try {
      const text = sixty(ws.root, ['check', '--targets', 'build,test']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout.split('\n')[0]).toMatch(/^sixty check: ok, but 1 changed file NOT CHECKED  0 tasks .*, 0 affected projects, base main \([0-9a-f]{7}\)$/);
      expect(text.stdout).toContain('not checked: 1 changed file: libs/lib-a/test/mod-1.test.js (ignored by nx)');
      expect(text.stdout).toContain('note: nx finds no affected project: 1 changed file ignored by nx');
      expect(text.stdout).not.toContain('is @sixty/nx registered');
      const strict = checkJson(ws.root, ['--strict']);
      expect(strict.code).toBe(1);
      expect(strict.result.ok).toBe(false);
      expect((strict.result as unknown as { uncoveredFiles: unknown[] }).uncoveredFiles).toEqual([{ file: 'libs/lib-a/test/mod-1.test.js', reason: 'nx-ignored' }]);
    } finally {
      reset();
      git(ws.root, ['rm', '-q', '.nxignore']);
      commitAll(ws.root);
    }
  });

  it('names a change outside every project, and --strict fails on it', () => {
    writeFileSync(join(ws.root, 'notes.md'), '# a note\n');
    try {
      const text = sixty(ws.root, ['check', '--targets', 'build,test']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('not checked: 1 changed file: notes.md (in no project)');
      expect(sixty(ws.root, ['check', '--targets', 'build,test', '--strict']).code).toBe(1);
    } finally {
      reset();
    }
  });

  it('exits 2 on a target no project has', () => {
    appendFileSync(join(ws.root, 'libs', 'lib-a', 'src', 'mod-1.js'), '// edit\n');
    try {
      const result = sixty(ws.root, ['check', '--targets', 'build,tset']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('--targets "tset": no project has this target');
      expect(result.stderr).toMatch(/fix: use targets this workspace has: .*build.*test/);
    } finally {
      reset();
    }
  });

  it("honours nx.json's defaultBase, prints it, and fails on a base that is missing or shares no history", () => {
    git(ws.root, ['branch', 'trunk']);
    git(ws.root, ['checkout', '-q', '-b', 'feature']);
    const nxJsonPath = join(ws.root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(nxJsonPath, JSON.stringify({ ...nxJson, defaultBase: 'trunk' }, null, 2));
    commitAll(ws.root);
    const trunk = git(ws.root, ['rev-parse', '--short=7', 'trunk']).trim();
    try {
      const text = sixty(ws.root, ['check', '--targets', 'build']);
      expect(text.stdout.split('\n')[0]).toContain(`base trunk (${trunk})`);
      const json = checkJson(ws.root);
      expect(json.result).toMatchObject({ baseRef: 'trunk', baseSource: 'nx.json defaultBase' });

      writeFileSync(nxJsonPath, JSON.stringify({ ...nxJson, defaultBase: 'no-such-trunk' }, null, 2));
      const missing = sixty(ws.root, ['check', '--targets', 'build']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('nx.json defaultBase "no-such-trunk" is not a commit');
      reset();

      git(ws.root, ['checkout', '-q', '--orphan', 'unrelated']);
      commitAll(ws.root);
      git(ws.root, ['checkout', '-q', 'feature']);
      const unrelated = sixty(ws.root, ['check', '--base', 'unrelated']);
      expect(unrelated.code).toBe(2);
      expect(unrelated.stderr).toContain('base "unrelated" has no common ancestor');
    } finally {
      reset();
      git(ws.root, ['checkout', '-q', 'main']);
    }
  });
});
