import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest } from '../../packages/agent/test/fake-openai-server';
import { createWorkspace, nx, NX_ENV, reportJson, SIXTY_BIN, type CommandResult, type SynthWorkspace } from './workspace';

const KEY = 'sk-e2e-SECRET-91c0d2f7aa31';

/** The built CLI, without blocking this process: the fake server answers from the same event loop. */
function sixtyAsync(cwd: string, args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, OPENAI_BASE_URL: undefined, SIXTY_MODEL: undefined, OPENAI_API_KEY: undefined, ...extraEnv };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  delete env.CI;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SIXTY_BIN, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

interface BriefFacts {
  target: { task: string; budgetMs: number };
  files: { rows: Array<[string, number, number, number, number]> };
  localPlan: { shards: Array<{ name: string; files: string[]; estimatedMs: number }> };
}

const factsOf = (request: RecordedRequest): BriefFacts => JSON.parse(request.body.messages![1]!.content) as BriefFacts;

/** What a model might answer: the local plan with a file that does not exist. */
function hallucinated(request: RecordedRequest) {
  const facts = factsOf(request);
  const shards = facts.localPlan.shards.map((shard, index) => (index === 0 ? { ...shard, files: [...shard.files, 'libs/lib-c/test/ghost.test.js'] } : shard));
  return { plan: { ...facts.localPlan, shards } };
}

/** A better plan: one test file per shard, so the slowest shard is one file. */
function oneFilePerShard(request: RecordedRequest) {
  const facts = factsOf(request);
  const count = facts.files.rows.length;
  return {
    plan: {
      schemaVersion: 1,
      kind: 'shard',
      task: facts.target.task,
      budgetMs: facts.target.budgetMs,
      rationale: 'One file per shard: the slowest shard is the slowest file.',
      source: 'agent',
      shards: facts.files.rows.map((row, index) => ({ name: `shard-${index + 1}-of-${count}`, files: [row[0]], estimatedMs: row[2] })),
    },
  };
}

describe('sixty plan --planner agent against a local OpenAI-compatible server', () => {
  let ws: SynthWorkspace;
  let server: FakeOpenAiServer;
  let agentArgs: string[];
  /** The budget in seconds, one decimal, as sixty prints it. */
  let budget: string;
  const today = new Date().toISOString().slice(0, 10);
  const written: string[] = [];

  beforeAll(async () => {
    ws = createWorkspace({ projects: 4, files: 6, seed: 3, durations: ['lib-c:test=3'], git: false });
    const run = nx(ws.root, ['run', 'lib-c:test', '--skip-nx-cache']);
    expect(run.code, run.stderr).toBe(0);
    // eight workers: six one-file shards all run at once, so more shards finish sooner
    const nxJson = join(ws.root, 'nx.json');
    writeFileSync(nxJson, JSON.stringify({ ...JSON.parse(readFileSync(nxJson, 'utf8')), parallel: 8 }, null, 2));
    server = await startFakeOpenAiServer();
    // three quarters of the measured time, whatever the machine's load made it: the local planner,
    // which gives each shard the run's fixed cost (up to half of what a shard may fill), then fills
    // about three shards, and the agent's one file per shard is clearly better (at half the p90 the
    // fixed cost left room for one file a shard, the local plan was one file per shard already, and
    // the agent lost the tie)
    const p90Ms = reportJson(ws.root).targets.find((target) => target.task === 'lib-c:test')!.p90Ms;
    budget = (Math.round((p90Ms * 0.75) / 100) / 10).toFixed(1);
    agentArgs = ['plan', 'lib-c:test', '--budget', budget, '--planner', 'agent', '--base-url', server.baseUrl, '--model', 'test-model'];
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    ws?.remove();
  });

  it('prints the brief with --print-brief and makes no request', async () => {
    const result = await sixtyAsync(ws.root, [...agentArgs, '--print-brief'], { OPENAI_API_KEY: KEY });
    written.push(result.stdout, result.stderr);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(result.stdout).toContain('Rules the validator enforces');
    expect(result.stdout).toContain('"task":"lib-c:test"');
    expect(result.stdout).toContain(`"budgetMs":${Math.round(Number(budget) * 1000)}`);
    expect(result.stdout).not.toContain('export function');
    expect(existsSync(join(ws.root, '.sixty/plans/lib-c-test.json'))).toBe(false);
  });

  it('repairs a hallucinated file, chooses the better agent plan, and writes the plan, a ticket and the tracker row', async () => {
    server.script(hallucinated, oneFilePerShard);
    const result = await sixtyAsync(ws.root, [...agentArgs, '--ticket'], { OPENAI_API_KEY: KEY });
    written.push(result.stdout, result.stderr);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(server.requests).toHaveLength(2);
    const problem = /shard "shard-1-of-\d+": "libs\/lib-c\/test\/ghost\.test\.js" is not a file of the project/;
    expect(server.requests[1]!.body.messages!.at(-1)!.content).toMatch(problem);
    for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${KEY}`);

    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(`plan lib-c:test (shard, agent): 6 shards for a ${budget}s budget (p90 now ` + lines[0]!.split('p90 now ')[1]);
    expect(lines).toContain('planner agent: asked the agent (--planner agent)');
    expect(lines.find((line) => line.startsWith('agent test-model'))).toMatch(new RegExp(`^agent test-model \\(chat, ${server.baseUrl.replace(/[.]/g, '\\.')}\\): 2 rounds, 2 requests, [\\d,]+ tokens in, [\\d,]+ out$`));
    expect(lines.find((line) => line.startsWith('  round 1'))).toMatch(/^ {2}round 1 {2}1 request .* invalid: 1 problem \(first: shard "shard-1-of-\d+": "libs\/lib-c\/test\/ghost\.test\.js" is not a file of the project\)$/);
    expect(lines.find((line) => line.startsWith('  round 2'))).toMatch(/^ {2}round 2 {2}1 request .*ms {2}valid$/);
    expect(lines.find((line) => line.startsWith('chose '))).toMatch(/^chose agent: larger estimated loop-time gain: \S+ \(agent\) vs \S+ \(local\); the parts finish in \S+ vs \S+ at --parallel 8, against \S+ now$/);
    expect(lines).toContain('wrote .sixty/plans/lib-c-test.json');
    expect(lines.at(-1)).toBe(`ticket: docs/exec-plans/lib-c-test-${today}.md; tracker: docs/tech-debt-tracker.md (row added)`);

    const plan = JSON.parse(readFileSync(join(ws.root, '.sixty/plans/lib-c-test.json'), 'utf8')) as { source: string; shards: Array<{ files: string[] }> };
    expect(plan.source).toBe('agent');
    expect(plan.shards.map((shard) => shard.files.length)).toEqual([1, 1, 1, 1, 1, 1]);
    const validate = await sixtyAsync(ws.root, ['plan', '--validate', '.sixty/plans/lib-c-test.json', '--budget', budget]);
    expect(validate.stdout.trim()).toBe('.sixty/plans/lib-c-test.json: valid');

    const ticket = readFileSync(join(ws.root, `docs/exec-plans/lib-c-test-${today}.md`), 'utf8');
    written.push(ticket);
    expect(ticket.startsWith(`# lib-c:test: shard into 6\n\n- Status: planned\n- Date: ${today}\n- Plan: \`.sixty/plans/lib-c-test.json\` (agent plan, valid)\n`)).toBe(true);
    expect(ticket).toContain('| planner | agent (test-model): larger estimated loop-time gain');
    expect(ticket).toMatch(/\| agent cost \| 2 rounds, 2 requests, [\d,]+ tokens in, [\d,]+ out \|/);
    expect(ticket).toContain('sixty apply .sixty/plans/lib-c-test.json --dry-run');
    const tracker = readFileSync(join(ws.root, 'docs/tech-debt-tracker.md'), 'utf8');
    expect(tracker).toMatch(new RegExp(`\\| lib-c:test \\| [^|]+ \\| ${budget.replace('.', '\\.')}s \\| \\[shard into 6 \\(agent\\)\\]\\(exec-plans/lib-c-test-${today}\\.md\\) \\| planned \\|`));
  });

  it('answers a re-run from the cache (no request) and asks again with --no-cache; the tracker row stays one row', async () => {
    const cached = await sixtyAsync(ws.root, [...agentArgs, '--ticket', '--json'], { OPENAI_API_KEY: KEY });
    written.push(cached.stdout, cached.stderr);
    expect(cached.code, cached.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    const report = JSON.parse(cached.stdout) as { plan: { source: string }; planner: { asked: boolean; requests: number; cache: { status: string; file: string; rounds: unknown[] }; winner: string }; ticket: { trackerChange: string } };
    expect(report.planner).toMatchObject({ asked: true, requests: 0, winner: 'agent', cache: { status: 'hit' } });
    expect(report.planner.cache.rounds).toHaveLength(2);
    expect(report.planner.cache.file).toMatch(/^\.sixty\/agent-cache\/[0-9a-f]{64}\.json$/);
    expect(report.plan.source).toBe('agent');
    expect(report.ticket.trackerChange).toBe('unchanged');

    server.script(oneFilePerShard);
    const fresh = await sixtyAsync(ws.root, [...agentArgs, '--ticket', '--json', '--no-cache'], { OPENAI_API_KEY: KEY });
    written.push(fresh.stdout, fresh.stderr);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(JSON.parse(fresh.stdout)).toMatchObject({ planner: { requests: 1, cache: { status: 'off' }, rounds: [{ round: 1, requests: 1, outcome: 'valid' }] } });
    const tracker = readFileSync(join(ws.root, 'docs/tech-debt-tracker.md'), 'utf8');
    expect(tracker.match(/\| lib-c:test \|/g)).toHaveLength(1);
  });

  it('falls back to the local plan and says why when the model refuses', async () => {
    server.script({ refusal: 'I will not plan builds.' });
    const result = await sixtyAsync(ws.root, [...agentArgs, '--no-cache'], { OPENAI_API_KEY: KEY });
    written.push(result.stdout, result.stderr);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(4);
    expect(result.stdout).toContain('plan lib-c:test (shard, local)');
    expect(result.stdout).toContain('  round 1  1 request');
    expect(result.stdout).toContain('refused: I will not plan builds.');
    expect(result.stdout).toContain('chose local: the model refused: I will not plan builds.; fell back to the local plan');
  });

  it('keeps --planner local output free of agent lines; auto without a key keeps the local plan; agent without a key says what to set', async () => {
    const local = await sixtyAsync(ws.root, ['plan', 'lib-c:test', '--budget', budget]);
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout.startsWith(`plan lib-c:test (shard, local): `)).toBe(true);
    expect(local.stdout.split('\n')[0]).toMatch(new RegExp(`shards for a ${budget.replace('.', '\\.')}s budget`));
    expect(local.stdout).not.toMatch(/planner|agent|round/);

    const auto = await sixtyAsync(ws.root, ['plan', 'lib-c:test', '--budget', budget, '--planner', 'auto', '--agent-review']);
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stdout).toContain('planner auto: the agent was not asked: OPENAI_API_KEY is not set, and the agent planner calls api.openai.com');

    const agent = await sixtyAsync(ws.root, ['plan', 'lib-c:test', '--budget', budget, '--planner', 'agent']);
    expect(agent.code).toBe(2);
    expect(agent.stderr).toBe('sixty: OPENAI_API_KEY is not set, and the agent planner calls api.openai.com\n  fix: export OPENAI_API_KEY=<your key>, or point it at an OpenAI-compatible server with --base-url, or plan locally with --planner local\n');
    expect(server.requests).toHaveLength(4);
  });

  it('redacts a model answer that echoes the key before it reaches stdout, the plan, the ticket, the tracker or the cache', async () => {
    const echo = (request: RecordedRequest) => {
      const answer = oneFilePerShard(request);
      return { plan: { ...answer.plan, rationale: `One file per shard. You sent Authorization: Bearer ${KEY}; your key is ${KEY}.` } };
    };
    server.script({ content: `${KEY} is not a plan` }, echo);
    // another model name: another cache key, so the echoed answer is cached too
    const result = await sixtyAsync(ws.root, [...agentArgs.slice(0, -1), 'echo-model', '--ticket', '--json'], { OPENAI_API_KEY: KEY });
    written.push(result.stdout, result.stderr);
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toHaveLength(6);
    const report = JSON.parse(result.stdout) as { plan: { source: string; rationale: string }; planner: { cache: { status: string } } };
    expect(report.plan.source).toBe('agent');
    expect(report.planner.cache.status).toBe('miss');
    expect(report.plan.rationale).toBe('One file per shard. You sent Authorization: Bearer [redacted]; your key is [redacted].');
    expect(server.requests[5]!.raw).not.toContain(KEY); // the repair request quotes the redacted answer
  });

  it('never wrote the key: not in any output nor in any file of the workspace (plans, tickets, tracker, cache, logs)', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules') continue; // linked in from the repository, not written by sixty
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) files.push(path);
      }
    };
    walk(ws.root);
    for (const expected of ['.sixty/plans/lib-c-test.json', 'docs/tech-debt-tracker.md', `docs/exec-plans/lib-c-test-${today}.md`]) expect(files).toContain(join(ws.root, expected));
    expect(files.filter((file) => file.includes('/.sixty/agent-cache/')).length).toBeGreaterThanOrEqual(2);
    const leaks = [...written.map((text, index) => [`output ${index}`, text] as const), ...files.map((file) => [file, readFileSync(file, 'latin1')] as const)].filter(([, text]) => text.includes(KEY));
    expect(leaks.map(([where]) => where)).toEqual([]);
    for (const request of server.requests) expect(request.raw).not.toContain(KEY);
  });
});
