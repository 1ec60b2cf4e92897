import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, nx, nxToFiles, sixty } from './workspace';

/**
 * lib-c:test sleeps 6 s over six files against a 3 s budget: over it under any load, and each
 * file (1 s) fits, so the printed plan is valid. lib-b:test gets 50 ms, less than node's own
 * start: over it without sleeping, for the daemon run. Every other task has the default minute.
 */
function withBudgets(root: string): void {
  const nxJsonPath = join(root, 'nx.json');
  const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
  nxJson.plugins = [{ plugin: '@sixty/nx', options: { budgets: { 'lib-c:test': 3, 'lib-b:test': 0.05 } } }];
  writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
}

const lineFor = (task: string, budget: string): RegExp =>
  new RegExp(`^\\[sixty\\] over budget: ${task} took \\S+ against its ${budget} budget, its first recorded run\\n\\[sixty\\] plan the fix: sixty plan ${task}\\n`, 'm');
const sixtyLines = (result: { stdout: string; stderr: string }): number => `${result.stdout}${result.stderr}`.match(/^\[sixty\]/gm)?.length ?? 0;

for (const version of ['workspace', 'latest'] as const) {
  describe(`the budget line at the end of an nx run (nx ${version === 'latest' ? '24' : '22'})`, () => {
    it('follows a run with a slow target, not a fast run nor a cached rerun; the printed command works; with the daemon too', () => {
      const ws = createWorkspace({ projects: 4, files: 6, seed: 7, git: false, durations: ['lib-c:test=6'], nx: version });
      try {
        withBudgets(ws.root);
        const summary = join(ws.root, 'step-summary.md');
        const slow = nx(ws.root, ['run', 'lib-c:test'], { GITHUB_STEP_SUMMARY: summary });
        expect(slow.code, slow.stderr).toBe(0);
        expect(slow.stderr).toMatch(lineFor('lib-c:test', '3\\.0s'));
        expect(sixtyLines(slow)).toBe(2);
        // after nx's own output: nothing of nx's follows the two lines
        expect(slow.stderr.trimEnd().endsWith('sixty plan lib-c:test')).toBe(true);
        expect(readFileSync(summary, 'utf8')).toContain('**sixty** plan the fix: `sixty plan lib-c:test`');

        const fast = nx(ws.root, ['run', 'lib-a:test']);
        expect(fast.code).toBe(0);
        expect(sixtyLines(fast)).toBe(0);
        const cached = nx(ws.root, ['run', 'lib-c:test']);
        expect(cached.code).toBe(0);
        expect(`${cached.stdout}${cached.stderr}`).toMatch(/local cache|existing outputs match the cache/);
        expect(sixtyLines(cached)).toBe(0);

        const printed = /sixty plan (\S+)$/m.exec(slow.stderr)![1]!;
        // Works as printed: it plans that task. Whether each 1 s file still fits 3 s is load's to
        // decide (exit 0 with a next: step, or 1 naming the file that alone is over), never a usage error.
        const plan = sixty(ws.root, ['plan', printed]);
        expect(plan.stdout).toMatch(/^plan lib-c:test \(shard, local\)/);
        if (plan.code === 0) expect(plan.stdout).toContain('next: sixty apply .sixty/plans/lib-c-test.json --dry-run');
        else expect([plan.code, plan.stdout]).toEqual([1, expect.stringMatching(/alone takes \d+ ms, over the 3000 ms budget/)]);

        // With the daemon on, the hook runs in the daemon (whose stderr is daemon.log); the line
        // still reaches the stderr of the nx command that ran the task.
        try {
          const daemon = nxToFiles(ws.root, ['run', 'lib-b:test'], { NX_DAEMON: 'true', GITHUB_STEP_SUMMARY: summary });
          expect(daemon.code, daemon.stderr).toBe(0);
          expect(daemon.stderr).toMatch(lineFor('lib-b:test', '50ms'));
          expect(sixtyLines(daemon)).toBe(2);
          expect(readFileSync(summary, 'utf8')).toContain('**sixty** plan the fix: `sixty plan lib-b:test`');
          const log = join(ws.root, '.nx/workspace-data/d/daemon.log');
          expect(existsSync(log)).toBe(true);
          expect(readFileSync(log, 'utf8')).not.toContain('[sixty] over budget');
        } finally {
          nx(ws.root, ['daemon', '--stop']);
        }
      } finally {
        ws.remove();
      }
    });
  });
}
