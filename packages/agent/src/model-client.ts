import OpenAI from 'openai';
import type { PlanKind } from '@sixty/core';
import { apiKeyFor, type AgentConfig } from './agent-config';
import { cappedFetch, type FetchFunction } from './capped-fetch';
import { planResponseFormat } from './response-schema';
import { classifyCallError, retryDelayMs, type CallFailure, type CallFailureKind } from './retry-policy';
import { oneLine } from './printable-text';
import { redactSecrets } from './secret';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One answer of the model, whichever API carried it. */
export interface ModelReply {
  /** The answer's text (the plan JSON, if all went well); null when there is none. */
  content: string | null;
  /** The model's refusal, when it declined. */
  refusal: string | null;
  /** The answer was cut at the output token limit. */
  truncated: boolean;
  tokensIn: number;
  tokensOut: number;
}

export interface ModelCall {
  reply: ModelReply;
  /** HTTP requests this call took (1 + retries). */
  attempts: number;
  /** The waits before each retry, ms. */
  waitsMs: number[];
}

/** A call that produced no answer after its retries. The message is redacted and names what happened. */
export class ModelCallError extends Error {
  constructor(
    message: string,
    readonly kind: CallFailureKind,
    readonly attempts: number,
    readonly waitsMs: number[],
  ) {
    super(message);
    this.name = 'ModelCallError';
  }
}

/** What the harness needs from a model: one answer per call, retries included. */
export interface PlanModelClient {
  complete(messages: readonly ChatMessage[], deadline: number): Promise<ModelCall>;
}

export interface ModelClientDependencies {
  /** Waits between retries; tests pass one that records the waits. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  fetch?: FetchFunction;
}

const MAX_ERROR_LENGTH = 300;
const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The limits a timed-out request had: its own timeout, or, when less of the overall limit was
 * left, that remainder, said as such so the message names the limit that really applied.
 */
function describeTimeout(timeoutMs: number, config: AgentConfig): string {
  if (timeoutMs >= config.timeoutMs) return `no answer within ${config.timeoutMs} ms (request timeout)`;
  return `no answer within ${timeoutMs} ms (what was left of the overall limit of ${config.totalTimeoutMs} ms; the request timeout is ${config.timeoutMs} ms)`;
}

function describeFailure(failure: CallFailure, timeoutMs: number, config: AgentConfig): string {
  const message = failure.message;
  switch (failure.kind) {
    case 'timeout':
      return describeTimeout(timeoutMs, config);
    case 'network':
      return `network error: ${message}`;
    case 'rate-limit':
    case 'server':
    case 'http':
      return message.startsWith(String(failure.status)) ? `HTTP ${message}` : `HTTP ${failure.status}: ${message}`;
    default:
      return message;
  }
}

/**
 * A client over the openai SDK for one plan kind: Chat Completions with a json_schema
 * response format (the default, what compatible servers implement) or the Responses API.
 * The SDK's own retries are off; this client retries network errors, timeouts, 429 and 5xx
 * itself, honoring Retry-After, within the per-request timeout and the session deadline.
 * Every error text is redacted before it leaves.
 */
export function createModelClient(config: AgentConfig, kind: PlanKind, dependencies: ModelClientDependencies = {}): PlanModelClient {
  const key = apiKeyFor(config);
  const sleep = dependencies.sleep ?? defaultSleep;
  const now = dependencies.now ?? Date.now;
  const openai = new OpenAI({
    apiKey: key.reveal(),
    baseURL: config.baseUrl,
    maxRetries: 0,
    timeout: config.timeoutMs,
    fetch: cappedFetch(config.maxResponseBytes, dependencies.fetch),
    logLevel: 'off',
  });
  const format = planResponseFormat(kind);
  const redact = (text: string): string => oneLine(redactSecrets(text, [key, config.apiKey]), MAX_ERROR_LENGTH);

  const send = config.api === 'responses' ? sendResponses : sendChat;

  async function sendChat(messages: readonly ChatMessage[], timeout: number): Promise<ModelReply> {
    const completion = await openai.chat.completions.create(
      {
        model: config.model,
        messages: messages.map((message) => ({ role: message.role, content: message.content })),
        response_format: { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: true } },
        max_completion_tokens: config.maxTokens,
      },
      { timeout, maxRetries: 0 },
    );
    const choice = completion.choices?.[0];
    const message = choice?.message;
    const filtered = choice?.finish_reason === 'content_filter';
    return {
      content: typeof message?.content === 'string' ? message.content : null,
      refusal: typeof message?.refusal === 'string' && message.refusal !== '' ? message.refusal : filtered ? 'stopped by the content filter' : null,
      truncated: choice?.finish_reason === 'length',
      tokensIn: completion.usage?.prompt_tokens ?? 0,
      tokensOut: completion.usage?.completion_tokens ?? 0,
    };
  }

  async function sendResponses(messages: readonly ChatMessage[], timeout: number): Promise<ModelReply> {
    const response = await openai.responses.create(
      {
        model: config.model,
        instructions: messages.filter((message) => message.role === 'system').map((message) => message.content).join('\n\n'),
        input: messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role, content: message.content })),
        text: { format: { type: 'json_schema', name: format.name, schema: format.schema, strict: true } },
        max_output_tokens: config.maxTokens,
        store: false,
      },
      { timeout, maxRetries: 0 },
    );
    const texts: string[] = [];
    const refusals: string[] = [];
    for (const item of response.output ?? []) {
      if (item.type !== 'message') continue;
      for (const part of item.content ?? []) {
        if (part.type === 'output_text') texts.push(part.text);
        else if (part.type === 'refusal') refusals.push(part.refusal);
      }
    }
    const incomplete = response.status === 'incomplete' ? response.incomplete_details?.reason : undefined;
    return {
      content: texts.length > 0 ? texts.join('') : null,
      refusal: refusals.length > 0 ? refusals.join(' ') : incomplete === 'content_filter' ? 'stopped by the content filter' : null,
      truncated: incomplete === 'max_output_tokens',
      tokensIn: response.usage?.input_tokens ?? 0,
      tokensOut: response.usage?.output_tokens ?? 0,
    };
  }

  return {
    async complete(messages, deadline) {
      const waitsMs: number[] = [];
      for (let attempt = 1; ; attempt++) {
        const remaining = deadline - now();
        if (remaining <= 0) {
          throw new ModelCallError(`the agent's overall time limit (${config.totalTimeoutMs} ms) ran out`, 'deadline', attempt - 1, waitsMs);
        }
        const timeout = Math.min(config.timeoutMs, remaining);
        try {
          return { reply: await send(messages, timeout), attempts: attempt, waitsMs };
        } catch (error) {
          const failure = classifyCallError(error);
          const text = redact(describeFailure(failure, timeout, config));
          const tried = attempt > 1 ? ` (${attempt} attempts)` : '';
          if (!failure.retryable || attempt > config.maxRetries) throw new ModelCallError(`${text}${tried}`, failure.kind, attempt, waitsMs);
          const wait = retryDelayMs(failure, attempt, config.retryBaseMs);
          if (wait > config.maxRetryWaitMs) {
            throw new ModelCallError(`${text}; the server asks to retry in ${Math.ceil(wait / 1000)} s, longer than the ${Math.round(config.maxRetryWaitMs / 1000)} s sixty waits`, failure.kind, attempt, waitsMs);
          }
          if (now() + wait >= deadline) {
            throw new ModelCallError(`${text}; no time left to retry within the overall limit (${config.totalTimeoutMs} ms)`, 'deadline', attempt, waitsMs);
          }
          waitsMs.push(wait);
          await sleep(wait);
        }
      }
    },
  };
}
