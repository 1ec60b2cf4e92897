import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSixtyError } from '@sixty/core';
import { apiKeyFor, DEFAULT_AGENT_CONFIG, displayBaseUrl, normalizeAgentConfig, redactSecrets, SecretValue } from '../src/index';
import { TEST_KEY } from './fixtures';

describe('agent settings', () => {
  it('defaults to OpenAI, gpt-4.1-mini, Chat Completions, 3 rounds, 120 s per request', () => {
    const { config, problems } = normalizeAgentConfig();
    expect(problems).toEqual([]);
    expect(config).toEqual({ ...DEFAULT_AGENT_CONFIG, apiKey: null });
    expect(config).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4.1-mini', api: 'chat', maxRounds: 3, timeoutMs: 120_000, includeSource: false, cache: true });
  });

  it('takes nx.json, then the environment, then the flags', () => {
    const pluginOptions = { model: 'from-nx', baseUrl: 'http://nx.local/v1/', api: 'responses', timeoutMs: 30_000, maxRounds: 5, maxTokens: 2000, maxRetries: 0, maxBriefBytes: 4096, totalTimeoutMs: 90_000 };
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: 'http://env.local:8000/v1', SIXTY_MODEL: 'from-env' };
    const fromNxAndEnv = normalizeAgentConfig({ pluginOptions, env }).config;
    expect(fromNxAndEnv).toMatchObject({ model: 'from-env', baseUrl: 'http://env.local:8000/v1', api: 'responses', timeoutMs: 30_000, maxRounds: 5, maxTokens: 2000, maxRetries: 0, maxBriefBytes: 4096, totalTimeoutMs: 90_000 });
    expect(normalizeAgentConfig({ pluginOptions }).config.baseUrl).toBe('http://nx.local/v1');
    const flags = { model: 'from-flag', baseUrl: 'http://127.0.0.1:9/v1', api: 'chat', timeoutMs: 7000, maxRounds: 1, includeSource: true, cache: false };
    expect(normalizeAgentConfig({ pluginOptions, env, flags }).config).toMatchObject({ ...flags, maxTokens: 2000 });
    expect(fromNxAndEnv.apiKey?.reveal()).toBe(TEST_KEY);
  });

  it('reports invalid nx.json and environment values and keeps the defaults', () => {
    const { config, problems } = normalizeAgentConfig({ pluginOptions: { maxRounds: 0, api: 'grpc', baseUrl: 'ftp://x' }, env: { OPENAI_BASE_URL: 'not a url' } });
    expect(problems).toEqual([
      'option agent.baseUrl is "ftp://x": expected an http(s) URL such as http://127.0.0.1:8000/v1; using "https://api.openai.com/v1"',
      'environment OPENAI_BASE_URL is "not a url": expected an http(s) URL such as http://127.0.0.1:8000/v1; using "https://api.openai.com/v1"',
      'option agent.api is "grpc": expected "chat" or "responses"; using "chat"',
      'option agent.maxRounds is 0: expected a whole number of at least 1; using 3',
    ]);
    expect(config).toMatchObject({ baseUrl: 'https://api.openai.com/v1', api: 'chat', maxRounds: 3 });
    expect(normalizeAgentConfig({ pluginOptions: 'gpt' }).problems).toEqual(['option agent must be an object, e.g. { "model": "gpt-4.1-mini" }; using defaults']);
  });

  it('rejects an invalid flag as a usage error', () => {
    expect(() => normalizeAgentConfig({ flags: { baseUrl: 'localhost:8000' } })).toThrow(/--base-url "localhost:8000" is not valid/);
    expect(() => normalizeAgentConfig({ flags: { api: 'grpc' } })).toThrow(/--api "grpc" is not valid/);
  });

  it('needs a key for api.openai.com only; a local server gets a placeholder', () => {
    let error: unknown;
    try {
      apiKeyFor(normalizeAgentConfig().config);
    } catch (caught) {
      error = caught;
    }
    expect(isSixtyError(error) && error.code).toBe('INVALID_CONFIG');
    expect(apiKeyFor(normalizeAgentConfig({ flags: { baseUrl: 'http://127.0.0.1:8000/v1' } }).config).reveal()).toBe('sixty-no-key');
  });

  it('never shows the key: JSON, strings and inspect print [redacted]', () => {
    const { config } = normalizeAgentConfig({ env: { OPENAI_API_KEY: TEST_KEY } });
    expect(JSON.stringify(config)).not.toContain(TEST_KEY);
    expect(`${config.apiKey}`).toBe('[redacted]');
    expect(inspect(config)).not.toContain(TEST_KEY);
    expect(JSON.stringify(config)).toContain('"apiKey":"[redacted]"');
  });

  it('redacts the key and key-shaped strings from text', () => {
    expect(redactSecrets(`bad key ${TEST_KEY}; Authorization: Bearer abc.def`, [new SecretValue(TEST_KEY)])).toBe('bad key [redacted]; Authorization: Bearer [redacted]');
    expect(redactSecrets('key sk-proj-AbCdEf123456 leaked', [])).toBe('key sk-[redacted] leaked');
  });

  it('shows a base URL without credentials or query', () => {
    expect(displayBaseUrl('https://user:pw@gateway.example/v1/?token=x')).toBe('https://gateway.example/v1');
  });
});
