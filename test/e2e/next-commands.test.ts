// Every `next:` sixty prints works as printed: collected from report, check and plan (and from
// what those commands print in turn) on a real workspace, then each one run.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, sixty, type CommandResult, type SynthWorkspace } from './workspace';

/** A command a `next:` hint prints, and the exit code the hint documents for it. */
interface NextCommand {
  command: string;
  expectedCode: number;
  from: string;
}

const COMMAND_START = /^(sixty|nx) /;

/**
 * The commands in a hint line: `next: <command>   (why)`, or the `backticked` commands of a
 * sentence (`next: fix X, then run \`sixty check\` again (or \`nx run X\` alone)`). A hint that
 * asks to fix a failure documents that its commands exit 1 until the failure is fixed.
 */
export function commandsOfHint(line: string, from: string): NextCommand[] {
  const hint = line.replace(/^\s*(?:-\s*)?next:\s*/i, '');
  const expectedCode = /^fix /.test(hint) ? 1 : 0;
  const quoted = [...hint.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  const plain = hint.split(/\s{3,}/)[0]!.trim();
  const commands = quoted.length > 0 ? quoted : [plain];
  return commands.filter((command) => COMMAND_START.test(command)).map((command) => ({ command, expectedCode, from }));
}

/** Every hint of an output: text `next:` lines, markdown `Next:` lines, the HTML's `Next: <code>`. */
export function hintsOf(output: string, from: string): NextCommand[] {
  const html = [...output.matchAll(/Next: <code>([^<]+)<\/code>/g)].map((match) => `next: ${match[1]!}`);
  const lines = output.split('\n').filter((line) => /^\s*(?:-\s*)?next: /i.test(line));
  return [...lines, ...html].flatMap((line) => commandsOfHint(line, from));
}

function run(root: string, command: string): CommandResult {
  const words = command.split(/\s+/);
  return words[0] === 'sixty' ? sixty(root, words.slice(1)) : nx(root, words.slice(1));
}

describe('every next: command sixty prints', () => {
  let ws: SynthWorkspace;
  const ran: Array<NextCommand & { code: number; output: string }> = [];

  beforeAll(() => {
    // budget 2 s: app-a:test (4 s) is over it on any machine, each of its 10 files far under it
    // (the shard plan is refused only when load makes a file take 2 s); the libraries' tests never run
    ws = createWorkspace({ projects: 4, files: 10, seed: 5, budgetSeconds: 2, durations: ['app-a:test=4'] });
    const builds = nx(ws.root, ['run-many', '-t', 'build']);
    expect(builds.code, builds.stderr).toBe(0);

    const hints: NextCommand[] = [];
    const collect = (args: string[], expectedCode: number) => {
      const result = sixty(ws.root, args);
      expect(result.code, `sixty ${args.join(' ')}: ${result.stderr}`).toBe(expectedCode);
      hints.push(...hintsOf(result.stdout, `sixty ${args.join(' ')}`));
      return result;
    };

    // a check that fails: a changed assertion in the app's test
    const testFile = join(ws.root, 'apps/app-a/test/mod-1.test.js');
    const passing = readFileSync(testFile, 'utf8');
    writeFileSync(testFile, passing.replace(/assert\.equal\(mod1\(2\), (\d+)\)/, (_all, n: string) => `assert.equal(mod1(2), ${Number(n) + 1})`));
    collect(['check', '--targets', 'build,test'], 1);
    // run while the failure stands: the hint says these exit 1 until it is fixed
    for (const hint of hints.splice(0)) ran.push({ ...hint, ...outcome(run(ws.root, hint.command)) });
    writeFileSync(testFile, passing);

    // a check that passes, with app-a:test over budget; then the reports (measured and whole graph)
    appendFileSync(join(ws.root, 'apps/app-a/src/mod-1.js'), '// an edit that breaks nothing\n');
    collect(['check', '--targets', 'build,test'], 0);
    collect(['report', '--targets', 'build,test'], 0);
    collect(['report', '--targets', 'build,test', '--whole-graph'], 0);
    collect(['report', '--targets', 'build,test', '--whole-graph', '--format', 'markdown'], 0);
    collect(['report', '--targets', 'build,test', '--whole-graph', '--format', 'html'], 0);

    // each hint run once, and what it prints followed in turn (plan -> apply --dry-run)
    const seen = new Set(ran.map((r) => r.command));
    while (hints.length > 0) {
      const hint = hints.shift()!;
      if (seen.has(hint.command)) continue;
      seen.add(hint.command);
      const result = run(ws.root, hint.command);
      ran.push({ ...hint, ...outcome(result) });
      hints.push(...hintsOf(result.stdout, hint.command));
    }
  }, 300_000);
  afterAll(() => ws.remove());

  function outcome(result: CommandResult): { code: number; output: string } {
    return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
  }

  it('prints hints of each kind: fix a failure, plan the target over budget, apply a valid plan', () => {
    const commands = ran.map((r) => r.command);
    expect(commands).toEqual(expect.arrayContaining(['sixty check', 'nx run app-a:test', 'sixty plan app-a:test']));
    const validPlans = ran.filter((r) => r.command.startsWith('sixty plan ') && r.code === 0).length;
    const applies = commands.filter((command) => /^sixty apply \S+ --dry-run$/.test(command)).length;
    expect(applies, commands.join('\n')).toBe(validPlans);
  });

  it('never names a task that never ran, even when the whole graph is analysed', () => {
    const neverRan = ['lib-a:test', 'lib-b:test', 'lib-c:test'];
    for (const { command } of ran) for (const task of neverRan) expect(command).not.toContain(task);
  });

  it('runs each one with the exit code its hint documents (0, or 1 while a failure it asks to fix stands)', () => {
    for (const { command, from, code, expectedCode, output } of ran) {
      // sixty plan documents exit 1 for a plan it made and found not valid (a file alone over the
      // budget: how long a file takes is measured, so load decides it); never a usage error
      const refusedPlan = command.startsWith('sixty plan ') && code === 1 && output.includes('the plan is not valid');
      expect(refusedPlan ? expectedCode : code, `${command} (printed by ${from}) exited ${code}:\n${output.slice(-1500)}`).toBe(expectedCode);
    }
  });
});
