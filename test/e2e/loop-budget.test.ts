// The loop budget end to end: `sixty report` leads with the loop over it, `sixty check --strict`
// fails on a check that took longer (and passes one far under), and `sixty plan <project> --loop`
// plans remedies whose printed next: commands run as printed. Durations differ by large factors:
// lib-a's tests take 15 s against a 5 s loop budget, a check passes against 600 s.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, createWorkspace, nx, sixty, type CommandResult, type SynthWorkspace } from './workspace';

interface CheckJson {
  ok: boolean;
  wallMs: number;
  loop: { wallMs: number; loopBudgetMs: number; overBudget: boolean; largestTask: { task: string; durationMs: number } | null; project: string | null; planCommand: string | null };
}

/** The commands of the `next:` lines of an output (`next: <command>   (why)`). */
function nextCommands(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('next: '))
    .map((line) => line.slice('next: '.length).split(/\s{3,}/)[0]!.trim());
}

function runPrinted(root: string, command: string): CommandResult {
  const words = command.split(/\s+/);
  expect(words[0], command).toBe('sixty');
  return sixty(root, words.slice(1));
}

/** plan --loop exits 0 with a set that fits, 1 when none does, and says which. */
function expectPlanVerdict(result: CommandResult): void {
  if (result.code === 0) expect(result.stdout).toMatch(/^cheapest set that brings the loop under 5\.0s \(cost \d+, loop ~\S+ estimated; \d+ sets simulated\):$/m);
  else expect(result.stdout, result.stderr).toMatch(/^no set of these remedies brings the loop under 5\.0s/m);
  expect([0, 1]).toContain(result.code);
}

describe('the loop budget', () => {
  let ws: SynthWorkspace;

  beforeAll(() => {
    ws = createWorkspace({ projects: 4, files: 4, seed: 5, durations: ['lib-a:test=15', 'lib-b:test=1', 'lib-c:test=1', 'app-a:test=1'] });
    const nxJsonPath = join(ws.root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as { plugins: Array<{ options: Record<string, unknown> }> };
    Object.assign(nxJson.plugins[0]!.options, { budgetSeconds: 60, loopBudgetSeconds: 5 });
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
    commitAll(ws.root, 'a 5 s loop budget');
    const warm = nx(ws.root, ['run-many', '-t', 'build,test']);
    expect(warm.code, warm.stderr).toBe(0);
  }, 120_000);
  afterAll(() => ws.remove());

  it('sixty report leads with the loops over it, next to the target verdict, in text, JSON and HTML', () => {
    const text = sixty(ws.root, ['report', '--targets', 'build,test']);
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    // every target is within its 60 s budget; lib-a's loop (its 15 s tests) is not within 5 s
    expect(lines[0]).toMatch(/: every target within its budget \(default 1m 00s\); \d of 4 loops over the loop budget \(5\.0s\)$/);
    expect(lines[2]).toMatch(/^loops over the loop budget \(5\.0s: the wall time of a change, its affected tasks at --parallel 3\), slowest first; savings are estimates/);
    expect(lines[3]).toMatch(/^ {2}lib-a \S+ \(\d tasks, largest lib-a:test \S+\): .*shard lib-a:test in \d -\S+.*; plan: sixty plan lib-a --loop --targets build,test$/);
    expect(text.stdout).toMatch(/^next: sixty plan lib-a --loop --targets build,test {3}\(plan the cheapest remedies/m);

    const json = JSON.parse(sixty(ws.root, ['report', '--targets', 'build,test', '--json']).stdout) as {
      loopBudgetMs: number;
      loopViolations: Array<{ project: string; loopMs: number; largestTask: { id: string }; remedies: Array<{ kind: string; savingMs: number }> }>;
    };
    expect(json.loopBudgetMs).toBe(5000);
    const libA = json.loopViolations.find((v) => v.project === 'lib-a')!;
    expect(libA.loopMs).toBeGreaterThan(3 * 5000 * 0.9);
    expect(libA.largestTask.id).toBe('lib-a:test');
    expect(libA.remedies.some((r) => r.kind === 'shard' && r.savingMs > 0)).toBe(true);

    const html = sixty(ws.root, ['report', '--targets', 'build,test', '--format', 'html']).stdout;
    expect(html).not.toMatch(/All \d+ targets within budget/);
    expect(html).toMatch(/<h1 id="verdict">\d of 4 loops over the loop budget; every target within its budget<\/h1>/);
    expect(html).toContain('<tr data-project="lib-a">');
  });

  it('sixty plan <project> --loop plans remedies, and each next: it prints runs as printed', () => {
    const plan = sixty(ws.root, ['plan', 'lib-a', '--loop', '--targets', 'build,test']);
    expect(plan.stdout).toMatch(/^loop of lib-a: a change to it runs \d tasks \(build, test\) at --parallel 3, predicted \S+; loop budget 5\.0s$/m);
    expect(plan.stdout).toMatch(/^largest contributor: lib-a:test \S+$/m);
    expectPlanVerdict(plan);
    const next = nextCommands(plan.stdout);
    expect(next.length).toBeGreaterThan(0);
    const json = JSON.parse(sixty(ws.root, ['plan', 'lib-a', '--loop', '--targets', 'build,test', '--json']).stdout) as { plan: { remedies: Array<{ command: string }> }; next: string[] };
    expect(json.next).toEqual(next);
    for (const command of next) {
      const result = runPrinted(ws.root, command);
      // a shard plan exits 1 when it finds its own plan not valid (a file alone over the budget it was given)
      const refusedPlan = command.startsWith('sixty plan ') && result.code === 1 && result.stdout.includes('the plan is not valid');
      expect(refusedPlan ? 0 : result.code, `${command}:\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
    const usage = sixty(ws.root, ['plan', 'lib-a:test', '--loop']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--loop plans a project's loop: give a project, not the target lib-a:test");
  });

  it('sixty check --strict fails when the check took longer than the loop budget, names the largest contributor and the plan; passes far under it', () => {
    appendFileSync(join(ws.root, 'libs/lib-a/src/mod-1.js'), '// a change to lib-a\n');
    const failing = sixty(ws.root, ['check', '--targets', 'build,test', '--strict', '--all-tests', '--json']);
    expect(failing.code, failing.stderr).toBe(1);
    const result = JSON.parse(failing.stdout) as CheckJson;
    expect(result.ok).toBe(false);
    expect(result.loop).toMatchObject({ loopBudgetMs: 5000, overBudget: true, project: 'lib-a', planCommand: 'sixty plan lib-a --loop --targets build,test' });
    expect(result.loop.largestTask!.task).toBe('lib-a:test');
    expect(result.loop.wallMs).toBeGreaterThan(2.5 * 5000);

    // another change to lib-a: its tests run again, in text
    appendFileSync(join(ws.root, 'libs/lib-a/src/mod-1.js'), '// another change to lib-a\n');
    const text = sixty(ws.root, ['check', '--targets', 'build,test', '--strict', '--all-tests']);
    expect(text.code, text.stdout).toBe(1);
    expect(text.stdout).toMatch(/^sixty check: OVER BUDGET/);
    expect(text.stdout).toMatch(/^loop over budget: this check took \S+ > loop budget 5\.0s; largest contributor lib-a:test \S+( \(from cache\))?  -> sixty plan lib-a --loop --targets build,test$/m);
    const [printed] = nextCommands(text.stdout);
    expect(printed).toBe('sixty plan lib-a --loop --targets build,test');
    expectPlanVerdict(runPrinted(ws.root, printed!));

    // the same change again (from cache) against a 600 s loop budget: far under it
    const passing = sixty(ws.root, ['check', '--targets', 'build,test', '--strict', '--all-tests', '--json'], { SIXTY_LOOP_BUDGET_SECONDS: '600' });
    expect(passing.code, passing.stdout).toBe(0);
    expect((JSON.parse(passing.stdout) as CheckJson).loop).toMatchObject({ loopBudgetMs: 600_000, overBudget: false });
  }, 120_000);
});
