// `sixty apply` is confined and all or nothing: the probe's hostile plans write nothing anywhere;
// a failure injected before a write rolls back to the exact tree before; a kill -9 mid-apply is
// finished or undone by `sixty apply --recover`; "already applied" only for the exact result.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShardPlan, SplitPlan } from '@sixty/core';
import { createWorkspace, nx, sixty, type SynthWorkspace } from './workspace';

/** Every path of the workspace with its content hash or link target (nx's, sixty's and git's own folders left out). */
function fingerprint(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const skip = new Set(['.git', '.nx', '.sixty']);
  const visit = (directory: string, prefix: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      if (prefix === '' && skip.has(entry.name)) continue;
      const path = join(directory, entry.name);
      if (entry.isSymbolicLink()) entries[relative] = `-> ${readlinkSync(path)}`;
      else if (entry.isDirectory()) {
        // the installed packages are links or folders nobody writes: their names are enough
        if (relative === 'node_modules') {
          for (const link of readdirSync(path, { withFileTypes: true })) {
            entries[`node_modules/${link.name}`] = link.isSymbolicLink() ? `-> ${readlinkSync(join(path, link.name))}` : 'present';
          }
        }
        else visit(path, relative);
      } else entries[relative] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  visit(root, '');
  return entries;
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true }).map(String).sort();
}

describe('sixty apply: confined, and all or nothing', () => {
  let ws: SynthWorkspace;
  let plan: SplitPlan;
  let planOutput = '';
  let elsewhere: string;
  let before: Record<string, string>;
  let after: Record<string, string>;

  beforeAll(() => {
    // configured budget 1 s, the plan made for 3 s: judged by the configured one, its parts would be refused
    ws = createWorkspace({ projects: 4, files: 6, seed: 2, budgetSeconds: 1, durations: ['lib-c:build=4'] });
    elsewhere = mkdtempSync(join(tmpdir(), 'sixty-elsewhere-'));
    const built = nx(ws.root, ['run', 'lib-c:build']);
    expect(built.code, built.stderr).toBe(0);
    const planned = sixty(ws.root, ['plan', 'lib-c:build', '--kind', 'split', '--budget', '3', '--out', 'plan.json']);
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    planOutput = planned.stdout;
    plan = JSON.parse(readFileSync(join(ws.root, 'plan.json'), 'utf8')) as SplitPlan;
    expect(plan.projects.length).toBeGreaterThanOrEqual(2);
    // the probe's committed link out of the workspace
    symlinkSync(elsewhere, join(ws.root, 'linkout'));
    spawnSync('git', ['add', '-A'], { cwd: ws.root });
    spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'plan and link'], { cwd: ws.root });
    before = fingerprint(ws.root);
  });
  afterAll(() => {
    ws?.remove();
    if (elsewhere) rmSync(elsewhere, { recursive: true, force: true });
  });

  it('judges a split plan made with --budget by the budget it carries, and its printed next: works as printed', () => {
    expect(plan.budgetMs).toBe(3000);
    expect(plan.projects.some((part) => part.estimatedMs > 1000), 'a part over the configured 1 s budget').toBe(true);
    const validated = sixty(ws.root, ['plan', '--validate', 'plan.json']);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout + validated.stderr).toContain("judged by the plan's own budget of 3.0s; the configured budget of lib-c:build is 1.0s");
    const next = /^next: (sixty apply \S+ --dry-run)$/m.exec(planOutput)?.[1];
    expect(next, planOutput).toBe('sixty apply plan.json --dry-run');
    const dryRun = sixty(ws.root, next!.split(' ').slice(1));
    expect(dryRun.code, dryRun.stdout + dryRun.stderr).toBe(0);
    expect(fingerprint(ws.root)).toEqual(before);
  });

  it.each([
    ['linkout/lib-c-part', /leads outside the workspace \(to .*\) through a symbolic link/],
    ['node_modules/esbuild/lib-c-part', /is inside installed packages \(node_modules\)/],
    ['.git/lib-c-part', /is inside git's own directory/],
  ])('refuses a part rooted at %s, writing nothing anywhere', (root, reason) => {
    const hostile = structuredClone(plan);
    hostile.projects[0]!.root = root;
    hostile.projects[0]!.entry = `${root}/src/index.js`;
    writeFileSync(join(ws.root, 'hostile.json'), JSON.stringify(hostile));
    const esbuildBefore = filesUnder(join(ws.root, 'node_modules', 'esbuild'));
    const refused = sixty(ws.root, ['apply', 'hostile.json']);
    rmSync(join(ws.root, 'hostile.json'));
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(reason);
    expect(fingerprint(ws.root)).toEqual(before);
    expect(filesUnder(elsewhere)).toEqual([]);
    expect(filesUnder(join(ws.root, 'node_modules', 'esbuild'))).toEqual(esbuildBefore);
    expect(existsSync(join(ws.root, '.git', 'lib-c-part'))).toBe(false);
  });

  it('refuses "../" in fileHashes, and shard plans for targets lib-c does not have', () => {
    const hostile = structuredClone(plan);
    hostile.fileHashes!.push({ file: 'libs/lib-c/../../../etc/passwd', sha256: 'a'.repeat(64) });
    writeFileSync(join(ws.root, 'hostile.json'), JSON.stringify(hostile));
    const validated = sixty(ws.root, ['plan', '--validate', 'hostile.json', '--budget', '2']);
    expect(validated.code, validated.stdout + validated.stderr).toBe(1);
    expect(validated.stdout).toContain('plan.fileHashes: "libs/lib-c/../../../etc/passwd" contains ".."');
    const baseline = existsSync(join(ws.root, 'sixty-timings.json')) ? readFileSync(join(ws.root, 'sixty-timings.json'), 'utf8') : null;
    for (const target of ['__proto__', 'constructor', 'toString']) {
      const shard: ShardPlan = {
        schemaVersion: 1,
        kind: 'shard',
        task: `lib-c:${target}`,
        budgetMs: 60_000,
        rationale: 'hostile',
        source: 'agent',
        shards: [{ name: 'shard-1-of-1', files: plan.projects.flatMap((part) => part.files).filter((file) => /\.test\./.test(file)), estimatedMs: 1 }],
      };
      writeFileSync(join(ws.root, 'hostile.json'), JSON.stringify(shard));
      const refused = sixty(ws.root, ['apply', 'hostile.json', '--budget', '60']);
      expect(refused.code, refused.stdout + refused.stderr).toBe(1);
      expect(refused.stdout).toContain(`plan.task: "lib-c:${target}" names no target of lib-c`);
    }
    rmSync(join(ws.root, 'hostile.json'));
    expect(existsSync(join(ws.root, 'sixty-timings.json')) ? readFileSync(join(ws.root, 'sixty-timings.json'), 'utf8') : null).toBe(baseline);
    expect(fingerprint(ws.root)).toEqual(before);
  });

  it('rolls back to the exact tree before when a write fails (first, middle and last step)', () => {
    let steps = 0;
    for (const failAt of [1, 'middle', 'last'] as const) {
      const step = failAt === 'middle' ? Math.ceil(steps / 2) : failAt === 'last' ? steps : failAt;
      const failed = sixty(ws.root, ['apply', 'plan.json'], { SIXTY_APPLY_FAIL_AT: String(step) });
      const output = failed.stdout + failed.stderr;
      steps = Number(/ of (\d+) /.exec(output)?.[1]);
      expect(steps).toBeGreaterThan(20); // moves, new projects' files, rewrites, links, records
      expect(failed.code, output).toBe(1);
      expect(output).toMatch(new RegExp(`apply failed at step ${step} of ${steps} \\(.+\\): injected failure`));
      expect(output).toMatch(/rolled back: the workspace is as it was before \(\d+ paths checked by SHA-256\); nothing was applied/);
      expect(output).not.toContain('next:');
      expect(fingerprint(ws.root), `failure at step ${step}`).toEqual(before);
      expect(existsSync(join(ws.root, '.sixty', 'apply', 'journal.json'))).toBe(false);
    }
  });

  it('rolls back when SIGTERM arrives mid-commit, and says so', () => {
    const signalled = sixty(ws.root, ['apply', 'plan.json'], { SIXTY_APPLY_SIGNAL_AT: '5' });
    const output = signalled.stdout + signalled.stderr;
    expect(signalled.code, output).toBe(1);
    // the signal is seen between two steps: the step after the one it arrived at, or the next
    expect(output).toMatch(/apply failed at step (6|7) of \d+ \(.+\): interrupted by SIGTERM\nrolled back: the workspace is as it was before/);
    expect(fingerprint(ws.root)).toEqual(before);
  });

  it('rolls back when a file it must replace is immutable (chattr +i), and names the error', (context) => {
    const entry = 'libs/lib-c/src/index.js';
    const locked = spawnSync('chattr', ['+i', join(ws.root, entry)], { encoding: 'utf8' });
    if (locked.status !== 0) context.skip(); // needs root and a file system with the immutable flag
    try {
      const failed = sixty(ws.root, ['apply', 'plan.json']);
      expect(failed.code, failed.stdout + failed.stderr).toBe(1);
      expect(failed.stdout).toMatch(new RegExp(`apply failed at step \\d+ of \\d+ \\(${entry}\\): EPERM: operation not permitted`));
      expect(failed.stdout).toMatch(/rolled back: the workspace is as it was before/);
      expect(failed.stdout).not.toContain('already applied');
    } finally {
      spawnSync('chattr', ['-i', join(ws.root, entry)]);
    }
    expect(fingerprint(ws.root)).toEqual(before);
    expect(existsSync(join(ws.root, '.sixty', 'decompositions.json'))).toBe(false);
  });

  it('applies in one transaction; applying again is "already applied" only while the tree is exactly so', () => {
    const applied = sixty(ws.root, ['apply', 'plan.json']);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/decompose lib-c:build: \d+ new projects/);
    expect(applied.stdout).toMatch(/wrote \d+ changes in one transaction, recorded in \.sixty\/decompositions\.json\nnext: /);
    after = fingerprint(ws.root);
    for (const part of plan.projects) expect(after[`node_modules/${part.name}`]).toBe(`-> ../${part.root}`);
    const again = sixty(ws.root, ['apply', 'plan.json']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/plan\.json is already applied .*: all \d+ paths it wrote are as it left them; nothing to do/);
    const entry = plan.projects[0]!.entry;
    const text = readFileSync(join(ws.root, entry), 'utf8');
    writeFileSync(join(ws.root, entry), `${text}// edited\n`);
    const changed = sixty(ws.root, ['apply', 'plan.json']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain(`no longer as it left them: ${entry}`);
    writeFileSync(join(ws.root, entry), text);
  });

  it('after kill -9 mid-apply, --recover undo restores the tree before and --recover finishes it', () => {
    // back to the tree before the split: git restores the sources, the records go
    spawnSync('git', ['checkout', '--', '.'], { cwd: ws.root });
    spawnSync('git', ['clean', '-fdq', '-e', '.sixty', '-e', '.nx', '-e', 'node_modules'], { cwd: ws.root });
    for (const part of plan.projects) rmSync(join(ws.root, 'node_modules', part.name), { force: true });
    rmSync(join(ws.root, '.sixty', 'applied'), { recursive: true, force: true });
    expect(fingerprint(ws.root)).toEqual(before);

    const killed = sixty(ws.root, ['apply', 'plan.json'], { SIXTY_APPLY_KILL_AT: '12' });
    expect(killed.code).not.toBe(0);
    expect(existsSync(join(ws.root, '.sixty', 'apply', 'journal.json'))).toBe(true);
    expect(fingerprint(ws.root)).not.toEqual(before);
    const undone = sixty(ws.root, ['apply', '--recover', 'undo']);
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(undone.stdout).toMatch(/the interrupted apply of plan\.json \(lib-c:build\) was undone, because undo was asked for: the workspace is as it was before it/);
    expect(fingerprint(ws.root)).toEqual(before);

    expect(sixty(ws.root, ['apply', 'plan.json'], { SIXTY_APPLY_KILL_AT: '12' }).code).not.toBe(0);
    const finished = sixty(ws.root, ['apply', '--recover']);
    expect(finished.code, finished.stdout + finished.stderr).toBe(0);
    expect(finished.stdout).toMatch(/the interrupted apply of plan\.json \(lib-c:build\) was finished: all \d+ changes are in place/);
    expect(fingerprint(ws.root)).toEqual(after);
    expect(sixty(ws.root, ['apply', '--recover']).stdout).toContain('no interrupted apply to recover');
    const again = sixty(ws.root, ['apply', 'plan.json']);
    expect(again.stdout).toMatch(/already applied/);
  });
});
