import { describe, expect, it } from 'vitest';
import { classifyCallError, dropNullProperties, planResponseFormat, retryAfterMs, retryDelayMs } from '../src/index';
import { APIConnectionTimeoutError, APIError } from 'openai';

/** Every object node of a schema, depth first. */
function objectNodes(schema: unknown, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(schema)) for (const item of schema) objectNodes(item, found);
  else if (typeof schema === 'object' && schema !== null) {
    const node = schema as Record<string, unknown>;
    if (node.type === 'object') found.push(node);
    for (const value of Object.values(node)) objectNodes(value, found);
  }
  return found;
}

describe('the structured-output schema', () => {
  it.each(['shard', 'split'] as const)('is strict-mode shaped for a %s plan: one root object, all properties required, no oneOf or const', (kind) => {
    const { name, schema } = planResponseFormat(kind);
    expect(name).toBe(`sixty_${kind}_plan`);
    expect(schema.type).toBe('object');
    const text = JSON.stringify(schema);
    expect(text).not.toMatch(/"(oneOf|const|maxItems|maxLength|pattern|\$schema)"/);
    for (const node of objectNodes(schema)) {
      expect(node.additionalProperties).toBe(false);
      expect(node.required).toEqual(Object.keys(node.properties as object));
    }
    expect((schema.properties as Record<string, unknown>).kind).toEqual({ type: 'string', enum: [kind] });
    expect(schema.properties).not.toHaveProperty('fileHashes');
  });

  it('makes optional properties nullable, and the answer drops the nulls', () => {
    const { schema } = planResponseFormat('shard');
    expect((schema.properties as Record<string, { anyOf?: unknown[] }>).oversizedFiles!.anyOf![1]).toEqual({ type: 'null' });
    expect(dropNullProperties({ a: 1, b: null, c: [{ d: null, e: 2 }] })).toEqual({ a: 1, c: [{ e: 2 }] });
  });
});

describe('the retry policy', () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  it('reads Retry-After in ms, seconds or as a date', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), Date.parse('Thu, 01 Jan 2026 00:00:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(headers({}))).toBeUndefined();
  });

  it('retries timeouts, 408, 409, 429 and 5xx; not 400, 401 or an exhausted quota', () => {
    const error = (status: number, code?: string, extra: Record<string, string> = {}) => APIError.generate(status, { error: { message: 'x', ...(code ? { code } : {}) } }, undefined, headers(extra));
    expect(classifyCallError(new APIConnectionTimeoutError())).toMatchObject({ kind: 'timeout', retryable: true });
    expect(classifyCallError(error(429, undefined, { 'retry-after': '3' }))).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 3000 });
    expect(classifyCallError(error(429, 'insufficient_quota'))).toMatchObject({ kind: 'rate-limit', retryable: false });
    for (const status of [408, 409, 500, 502, 503]) expect(classifyCallError(error(status)).retryable).toBe(true);
    for (const status of [400, 401, 403, 404, 422]) expect(classifyCallError(error(status)).retryable).toBe(false);
    expect(retryDelayMs({ kind: 'server', retryable: true, message: '' }, 3, 1000)).toBe(4000);
  });
});
