import { SixtyError } from '@sixty/core';
import { SecretValue } from './secret';

/** Which OpenAI API carries the request: Chat Completions (what compatible servers implement) or Responses. */
export type AgentApi = 'chat' | 'responses';

/** The plugin entry's `options.agent` in nx.json, as users write it (every field optional). */
export interface AgentOptionsInput {
  model?: unknown;
  baseUrl?: unknown;
  api?: unknown;
  timeoutMs?: unknown;
  totalTimeoutMs?: unknown;
  maxRounds?: unknown;
  maxTokens?: unknown;
  maxRetries?: unknown;
  maxBriefBytes?: unknown;
}

/** What the command line sets (already parsed by commander); each one wins over nx.json and the environment. */
export interface AgentFlags {
  model?: string;
  baseUrl?: string;
  api?: string;
  timeoutMs?: number;
  maxRounds?: number;
  includeSource?: boolean;
  cache?: boolean;
}

/** Fully defaulted agent settings: the rest of the code never checks for undefined. */
export interface AgentConfig {
  /** OPENAI_API_KEY; null when unset (allowed for servers other than OpenAI's). Never printed. */
  apiKey: SecretValue | null;
  /** Base URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  api: AgentApi;
  /** Hard limit of one HTTP request (headers and body), ms. */
  timeoutMs: number;
  /** Hard limit of the whole agent session (every round, retry and wait), ms. */
  totalTimeoutMs: number;
  /** Calls that may return a plan: the first, then repairs with the validator's problems. */
  maxRounds: number;
  /** Output token limit per call. */
  maxTokens: number;
  /** Retries of one call after a network error, a timeout, 429 or 5xx (the SDK's own retries are off). */
  maxRetries: number;
  /** First backoff when the server gives no Retry-After; doubles per retry. */
  retryBaseMs: number;
  /** Longest wait between retries; a Retry-After beyond it ends the session instead. */
  maxRetryWaitMs: number;
  /** Cap of the brief (system + user message), bytes. */
  maxBriefBytes: number;
  /** With includeSource: cap of one file's contents, and of all of them, bytes. */
  maxSourceFileBytes: number;
  maxSourceBytes: number;
  /** Cap of one HTTP response body, bytes. */
  maxResponseBytes: number;
  /** Send file contents (size-capped) in the brief. Off by default. */
  includeSource: boolean;
  /** Read and write answers under <historyDir>/agent-cache. */
  cache: boolean;
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const DEFAULT_AGENT_CONFIG: Omit<AgentConfig, 'apiKey'> = {
  baseUrl: OPENAI_BASE_URL,
  model: 'gpt-4.1-mini',
  api: 'chat',
  timeoutMs: 120_000,
  totalTimeoutMs: 300_000,
  maxRounds: 3,
  maxTokens: 16_384,
  maxRetries: 2,
  retryBaseMs: 1_000,
  maxRetryWaitMs: 60_000,
  maxBriefBytes: 256 * 1024,
  maxSourceFileBytes: 8 * 1024,
  maxSourceBytes: 96 * 1024,
  maxResponseBytes: 1024 * 1024,
  includeSource: false,
  cache: true,
};

export interface NormalizedAgentConfig {
  config: AgentConfig;
  /** One line per invalid nx.json option or environment variable; the default (or nx.json value) is used instead. */
  problems: string[];
}

export interface AgentConfigSources {
  /** nx.json `plugins[@sixty/nx].options.agent`. */
  pluginOptions?: unknown;
  env?: Record<string, string | undefined>;
  flags?: AgentFlags;
}

const positiveInteger = (value: unknown): number | undefined => {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
};
const nonNegativeInteger = (value: unknown): number | undefined => (value === 0 || value === '0' ? 0 : positiveInteger(value));
const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const apiName = (value: unknown): AgentApi | undefined => (value === 'chat' || value === 'responses' ? value : undefined);

/** An http(s) URL without a trailing slash; undefined when it is not one. */
export function parseBaseUrl(value: unknown): string | undefined {
  const text = nonEmptyString(value);
  if (text === undefined) return undefined;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return text.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** The base URL as it may be shown: without user:password and query (either could hold a credential). */
export function displayBaseUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

/** True when requests go to OpenAI itself, where a key is required. */
export function isOpenAiBaseUrl(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/**
 * Normalizes the agent settings once: defaults, then nx.json `agent` options, then the
 * environment (OPENAI_API_KEY, OPENAI_BASE_URL, SIXTY_MODEL), then command-line flags.
 * Invalid nx.json or environment values are reported in `problems` and ignored; an invalid
 * flag is a usage error (SixtyError), since the user is typing it now.
 */
export function normalizeAgentConfig(sources: AgentConfigSources = {}): NormalizedAgentConfig {
  const problems: string[] = [];
  const env = sources.env ?? {};
  const flags = sources.flags ?? {};
  const raw = sources.pluginOptions;
  const input: AgentOptionsInput = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as AgentOptionsInput) : {};
  if (raw !== undefined && input !== raw) problems.push('option agent must be an object, e.g. { "model": "gpt-4.1-mini" }; using defaults');

  const fromNxJson = <T>(name: keyof AgentOptionsInput, parse: (value: unknown) => T | undefined, fallback: T, hint: string): T => {
    const value = input[name];
    if (value === undefined) return fallback;
    const parsed = parse(value);
    if (parsed !== undefined) return parsed;
    problems.push(`option agent.${name} is ${JSON.stringify(value)}: ${hint}; using ${JSON.stringify(fallback)}`);
    return fallback;
  };
  const fromEnv = <T>(variable: string, configured: T, parse: (value: unknown) => T | undefined, hint: string): T => {
    const value = env[variable];
    if (value === undefined || value === '') return configured;
    const parsed = parse(value);
    if (parsed !== undefined) return parsed;
    problems.push(`environment ${variable} is ${JSON.stringify(value)}: ${hint}; using ${JSON.stringify(configured)}`);
    return configured;
  };
  const fromFlag = <T>(flag: string, value: unknown, configured: T, parse: (value: unknown) => T | undefined, fix: string): T => {
    if (value === undefined) return configured;
    const parsed = parse(value);
    if (parsed === undefined) throw new SixtyError('INVALID_ARGUMENT', `${flag} ${JSON.stringify(value)} is not valid`, fix);
    return parsed;
  };

  const defaults = DEFAULT_AGENT_CONFIG;
  const urlHint = 'expected an http(s) URL such as http://127.0.0.1:8000/v1';
  const baseUrl = fromFlag(
    '--base-url',
    flags.baseUrl,
    fromEnv('OPENAI_BASE_URL', fromNxJson('baseUrl', parseBaseUrl, defaults.baseUrl, urlHint), parseBaseUrl, urlHint),
    parseBaseUrl,
    'pass the API base URL, e.g. --base-url http://127.0.0.1:8000/v1',
  );
  const model = fromFlag(
    '--model',
    flags.model,
    fromEnv('SIXTY_MODEL', fromNxJson('model', nonEmptyString, defaults.model, 'expected a model name'), nonEmptyString, 'expected a model name'),
    nonEmptyString,
    'pass a model name, e.g. --model gpt-4.1-mini',
  );
  const api = fromFlag('--api', flags.api, fromNxJson('api', apiName, defaults.api, 'expected "chat" or "responses"'), apiName, 'use --api chat (Chat Completions) or --api responses');
  const timeoutMs = fromFlag('--timeout', flags.timeoutMs, fromNxJson('timeoutMs', positiveInteger, defaults.timeoutMs, 'expected a positive whole number of ms'), positiveInteger, 'pass seconds, e.g. --timeout 120');
  const maxRounds = fromFlag('--max-rounds', flags.maxRounds, fromNxJson('maxRounds', positiveInteger, defaults.maxRounds, 'expected a whole number of at least 1'), positiveInteger, 'pass a whole number of at least 1, e.g. --max-rounds 3');
  const key = nonEmptyString(env.OPENAI_API_KEY);

  const config: AgentConfig = {
    ...defaults,
    apiKey: key === undefined ? null : new SecretValue(key),
    baseUrl,
    model,
    api,
    timeoutMs,
    totalTimeoutMs: fromNxJson('totalTimeoutMs', positiveInteger, Math.max(defaults.totalTimeoutMs, timeoutMs), 'expected a positive whole number of ms'),
    maxRounds,
    maxTokens: fromNxJson('maxTokens', positiveInteger, defaults.maxTokens, 'expected a whole number of tokens'),
    maxRetries: fromNxJson('maxRetries', nonNegativeInteger, defaults.maxRetries, 'expected a whole number (0 for none)'),
    maxBriefBytes: fromNxJson('maxBriefBytes', positiveInteger, defaults.maxBriefBytes, 'expected a whole number of bytes'),
    includeSource: flags.includeSource ?? defaults.includeSource,
    cache: flags.cache ?? defaults.cache,
  };
  return { config, problems };
}

/**
 * The key the client sends. OpenAI needs one; other servers often do not, and the SDK still
 * wants a value, so a placeholder is sent to them.
 */
export function apiKeyFor(config: AgentConfig): SecretValue {
  if (config.apiKey) return config.apiKey;
  if (isOpenAiBaseUrl(config.baseUrl)) {
    throw new SixtyError(
      'INVALID_CONFIG',
      'OPENAI_API_KEY is not set, and the agent planner calls api.openai.com',
      'export OPENAI_API_KEY=<your key>, or point it at an OpenAI-compatible server with --base-url, or plan locally with --planner local',
    );
  }
  return new SecretValue('sixty-no-key');
}
