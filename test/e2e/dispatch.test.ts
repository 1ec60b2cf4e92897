import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, SIXTY_BIN, sixty, type SynthWorkspace } from './workspace';

/** The parts of the dispatch record (schema version 1) these tests read. */
interface DispatchJson {
  schemaVersion: number;
  id: string;
  task: string;
  ticket: string;
  ticketSource: string;
  branch: string;
  worktree: string;
  worktreeKept: boolean;
  base: string;
  baseDirty: boolean;
  agent: { command: string; exitCode: number | null; ms: number; timedOut: boolean; stalled: boolean; logFile: string };
  filesChanged: string[];
  agentFilesChanged: string[];
  checkoutChanges: string[];
  sandbox: string;
  commit: string | null;
  patchFile: string | null;
  check: {
    ok: boolean;
    tasks: Array<{ task: string; cache: string; status: string; durationMs: number }>;
    failures: Array<{ task: string; excerpt: string }>;
  } | null;
  overBudgetBefore: string[];
  overBudgetAfter: string[];
  taskMsBefore: number | null;
  taskMsAfter: number | null;
  loopTimeBefore: number | null;
  loopTimeAfter: number | null;
  trackerUpdated: boolean;
  outcome: string;
  reason: string;
  notes: string[];
}

/** Scripted agents: what a coding agent would do, without a model. */
const AGENTS = {
  // Makes the target fast for real: the synthetic tests spend their cost in spend(N).
  'fix.mjs': `import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const ticket = readFileSync(0, 'utf8');
const task = process.env.SIXTY_TASK;
const project = task.split(':')[0];
const root = ['libs', 'apps'].map((dir) => join(dir, project)).find((dir) => existsSync(dir));
for (const name of readdirSync(join(root, 'test'))) {
  const file = join(root, 'test', name);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/spend\\(\\d+\\)/g, 'spend(5)').replace(/cost test=\\d+ms/, 'cost test=5ms'));
}
writeFileSync(join(process.env.AGENT_SEEN_DIR, project + '.json'), JSON.stringify({
  cwd: process.cwd(), ticketOnStdin: ticket, SIXTY_TICKET: process.env.SIXTY_TICKET, SIXTY_TASK: task,
  SIXTY_BUDGET_SECONDS: process.env.SIXTY_BUDGET_SECONDS,
}));
console.log('made ' + task + ' fast');
`,
  // Breaks a test of the ticket's project.
  'break.mjs': `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const project = process.env.SIXTY_TASK.split(':')[0];
const root = ['libs', 'apps'].map((dir) => join(dir, project)).find((dir) => existsSync(dir));
const file = join(root, 'test', 'mod-1.test.js');
writeFileSync(file, readFileSync(file, 'utf8').replace(/assert\\.equal\\(mod1\\(2\\), \\d+\\)/, 'assert.equal(mod1(2), 999)'));
console.log('edited ' + file);
`,
  // Never finishes, keeps talking, and has a child of its own: the whole group must end.
  'hang.mjs': `import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
writeFileSync(process.env.AGENT_SEEN_DIR + '/hang.pid', String(child.pid));
setInterval(() => console.log('still thinking...'), 300);
`,
  // Follows the ticket: applies its plan with sixty apply (shards in sixty-timings.json).
  'apply.mjs': `import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const ticket = readFileSync(process.env.SIXTY_TICKET, 'utf8');
const plan = /Plan: \`([^\`]+)\`/.exec(ticket)[1];
console.log(execFileSync(process.execPath, [process.env.AGENT_SIXTY_BIN, 'apply', plan], { encoding: 'utf8' }));
`,
  // Finds the user's checkout through git and writes there, then switches its branch.
  'escape.mjs': `import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
const main = dirname(execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { encoding: 'utf8' }).trim());
try { writeFileSync(join(main, 'escaped.txt'), 'the agent was here\\n'); console.log('wrote escaped.txt'); } catch (error) { console.log('could not write: ' + error.code); }
try { execFileSync('git', ['-C', main, 'checkout', '-q', '-b', 'agent-took-over'], { stdio: 'pipe' }); console.log('switched'); } catch { console.log('could not switch'); }
`,
  // Says one thing, then nothing.
  'stall.mjs': `console.log('reading the ticket');
setInterval(() => {}, 1000);
`,
};

const TRACKER = `# Tech debt tracker

## Targets over budget

| target | p90 | budget | plan | status |
|---|---|---|---|---|
| lib-a:test | 4.5s | 2.0s | [shard into 3 (local)](exec-plans/lib-a-test-2026-11-25.md) | planned |
| lib-b:test | 4.5s | 2.0s | - | planned |
`;

const TICKET = `# lib-a:test: shard into 3

- Status: planned

## Context

lib-a:test takes 4.5s at p90 against a 2.0s budget.
`;

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function commitAll(root: string, message: string): void {
  git(root, ['add', '-A']);
  execFileSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', 'commit', '-qm', message], { cwd: root });
}

/** What must hold after any dispatch: the user's branch, HEAD and work tree as they were. */
function userState(root: string): { head: string; branch: string; status: string; worktrees: string[]; branches: string[] } {
  return {
    head: git(root, ['rev-parse', 'HEAD']),
    branch: git(root, ['branch', '--show-current']),
    status: git(root, ['status', '--porcelain']),
    worktrees: git(root, ['worktree', 'list', '--porcelain']).split('\n').filter((line) => line.startsWith('worktree ')),
    branches: git(root, ['branch', '--list', '--format=%(refname:short)']).split('\n').filter(Boolean).sort(),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, attempts = 50): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** Removes a kept worktree, its branch, and the temporary directory around it (its history copy). */
function removeKept(root: string, record: DispatchJson): void {
  execFileSync('git', ['worktree', 'remove', '--force', '--force', record.worktree], { cwd: root });
  execFileSync('git', ['branch', '-D', record.branch], { cwd: root, stdio: 'pipe' });
  rmSync(dirname(record.worktree), { recursive: true, force: true });
}

describe('sixty dispatch on a synthetic workspace with three targets over budget (4s; lib-c:test 5s)', () => {
  let ws: SynthWorkspace;
  let agents: string;
  let seen: string;
  const agent = (name: keyof typeof AGENTS): string => `node ${join(agents, name)}`;
  const dispatch = (args: string[]) => sixty(ws.root, ['dispatch', '--targets', 'build,test', ...args], { AGENT_SEEN_DIR: seen, AGENT_SIXTY_BIN: SIXTY_BIN });

  beforeAll(() => {
    ws = createWorkspace({ projects: 4, files: 6, seed: 3, durations: ['lib-a:test=8', 'lib-b:test=8', 'lib-c:test=12'] });
    agents = mkdtempSync(join(tmpdir(), 'sixty-agents-'));
    seen = join(agents, 'seen');
    mkdirSync(seen);
    for (const [name, source] of Object.entries(AGENTS)) writeFileSync(join(agents, name), source);
    // budgets and the dispatch policy live in nx.json: passing dispatches commit on their branch
    const nxJsonPath = join(ws.root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8')) as { plugins: Array<{ options: Record<string, unknown> }> };
    Object.assign(nxJson.plugins[0]!.options, {
      budgetSeconds: 4,
      budgets: { 'lib-c:test': 5 },
      dispatch: { commit: true, timeoutMs: '2m', stallMs: '1m', maxConcurrent: 2 },
    });
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
    mkdirSync(join(ws.root, 'docs', 'exec-plans'), { recursive: true });
    writeFileSync(join(ws.root, 'docs', 'tech-debt-tracker.md'), TRACKER);
    writeFileSync(join(ws.root, 'docs', 'exec-plans', 'lib-a-test-2026-11-25.md'), TICKET);
    commitAll(ws.root, 'dispatch policy, tracker and a ticket');
    const warm = nx(ws.root, ['run-many', '-t', 'build,test']);
    expect(warm.code, warm.stderr).toBe(0);
  });
  afterAll(() => {
    ws.remove();
    rmSync(agents, { recursive: true, force: true });
  });

  it('accepts a real fix: check passes, the target fits, the tracker row is done, committed on its branch', () => {
    const before = userState(ws.root);
    const run = dispatch(['docs/exec-plans/lib-a-test-2026-11-25.md', '--agent-cmd', agent('fix.mjs'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as DispatchJson;
    expect(record.schemaVersion).toBe(1);
    expect(record.outcome).toBe('passed');
    expect(record.task).toBe('lib-a:test');
    expect(record.branch).toMatch(/^sixty\/lib-a-test-[0-9a-f]{6}$/);
    expect(record.base).toBe(before.head);
    expect(record.agent).toMatchObject({ exitCode: 0, timedOut: false, stalled: false });
    expect(record.check!.failures).toEqual([]);
    expect(record.taskMsBefore!).toBeGreaterThan(4000);
    expect(record.taskMsAfter!).toBeLessThanOrEqual(4000);
    expect(record.overBudgetBefore).toContain('lib-a:test');
    expect(record.overBudgetAfter).not.toContain('lib-a:test');
    expect(record.check!.tasks.find((t) => t.task === 'lib-a:test')).toMatchObject({ cache: 'none', status: 'success' });
    expect(record.filesChanged).toEqual(expect.arrayContaining(['libs/lib-a/test/mod-1.test.js', 'docs/tech-debt-tracker.md']));
    expect(record.trackerUpdated).toBe(true);

    // the agent got the ticket (the worktree's copy of the committed file) on stdin and in its environment
    const got = JSON.parse(readFileSync(join(seen, 'lib-a.json'), 'utf8')) as Record<string, string>;
    expect(got.ticketOnStdin).toBe(TICKET);
    expect(got.SIXTY_TASK).toBe('lib-a:test');
    expect(got.SIXTY_BUDGET_SECONDS).toBe('4');
    expect(got.SIXTY_TICKET).toBe(join(record.worktree, 'docs/exec-plans/lib-a-test-2026-11-25.md'));
    expect(got.cwd).toBe(record.worktree);

    // committed on its branch (policy commit: true), worktree gone, the user's side untouched
    expect(record.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(ws.root, ['rev-parse', record.branch])).toBe(record.commit);
    const tracker = git(ws.root, ['show', `${record.branch}:docs/tech-debt-tracker.md`]);
    expect(tracker).toContain('| lib-a:test | 4.5s | 2.0s | [shard into 3 (local)](exec-plans/lib-a-test-2026-11-25.md) | done |');
    expect(tracker).toContain('| lib-b:test | 4.5s | 2.0s | - | planned |');
    expect(git(ws.root, ['diff', '--name-only', `${record.base}..${record.branch}`]).split('\n')).toContain('libs/lib-a/test/mod-2.test.js');
    expect(record.worktreeKept).toBe(false);
    expect(existsSync(record.worktree)).toBe(false);
    const after = userState(ws.root);
    expect(after).toEqual({ ...before, branches: [...before.branches, record.branch].sort() });
    expect(readFileSync(join(ws.root, 'docs', 'tech-debt-tracker.md'), 'utf8')).toBe(TRACKER);

    // the run log, and the report's line about it
    const log = JSON.parse(readFileSync(join(ws.root, '.sixty', 'dispatch', `${record.id}.json`), 'utf8')) as DispatchJson;
    expect(log).toEqual(record);
    expect(readFileSync(join(ws.root, record.agent.logFile), 'utf8')).toContain('made lib-a:test fast');
    const report = sixty(ws.root, ['report', '--no-graph']);
    expect(report.stdout).toMatch(/^dispatches: 1 passed; latest lib-a:test passed \(sixty\/lib-a-test-/m);
    const reportJson = JSON.parse(sixty(ws.root, ['report', '--json', '--no-graph']).stdout) as { dispatches: Array<{ id: string; outcome: string }> };
    expect(reportJson.dispatches).toEqual([expect.objectContaining({ id: record.id, outcome: 'passed' })]);
  });

  it("accepts an agent that applies the ticket's plan with sixty apply: each shard fits the budget", () => {
    const before = userState(ws.root);
    const run = dispatch(['lib-c:test', '--agent-cmd', agent('apply.mjs'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as DispatchJson & { parts: Array<{ task: string; ms: number; budgetMs: number; ok: boolean }> };
    expect(record.outcome, record.reason).toBe('passed');
    expect(record.ticketSource).toBe('plan-ticket');
    expect(record.reason).toMatch(/^lib-c:test runs as \d shards, the slowest/);
    expect(record.parts.length).toBeGreaterThanOrEqual(2);
    for (const part of record.parts) {
      expect(part.task).toMatch(/^lib-c:test--shard-\d+-of-\d+$/);
      expect(part.ok).toBe(true);
      expect(part.ms).toBeLessThanOrEqual(5000);
    }
    expect(record.taskMsBefore!).toBeGreaterThan(5000);
    expect(record.overBudgetAfter).not.toContain('lib-c:test');
    expect(record.filesChanged).toEqual(expect.arrayContaining(['sixty-timings.json', 'docs/tech-debt-tracker.md']));
    expect(record.filesChanged.some((f) => /^docs\/exec-plans\/lib-c-test-\d{4}-\d{2}-\d{2}\.md$/.test(f))).toBe(true);
    // sixty wrote the ticket and its tracker row before the agent ran: not the agent's files
    expect(record.agentFilesChanged).toEqual(['sixty-timings.json']);
    expect(record.checkoutChanges).toEqual([]);
    expect(record.trackerUpdated).toBe(true);
    expect(git(ws.root, ['show', `${record.branch}:docs/tech-debt-tracker.md`])).toMatch(/^\| lib-c:test \|.*\| done \|$/m);
    expect(git(ws.root, ['show', `${record.branch}:sixty-timings.json`])).toContain('lib-c:test');
    expect(userState(ws.root)).toEqual({ ...before, branches: [...before.branches, record.branch].sort() });
  });

  it('reports a broken test as failed with its excerpt, keeps the worktree, leaves the user tree (with a staged change) alone', () => {
    writeFileSync(join(ws.root, 'notes.txt'), 'work in progress\n');
    git(ws.root, ['add', 'notes.txt']);
    const before = userState(ws.root);
    const testFile = join(ws.root, 'libs', 'lib-b', 'test', 'mod-1.test.js');
    const original = readFileSync(testFile, 'utf8');
    const run = dispatch(['lib-b:test', '--agent-cmd', agent('break.mjs')]);
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('sixty dispatch: FAILED  lib-b:test: lib-b:test failed');
    expect(run.stdout).toContain('note: your uncommitted changes are not part of this dispatch: it starts from HEAD');
    expect(run.stdout).toContain('FAILED lib-b:test');
    expect(run.stdout).toMatch(/999/);
    expect(run.stdout).toMatch(/worktree kept: \S+ \(branch sixty\/lib-b-test-[0-9a-f]{6}\)/);
    expect(lines.at(-1)).toMatch(/^next: look in \S+/);
    expect(lines.length).toBeLessThanOrEqual(30);

    const id = readdirSync(join(ws.root, '.sixty', 'dispatch')).find((name) => name.startsWith('lib-b-test-') && name.endsWith('.json'))!;
    const record = JSON.parse(readFileSync(join(ws.root, '.sixty', 'dispatch', id), 'utf8')) as DispatchJson;
    expect(record).toMatchObject({ outcome: 'failed', baseDirty: true, worktreeKept: true, commit: null, trackerUpdated: false, ticketSource: 'plan-ticket' });
    expect(record.check!.failures.map((f) => f.task)).toEqual(['lib-b:test']);
    expect(record.check!.failures[0]!.excerpt).toMatch(/999/);
    expect(existsSync(record.worktree)).toBe(true);
    expect(readFileSync(join(record.worktree, 'libs', 'lib-b', 'test', 'mod-1.test.js'), 'utf8')).toContain('999');

    // the user's work tree, index and branch: exactly as before (the staged file still staged)
    const after = userState(ws.root);
    expect(after.head).toBe(before.head);
    expect(after.branch).toBe('main');
    expect(after.status).toBe(before.status);
    expect(after.status).toContain('A  notes.txt');
    expect(readFileSync(testFile, 'utf8')).toBe(original);
    expect(after.worktrees).toHaveLength(2);

    removeKept(ws.root, record);
    git(ws.root, ['rm', '-q', '--cached', 'notes.txt']);
    rmSync(join(ws.root, 'notes.txt'));
  });

  it('ends a hanging agent at the timeout, with the processes it started', async () => {
    const before = userState(ws.root);
    const run = dispatch(['lib-a:test', '--agent-cmd', agent('hang.mjs'), '--timeout', '3s', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const record = JSON.parse(run.stdout) as DispatchJson;
    expect(record.outcome).toBe('timeout');
    expect(record.agent).toMatchObject({ exitCode: null, timedOut: true, stalled: false });
    expect(record.reason).toBe('the agent ran past its 3.0s limit and was stopped');
    expect(record.check).toBeNull();
    expect(record.worktreeKept).toBe(true);
    const childPid = Number(readFileSync(join(seen, 'hang.pid'), 'utf8'));
    expect(await waitUntil(() => !processAlive(childPid))).toBe(true);
    expect(readFileSync(join(ws.root, record.agent.logFile), 'utf8')).toContain('still thinking...');
    removeKept(ws.root, record);
    expect(userState(ws.root)).toEqual(before);
  });

  it('ends an agent that stops writing output at the stall limit', () => {
    const run = dispatch(['lib-a:test', '--agent-cmd', agent('stall.mjs'), '--stall', '2s', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const record = JSON.parse(run.stdout) as DispatchJson;
    expect(record.outcome).toBe('stalled');
    expect(record.agent).toMatchObject({ timedOut: false, stalled: true });
    expect(record.reason).toBe('the agent wrote nothing for 2.0s and was stopped');
    removeKept(ws.root, record);
  });

  /** Puts the user's checkout back after an agent that escaped its worktree. */
  function undoEscape(): void {
    if (git(ws.root, ['branch', '--show-current']) !== 'main') git(ws.root, ['checkout', '-q', 'main']);
    if (git(ws.root, ['branch', '--list', 'agent-took-over'])) git(ws.root, ['branch', '-q', '-D', 'agent-took-over']);
    rmSync(join(ws.root, 'escaped.txt'), { force: true });
  }

  it("fails an agent that changed the user's checkout, naming each change (nothing restored)", () => {
    const run = dispatch(['lib-a:test', '--agent-cmd', agent('escape.mjs'), '--json']);
    try {
      expect(run.code, run.stderr).toBe(1);
      const record = JSON.parse(run.stdout) as DispatchJson;
      expect(record.outcome).toBe('failed');
      expect(record.checkoutChanges).toEqual(['branch switched from main to agent-took-over', 'changed escaped.txt']);
      expect(record.reason).toBe('your checkout changed while the agent ran (outside its worktree): branch switched from main to agent-took-over, changed escaped.txt');
      // reported, not undone: the user decides
      expect(existsSync(join(ws.root, 'escaped.txt'))).toBe(true);
      expect(git(ws.root, ['branch', '--show-current'])).toBe('agent-took-over');
      removeKept(ws.root, record);
    } finally {
      undoEscape();
    }
  });

  const bwrapWorks = spawnSync('bwrap', ['--dev-bind', '/', '/', '--unshare-pid', '--', '/bin/true']).status === 0;
  it.skipIf(!bwrapWorks)("--sandbox bwrap: the user's checkout, its HEAD and index are read-only to the agent", () => {
    const before = userState(ws.root);
    const run = dispatch(['lib-a:test', '--agent-cmd', agent('escape.mjs'), '--sandbox', 'bwrap', '--json']);
    try {
      const record = JSON.parse(run.stdout) as DispatchJson;
      expect(record.sandbox).toBe('bwrap');
      expect(record.checkoutChanges).toEqual([]);
      const log = readFileSync(join(ws.root, record.agent.logFile), 'utf8');
      expect(log).toContain('could not write: EROFS');
      expect(log).toContain('could not switch');
      expect(existsSync(join(ws.root, 'escaped.txt'))).toBe(false);
      const after = userState(ws.root);
      expect({ head: after.head, branch: after.branch, status: after.status }).toEqual({ head: before.head, branch: before.branch, status: before.status });
      if (record.worktreeKept) removeKept(ws.root, record);
    } finally {
      undoEscape();
    }
  });

  it('dispatches every target over budget side by side; unchanged tasks come from the shared cache', () => {
    const before = userState(ws.root);
    const run = dispatch(['--all-over-budget', '--max-concurrent', '2', '--agent-cmd', agent('fix.mjs'), '--no-commit', '--json']);
    expect(run.code, run.stdout.slice(0, 4000)).toBe(0);
    const batch = JSON.parse(run.stdout) as { schemaVersion: number; ok: boolean; dispatches: DispatchJson[] };
    expect(batch.ok).toBe(true);
    expect(batch.dispatches.map((d) => d.task).sort()).toEqual(['lib-a:test', 'lib-b:test', 'lib-c:test']);
    for (const record of batch.dispatches) {
      expect(record.outcome, record.reason).toBe('passed');
      expect(existsSync(join(ws.root, '.sixty', 'dispatch', `${record.id}.json`))).toBe(true);
      // only the target the agent changed ran; everything else it affects came from the Nx cache
      const executed = record.check!.tasks.filter((t) => t.cache === 'none').map((t) => t.task);
      expect(record.check!.tasks.length).toBeGreaterThan(1);
      if (record.task === 'lib-a:test') {
        // the same fix as the first test: even the fixed target came from the cache, and was timed again
        expect(executed).toEqual([]);
        expect(record.notes).toContain('lib-a:test came from the Nx cache: its time is measured by running it again without the cache');
        expect(record.taskMsAfter!).toBeLessThanOrEqual(4000);
      } else {
        expect(executed).toEqual([record.task]);
      }
      // no commit: the branch is gone, the change is kept as a patch
      expect(record.commit).toBeNull();
      expect(readFileSync(join(ws.root, record.patchFile!), 'utf8')).toContain('spend(5)');
    }
    expect(new Set(batch.dispatches.map((d) => d.worktree)).size).toBe(3);
    expect(userState(ws.root)).toEqual(before);
  });

  describe('bad input: exit 2, nothing left behind', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['an unknown ticket file', ['docs/exec-plans/no-such-ticket.md', '--agent-cmd', 'true'], /no ticket at docs\/exec-plans\/no-such-ticket\.md/],
      ['an unknown task', ['lib-zz:test', '--agent-cmd', 'true'], /cannot write a ticket for lib-zz:test/],
      ['an agent command that is not found', ['lib-a:test', '--agent-cmd', 'no-such-agent-cli --yes'], /the agent command was not found .*no-such-agent-cli/],
      ['no agent command', ['lib-a:test'], /no agent command/],
    ];
    it.each(cases)('%s', (_name, args, message) => {
      const before = userState(ws.root);
      const run = dispatch(args);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/\n {2}fix: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(userState(ws.root)).toEqual(before);
    });

    it('a ticket that names no task', () => {
      const ticket = join(agents, 'vague.md');
      writeFileSync(ticket, '# Make the tests faster\n\nSomething is slow.\n');
      const run = dispatch([ticket, '--agent-cmd', 'true']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('names no task');
    });
  });
});

describe('sixty dispatch outside a git repository', () => {
  it('exits 2 and says so', () => {
    const ws = createWorkspace({ projects: 2, files: 1, seed: 1, git: false });
    try {
      const run = sixty(ws.root, ['dispatch', 'lib-a:test', '--agent-cmd', 'true']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('not inside a git repository');
      expect(existsSync(join(ws.root, '.sixty', 'dispatch'))).toBe(false);
    } finally {
      ws.remove();
    }
  });
});
