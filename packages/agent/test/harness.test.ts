import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planLocally, validatePlan, type PlanningInput } from '@sixty/core';
import { buildBrief, choosePlan, readSourceFiles, runAgentPlanner, type AgentConfig, type SourceFile } from '../src/index';
import { startFakeOpenAiServer, type FakeOpenAiServer, type RecordedRequest, type ScriptedAnswer } from './fake-openai-server';
import { shardInput, splitInput, TEST_KEY, testConfig, TESTS, threeShards, twoParts } from './fixtures';

let server: FakeOpenAiServer;
let temp: string;
beforeEach(async () => {
  server = await startFakeOpenAiServer();
  temp = mkdtempSync(join(tmpdir(), 'sixty-agent-'));
});
afterEach(async () => {
  await server.close();
  rmSync(temp, { recursive: true, force: true });
});

interface RunOptions {
  config?: Partial<AgentConfig>;
  cacheDir?: string | null;
  sources?: SourceFile[];
  /** Really wait between retries (the overall deadline test); otherwise waits are recorded and shortened. */
  realWaits?: boolean;
  /** An injected clock for the deadlines. */
  now?: () => number;
}

/** Plans with the agent against the local server, as the CLI does, and chooses against the local plan. */
async function plan(input: PlanningInput, answers: ScriptedAnswer[], options: RunOptions = {}) {
  server.script(...answers);
  const local = { plan: planLocally(input), validation: { valid: true, problems: [] as string[] } };
  local.validation = validatePlan(local.plan, input.validation);
  const config = testConfig(server.baseUrl, options.config);
  const brief = buildBrief(input, local.plan, { maxBriefBytes: config.maxBriefBytes, localValidation: local.validation, ...(options.sources ? { sources: options.sources } : {}) });
  const waits: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    waits.push(ms);
    await new Promise((resolve) => setTimeout(resolve, options.realWaits ? ms : Math.min(ms, 5)));
  };
  const result = await runAgentPlanner({ input, brief, config, cacheDir: options.cacheDir ?? null }, { sleep, ...(options.now ? { now: options.now } : {}) });
  const choice = choosePlan(input, local, result.plan && result.validation ? { plan: result.plan, validation: result.validation } : null, result.failure ? { agentFailure: result.failure } : {});
  expectNoKey(result, choice, server.requests.map((request) => request.raw));
  return { result, choice, waits, local, brief };
}

/** The key went out in the Authorization header, and nowhere else. */
function expectNoKey(...values: unknown[]): void {
  for (const value of values) expect(JSON.stringify(value)).not.toContain(TEST_KEY);
  for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
}

const lastUserMessage = (request: RecordedRequest): string => {
  const messages = request.body.messages ?? request.body.input ?? [];
  return [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
};

const withFile = (file: string) => {
  const shards = threeShards();
  shards.shards[0]!.files.push(file);
  return shards;
};

describe('the validate-and-repair loop over Chat Completions', () => {
  it('takes a valid plan in one request, forces source "agent", and the agent wins on loop-time gain', async () => {
    const { result, choice } = await plan(shardInput(), [{ plan: { ...threeShards(), source: 'local' } }]);
    expect(server.requests).toHaveLength(1);
    expect(result.plan).toMatchObject({ source: 'agent', shards: threeShards().shards });
    expect(result.rounds).toMatchObject([{ round: 1, requests: 1, outcome: 'valid', problems: [] }]);
    expect(result.rounds[0]!.tokensIn).toBeGreaterThan(0);
    expect(result.rounds[0]!.tokensOut).toBeGreaterThan(0);
    expect(choice.winner).toBe('agent');
    expect(choice.reason).toBe('larger estimated loop-time gain: 55.0s (agent) vs 45.0s (local); the parts finish in 35.0s vs 45.0s with a worker per part, against 1m 30s now');

    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body).toMatchObject({ model: 'test-model', max_completion_tokens: 16_384, response_format: { type: 'json_schema', json_schema: { name: 'sixty_shard_plan', strict: true } } });
    expect(request.body.messages!.map((message) => message.role)).toEqual(['system', 'user']);
  });

  it('sends a parse error back with the bad answer, then takes the corrected plan: two requests', async () => {
    const { result } = await plan(shardInput(), [{ content: '{"schemaVersion": 1, "kind": "shard",' }, { plan: threeShards() }]);
    expect(server.requests).toHaveLength(2);
    expect(result.rounds.map((round) => round.outcome)).toEqual(['not-json', 'valid']);
    const repair = server.requests[1]!.body.messages!;
    expect(repair.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair[2]!.content).toBe('{"schemaVersion": 1, "kind": "shard",');
    expect(repair[3]!.content).toMatch(/^Your answer is not a plan\.\n- answer: not valid JSON \(.+\)\nReturn the whole corrected plan/);
  });

  it.each([
    ['a hallucinated file', withFile('libs/a/test/ghost.test.ts'), ['shard "shard-1-of-3": "libs/a/test/ghost.test.ts" is not a file of the project']],
    [
      'a ../ path',
      { ...threeShards(), shards: threeShards().shards.map((shard, index) => (index === 0 ? { ...shard, files: ['libs/a/test/../test/a.test.ts'] } : shard)) },
      ['shard "shard-1-of-3": "libs/a/test/../test/a.test.ts" contains ".."; it must stay inside the project', '"libs/a/test/a.test.ts" is in no shard: every file of the project must be placed'],
    ],
    [
      'a duplicated file',
      { ...threeShards(), shards: threeShards().shards.map((shard, index) => (index === 1 ? { ...shard, files: [...shard.files, TESTS[0]] } : shard)) },
      ['"libs/a/test/a.test.ts" is listed 2 times (in shard "shard-1-of-3", shard "shard-2-of-3")'],
    ],
  ])('sends the validator\'s problems with %s back and takes the corrected plan: two requests', async (_case, bad, problems) => {
    const { result, choice } = await plan(shardInput(), [{ plan: bad }, { plan: threeShards() }]);
    expect(server.requests).toHaveLength(2);
    expect(result.rounds).toMatchObject([
      { round: 1, requests: 1, outcome: 'invalid', problems },
      { round: 2, requests: 1, outcome: 'valid', problems: [] },
    ]);
    expect(lastUserMessage(server.requests[1]!)).toBe(
      ['Your plan is not valid. The validator says:', ...problems.map((problem) => `- ${problem}`), 'Return the whole corrected plan as one JSON document matching the schema, fixing every problem above. Use only the paths in facts.files.'].join('\n'),
    );
    expect(choice.winner).toBe('agent');
  });

  it('sends a cycle between new projects back, then takes the acyclic split', async () => {
    const cyclic = twoParts();
    cyclic.projects[0]!.dependsOn = ['lib-a-y'];
    const { result, choice } = await plan(splitInput(), [{ plan: cyclic }, { plan: twoParts() }]);
    expect(server.requests).toHaveLength(2);
    expect(result.rounds[0]).toMatchObject({ outcome: 'invalid', problems: ['cycle between new parts: "lib-a-x" -> "lib-a-y" -> "lib-a-x"'] });
    expect(lastUserMessage(server.requests[1]!)).toContain('- cycle between new parts: "lib-a-x" -> "lib-a-y" -> "lib-a-x"');
    expect(server.requests[0]!.body).toMatchObject({ response_format: { json_schema: { name: 'sixty_split_plan' } } });
    // the split keeps one module with its test and two with three: the local planner finds the same split, and needs no model
    expect(result.plan).toMatchObject({ source: 'agent', cutEdges: 1, keptEstimatedMs: 1_000 });
    expect(choice.winner).toBe('local');
  });

  it('recomputes estimates: a plan that claims 1 s for 90 s of tests is over budget, and after maxRounds the local plan stands', async () => {
    const lying = { ...threeShards(), shards: [{ name: 'shard-1-of-1', files: [...TESTS], estimatedMs: 1_000 }] };
    const { result, choice, local } = await plan(shardInput(), [{ plan: lying }, { plan: lying }, { plan: lying }]);
    expect(server.requests).toHaveLength(3);
    expect(result.rounds.map((round) => round.outcome)).toEqual(['invalid', 'invalid', 'invalid']);
    expect(result.rounds[0]!.problems).toEqual(['shard "shard-1-of-1": estimated 90000 ms, over the 60000 ms budget']);
    expect(result.plan).toBeNull();
    expect(result.failure).toBe('no valid agent plan after 3 rounds (last: 1 problem, first: shard "shard-1-of-1": estimated 90000 ms, over the 60000 ms budget)');
    expect(choice).toMatchObject({ winner: 'local', plan: local.plan });
    expect(choice.reason).toBe(`${result.failure}; fell back to the local plan`);
  });

  it('prints no terminal escapes from the model', async () => {
    const { result } = await plan(shardInput(), [{ refusal: 'No\u001b[2J\u001b]0;owned\u0007 way\n\nat all' }]);
    expect(result.failure).toBe('the model refused: No [2J ]0;owned way at all');
  });

  it('stops at a refusal after one request and falls back to the local plan', async () => {
    const { result, choice } = await plan(shardInput(), [{ refusal: 'I cannot help with that.' }]);
    expect(server.requests).toHaveLength(1);
    expect(result.rounds).toMatchObject([{ round: 1, requests: 1, outcome: 'refused', problems: ['I cannot help with that.'] }]);
    expect(result.failure).toBe('the model refused: I cannot help with that.');
    expect(choice.winner).toBe('local');
    expect(choice.reason).toBe('the model refused: I cannot help with that.; fell back to the local plan');
  });

  it('waits as Retry-After says after a 429, then takes the plan: two requests in one round', async () => {
    const { result, waits } = await plan(shardInput(), [{ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } }, { plan: threeShards() }]);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([1_000]);
    expect(result.rounds).toMatchObject([{ round: 1, requests: 2, outcome: 'valid' }]);
    expect(result.requests).toBe(2);
  });

  it('backs off after a 500, then takes the plan: two requests', async () => {
    const { result, waits } = await plan(shardInput(), [{ status: 500 }, { plan: threeShards() }]);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([10]);
    expect(result.rounds).toMatchObject([{ round: 1, requests: 2, outcome: 'valid' }]);
  });

  it('gives up after 1 + maxRetries server errors and falls back', async () => {
    const { result, choice, waits } = await plan(shardInput(), [{ status: 503 }, { status: 503 }, { status: 503 }]);
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([10, 20]);
    expect(result.rounds).toMatchObject([{ round: 1, requests: 3, outcome: 'failed', problems: ['HTTP 503 status 503 (3 attempts)'] }]);
    expect(result.failure).toBe('the agent call failed: HTTP 503 status 503 (3 attempts)');
    expect(choice.winner).toBe('local');
  });

  it('does not retry an exhausted quota (429 insufficient_quota): one request', async () => {
    const { result } = await plan(shardInput(), [{ status: 429, body: { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } } }]);
    expect(server.requests).toHaveLength(1);
    expect(result.failure).toBe('the agent call failed: HTTP 429 You exceeded your current quota');
  });

  it('times out a hung request and retries it: two requests, then the plan', async () => {
    const { result } = await plan(shardInput(), [{ hang: true }, { plan: threeShards() }], { config: { timeoutMs: 300 } });
    expect(server.requests).toHaveLength(2);
    expect(result.rounds).toMatchObject([{ round: 1, requests: 2, outcome: 'valid' }]);
  });

  it('falls back when every attempt hangs past the request timeout: 1 + maxRetries requests', async () => {
    const { result, choice } = await plan(shardInput(), [{ hang: true }, { hang: true }], { config: { timeoutMs: 200, maxRetries: 1 } });
    expect(server.requests).toHaveLength(2);
    expect(result.failure).toBe('the agent call failed: no answer within 200 ms (request timeout) (2 attempts)');
    expect(choice.winner).toBe('local');
  });

  it('stops at the overall time limit, however many retries are left', async () => {
    const { result } = await plan(shardInput(), [{ hang: true }, { hang: true }, { hang: true }], { config: { timeoutMs: 300, totalTimeoutMs: 450, maxRetries: 5 }, realWaits: true });
    // how many requests fit in 450 ms depends on the machine's load (2 when idle); never all 6 the retries allow
    expect(server.requests.length).toBeGreaterThanOrEqual(1);
    expect(server.requests.length).toBeLessThanOrEqual(2);
    expect(result.rounds).toMatchObject([{ outcome: 'failed', requests: server.requests.length }]);
    expect(result.failure).toMatch(/no time left to retry within the overall limit \(450 ms\)$/);
  });

  it('names the limit that really applied when the last attempt had only what was left of the overall limit', async () => {
    // an injected clock: the deadline is set at 0, then every later reading says 400 ms have passed
    let readings = 0;
    const now = (): number => (readings++ === 0 ? 0 : 400);
    const { result } = await plan(shardInput(), [{ hang: true }], { config: { timeoutMs: 300, totalTimeoutMs: 450, maxRetries: 0 }, now });
    expect(server.requests).toHaveLength(1);
    expect(result.failure).toBe('the agent call failed: no answer within 50 ms (what was left of the overall limit of 450 ms; the request timeout is 300 ms)');
  });

  it('retries a refused connection, then falls back naming the cause', async () => {
    const gone = await startFakeOpenAiServer();
    await gone.close();
    const input = shardInput();
    const brief = buildBrief(input, planLocally(input), { maxBriefBytes: 256 * 1024 });
    const result = await runAgentPlanner({ input, brief, config: testConfig(gone.baseUrl), cacheDir: null }, { sleep: async () => undefined });
    expect(result.rounds).toMatchObject([{ round: 1, requests: 3, outcome: 'failed' }]);
    expect(result.failure).toMatch(/^the agent call failed: network error: Connection error\. \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) \(3 attempts\)$/);
  });

  it('redacts the key from a server error that echoes it: one request, not retried', async () => {
    const { result } = await plan(shardInput(), [{ status: 401, body: { error: { message: `Incorrect API key provided: ${TEST_KEY}. Bearer ${TEST_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' } } }]);
    expect(server.requests).toHaveLength(1);
    expect(result.failure).toBe('the agent call failed: HTTP 401 Incorrect API key provided: [redacted]. Bearer [redacted]');
  });

  it('redacts the key from answers that echo it: the repair request, the plan, the rounds and the cache hold none', async () => {
    const cacheDir = join(temp, 'agent-cache');
    const echoed = `${TEST_KEY} Authorization: Bearer ${TEST_KEY} sk-proj-OtherKey123456`;
    const { result } = await plan(shardInput(), [{ content: `${echoed} is what you sent me` }, { plan: { ...threeShards(), rationale: `Balanced. ${echoed}` } }], { cacheDir, config: { cache: true } });
    expect(server.requests).toHaveLength(2);
    expect(result.rounds.map((round) => round.outcome)).toEqual(['not-json', 'valid']);
    expect((result.plan as { rationale: string }).rationale).toBe('Balanced. [redacted] Authorization: Bearer [redacted] sk-[redacted]');
    const cached = readFileSync(join(cacheDir, readdirSync(cacheDir)[0]!), 'utf8');
    expect(cached).not.toContain(TEST_KEY);
    expect(cached).not.toContain('OtherKey123456');
    expect(server.requests[1]!.raw).not.toContain('OtherKey123456');
  });

  it('redacts the key from a refusal that echoes it', async () => {
    const { result } = await plan(shardInput(), [{ refusal: `not with key ${TEST_KEY}` }]);
    expect(result.failure).toBe('the model refused: not with key [redacted]');
  });

  it('refuses a response over the size cap without retrying it', async () => {
    const { result } = await plan(shardInput(), [{ hugeBytes: 200_000 }], { config: { maxResponseBytes: 64 * 1024 } });
    expect(server.requests).toHaveLength(1);
    expect(result.failure).toBe('the agent call failed: the response is larger than 65536 bytes');
    expect(result.rounds).toMatchObject([{ requests: 1, outcome: 'failed' }]);
  });

  it('accepts a fenced answer and the nulls of strict mode', async () => {
    const { result } = await plan(shardInput(), [{ content: `\`\`\`json\n${JSON.stringify({ ...threeShards(), oversizedFiles: null })}\n\`\`\`` }]);
    expect(server.requests).toHaveLength(1);
    expect(result.plan).not.toHaveProperty('oversizedFiles');
    expect(result.rounds[0]!.outcome).toBe('valid');
  });

  it('ignores file hashes written by the model: sixty computes them', async () => {
    const { result } = await plan(splitInput(), [{ plan: { ...twoParts(), fileHashes: [{ file: 'libs/a/src/index.ts', sha256: '0'.repeat(64) }] } }]);
    expect(result.plan).not.toHaveProperty('fileHashes');
    expect(result.rounds[0]!.outcome).toBe('valid');
  });
});

describe('the Responses API', () => {
  it('repairs a plan with a hallucinated file over /v1/responses: two requests, stateless', async () => {
    const { result } = await plan(shardInput(), [{ plan: withFile('libs/a/test/ghost.test.ts') }, { plan: threeShards() }], { config: { api: 'responses' } });
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(first.body).toMatchObject({ model: 'test-model', store: false, max_output_tokens: 16_384, text: { format: { type: 'json_schema', name: 'sixty_shard_plan', strict: true } } });
    expect(first.body.instructions).toContain('Rules the validator enforces');
    expect(second.body.input!.map((item) => item.role)).toEqual(['user', 'assistant', 'user']);
    expect(lastUserMessage(second)).toContain('- shard "shard-1-of-3": "libs/a/test/ghost.test.ts" is not a file of the project');
    expect(result.rounds.map((round) => round.outcome)).toEqual(['invalid', 'valid']);
    expect(result.plan!.source).toBe('agent');
  });

  it('reads a refusal from the output items', async () => {
    const { result } = await plan(shardInput(), [{ refusal: 'No.' }], { config: { api: 'responses' } });
    expect(server.requests).toHaveLength(1);
    expect(result.failure).toBe('the model refused: No.');
  });
});

describe('what is sent', () => {
  const MARKER = 'SECRET_SOURCE_MARKER_7f3e';

  /** The fixture's test files on disk, each holding the marker. */
  function writeSources(input: PlanningInput): void {
    for (const file of input.validation.projectFiles) {
      mkdirSync(dirname(join(temp, file)), { recursive: true });
      writeFileSync(join(temp, file), `// ${MARKER}\n${'x'.repeat(20_000)}\n`);
    }
  }

  it('sends no file contents by default', async () => {
    const input = shardInput();
    writeSources(input);
    await plan(input, [{ plan: threeShards() }]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.raw).not.toContain(MARKER);
    expect(server.requests[0]!.raw).not.toContain('xxxxxxxxxx');
  });

  it('sends file contents, each cut to its cap, with includeSource', async () => {
    const input = shardInput();
    writeSources(input);
    const sources = readSourceFiles(temp, input, { maxFileBytes: 1024, maxTotalBytes: 96 * 1024 });
    expect(sources.map((source) => [source.path, source.text.length, source.truncated])).toEqual(TESTS.map((path) => [path, 1024, true]));
    await plan(input, [{ plan: threeShards() }], { sources });
    const facts = JSON.parse(server.requests[0]!.body.messages![1]!.content) as { sources: Array<{ path: string; text: string }> };
    expect(facts.sources.map((source) => source.path)).toEqual([...TESTS]);
    expect(facts.sources[0]!.text.startsWith(`// ${MARKER}\n`)).toBe(true);
  });
});

describe('the answer cache', () => {
  it('answers a re-run with the same brief from the cache (no request); --no-cache and another model ask again', async () => {
    const cacheDir = join(temp, 'agent-cache');
    const first = await plan(shardInput(), [{ plan: threeShards() }], { cacheDir, config: { cache: true } });
    expect(first.result.cache).toMatchObject({ status: 'miss' });
    const files = readdirSync(cacheDir);
    expect(files).toEqual([first.result.cache.file]);
    const cached = readFileSync(join(cacheDir, files[0]!), 'utf8');
    expect(cached).not.toContain(TEST_KEY);
    expect(JSON.parse(cached)).toMatchObject({ cacheVersion: 1, model: 'test-model', api: 'chat', briefSha256: first.brief.sha256, plan: first.result.plan });

    const second = await plan(shardInput(), [], { cacheDir, config: { cache: true } });
    expect(server.requests).toHaveLength(1);
    expect(second.result).toMatchObject({ requests: 0, rounds: [], cache: { status: 'hit', file: files[0] }, plan: first.result.plan });
    expect(second.result.cache.rounds).toEqual(first.result.rounds);

    await plan(shardInput(), [{ plan: threeShards() }], { cacheDir, config: { cache: false } });
    expect(server.requests).toHaveLength(2);
    await plan(shardInput(), [{ plan: threeShards() }], { cacheDir, config: { cache: true, model: 'other-model' } });
    expect(server.requests).toHaveLength(3);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });

  it('does not cache an answer that is not valid', async () => {
    const cacheDir = join(temp, 'agent-cache');
    await plan(shardInput(), [{ refusal: 'No.' }], { cacheDir, config: { cache: true } });
    expect(() => readdirSync(cacheDir)).toThrow();
  });
});
