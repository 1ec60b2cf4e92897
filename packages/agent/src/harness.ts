import { performance } from 'node:perf_hooks';
import { parsePlanDocument, validatePlan, type Plan, type PlanningInput, type PlanValidation } from '@sixty/core';
import { AGENT_CACHE_VERSION, agentCacheKey, readCachedAnswer, writeCachedAnswer } from './agent-cache';
import type { AgentConfig } from './agent-config';
import type { Brief } from './brief';
import { createModelClient, ModelCallError, type ChatMessage, type ModelClientDependencies, type ModelReply, type PlanModelClient } from './model-client';
import { restatePlanEstimates } from './plan-figures';
import { dropNullProperties, FACT_PROPERTIES } from './response-schema';
import { oneLine } from './printable-text';
import { redactSecrets } from './secret';
import type { AgentRound } from './agent-round';

export interface AgentPlannerRequest {
  input: PlanningInput;
  brief: Brief;
  config: AgentConfig;
  /** Where answers are cached (<historyDir>/agent-cache); null for none. */
  cacheDir: string | null;
}

export interface AgentPlannerResult {
  /** The agent's plan, valid, with source "agent" and estimates recomputed; null when none came. */
  plan: Plan | null;
  validation: PlanValidation | null;
  rounds: AgentRound[];
  requests: number;
  tokensIn: number;
  tokensOut: number;
  cache: {
    status: 'hit' | 'miss' | 'off';
    file: string | null;
    /** On a hit: the rounds the cached answer cost when it was obtained. */
    rounds: AgentRound[];
  };
  /** Why there is no plan (redacted, one line); null when there is one. */
  failure: string | null;
}

export interface AgentPlannerDependencies extends ModelClientDependencies {
  /** A client other than the openai SDK one (tests of the loop alone). */
  client?: PlanModelClient;
}

interface Examined {
  outcome: 'valid' | 'invalid' | 'not-json';
  plan: Plan | null;
  validation: PlanValidation | null;
  problems: string[];
}

/** The JSON inside a Markdown code fence, for servers that ignore the response format and fence their answer. */
function unfenced(text: string): string {
  const match = /^\s*```[A-Za-z]*\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return match ? (match[1] as string) : text;
}

/**
 * The model's answer as a plan: parsed, nulls of strict mode dropped, source forced to "agent",
 * facts only sixty may write (file hashes) dropped, estimates recomputed from the measured
 * costs, then held to the same validator as the local plan.
 * Nothing in the answer is executed or touches the workspace.
 */
export function examineAnswer(text: string | null, truncated: boolean, input: PlanningInput): Examined {
  if (text === null || text.trim() === '') return { outcome: 'not-json', plan: null, validation: null, problems: ['answer: empty; expected the plan as one JSON document'] };
  let value: unknown;
  try {
    value = JSON.parse(unfenced(text));
  } catch (error) {
    const reason = oneLine(error instanceof Error ? error.message : String(error), 200);
    const cut = truncated ? '; it was cut off at the output token limit, so keep the rationale short' : '';
    return { outcome: 'not-json', plan: null, validation: null, problems: [`answer: not valid JSON (${reason})${cut}`] };
  }
  value = dropNullProperties(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const document = value as Record<string, unknown>;
    document.source = 'agent';
    for (const name of FACT_PROPERTIES) delete document[name];
  }
  const parsed = parsePlanDocument(value);
  const candidate = parsed.ok ? restatePlanEstimates(parsed.plan, input) : value;
  const validation = validatePlan(candidate, input.validation);
  if (validation.valid) return { outcome: 'valid', plan: candidate as Plan, validation, problems: [] };
  return { outcome: 'invalid', plan: null, validation, problems: validation.problems };
}

/** The reply with the key, and anything shaped like a key, redacted from its answer and refusal. */
function redactedReply(reply: ModelReply, config: AgentConfig): ModelReply {
  return {
    ...reply,
    content: reply.content === null ? null : redactSecrets(reply.content, [config.apiKey]),
    refusal: reply.refusal === null ? null : redactSecrets(reply.refusal, [config.apiKey]),
  };
}

function repairMessage(examined: Examined): string {
  const heading = examined.outcome === 'not-json' ? 'Your answer is not a plan.' : 'Your plan is not valid. The validator says:';
  return [
    heading,
    ...examined.problems.map((problem) => `- ${problem}`),
    'Return the whole corrected plan as one JSON document matching the schema, fixing every problem above. Use only the paths in facts.files.',
  ].join('\n');
}

/**
 * The validate-and-repair loop: ask for a plan, parse and validate it, send the validator's
 * problems back for a corrected plan, up to maxRounds. Ends with a valid plan, or with none and
 * the reason (the caller falls back to the local plan). A refusal or a call that fails after
 * its retries ends the loop. Valid answers are cached by the hash of the brief, model and options.
 */
export async function runAgentPlanner(request: AgentPlannerRequest, dependencies: AgentPlannerDependencies = {}): Promise<AgentPlannerResult> {
  const { input, brief, config } = request;
  const now = dependencies.now ?? Date.now;
  const cacheDir = config.cache ? request.cacheDir : null;
  const key = agentCacheKey(brief, config);
  const rounds: AgentRound[] = [];
  const result = (plan: Plan | null, validation: PlanValidation | null, failure: string | null, cache: AgentPlannerResult['cache']): AgentPlannerResult => ({
    plan,
    validation,
    rounds,
    requests: rounds.reduce((total, round) => total + round.requests, 0),
    tokensIn: rounds.reduce((total, round) => total + round.tokensIn, 0),
    tokensOut: rounds.reduce((total, round) => total + round.tokensOut, 0),
    cache,
    failure,
  });

  if (cacheDir) {
    const cached = readCachedAnswer(cacheDir, key);
    if (cached) {
      const examined = examineAnswer(redactSecrets(JSON.stringify(cached.plan), [config.apiKey]), false, input);
      if (examined.plan) return result(examined.plan, examined.validation, null, { status: 'hit', file: `${key}.json`, rounds: cached.rounds });
    }
  }
  const cache: AgentPlannerResult['cache'] = { status: cacheDir ? 'miss' : 'off', file: null, rounds: [] };

  const client = dependencies.client ?? createModelClient(config, input.kind, dependencies);
  const deadline = now() + config.totalTimeoutMs;
  const opening: ChatMessage[] = [
    { role: 'system', content: brief.system },
    { role: 'user', content: brief.user },
  ];
  let messages = opening;
  let last: Examined | null = null;
  for (let round = 1; round <= config.maxRounds; round++) {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let call;
    try {
      call = await client.complete(messages, deadline);
    } catch (error) {
      const reason = error instanceof ModelCallError ? error.message : oneLine(redactSecrets(error instanceof Error ? error.message : String(error), [config.apiKey]), 300);
      const requests = error instanceof ModelCallError ? error.attempts : 1;
      rounds.push({ round, requests, tokensIn: 0, tokensOut: 0, ms: elapsed(), outcome: 'failed', problems: [reason] });
      return result(null, null, `the agent call failed: ${reason}`, cache);
    }
    // the model's own text is untrusted: an answer that echoes the key must not carry it into a plan, ticket, cache or stdout
    const reply = redactedReply(call.reply, config);
    const spent = { round, requests: call.attempts, tokensIn: reply.tokensIn, tokensOut: reply.tokensOut };
    if (reply.refusal !== null) {
      const refusal = oneLine(reply.refusal, 200);
      rounds.push({ ...spent, ms: elapsed(), outcome: 'refused', problems: [refusal] });
      return result(null, null, `the model refused: ${refusal}`, cache);
    }
    const examined = examineAnswer(reply.content, reply.truncated, input);
    rounds.push({ ...spent, ms: elapsed(), outcome: examined.outcome, problems: examined.problems });
    if (examined.plan) {
      if (cacheDir) {
        try {
          writeCachedAnswer(cacheDir, { cacheVersion: AGENT_CACHE_VERSION, key, model: config.model, api: config.api, briefSha256: brief.sha256, plan: examined.plan, rounds });
          cache.file = `${key}.json`;
        } catch {
          // the cache only saves tokens: a read-only or full disk must not lose the plan
        }
      }
      return result(examined.plan, examined.validation, null, cache);
    }
    last = examined;
    const answer = (reply.content ?? '').slice(0, config.maxBriefBytes);
    messages = [...opening, { role: 'assistant', content: answer }, { role: 'user', content: repairMessage(examined) }];
  }
  const count = last?.problems.length ?? 0;
  const first = last?.problems[0] ?? 'no answer';
  return result(null, null, `no valid agent plan after ${config.maxRounds} round${config.maxRounds === 1 ? '' : 's'} (last: ${count} problem${count === 1 ? '' : 's'}, first: ${first})`, cache);
}
