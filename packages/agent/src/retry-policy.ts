import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ResponseTooLargeError } from './capped-fetch';

/** Why a call failed, as the harness reports it. */
export type CallFailureKind = 'timeout' | 'network' | 'rate-limit' | 'server' | 'http' | 'too-large' | 'deadline' | 'other';

export interface CallFailure {
  kind: CallFailureKind;
  /** Worth another attempt of the same request. */
  retryable: boolean;
  /** HTTP status, when the server answered. */
  status?: number;
  /** What the server asked for (Retry-After, retry-after-ms), ms. */
  retryAfterMs?: number;
  /** The error's own text, not yet redacted. */
  message: string;
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 5; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

/** Retry-After in ms: `retry-after-ms`, then `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Classifies an SDK error: timeouts, connection errors, 408/409/429 and 5xx are worth a retry
 * (429 only when it is a rate limit, not an exhausted quota); other statuses and oversized
 * responses are not.
 */
export function classifyCallError(error: unknown): CallFailure {
  const message = error instanceof Error ? error.message : String(error);
  const tooLarge = causeChain(error).find((item): item is ResponseTooLargeError => item instanceof ResponseTooLargeError);
  if (tooLarge) return { kind: 'too-large', retryable: false, message: tooLarge.message };
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout', retryable: true, message };
  if (error instanceof APIConnectionError) {
    // the SDK says only "Connection error."; the innermost cause says which (connect ECONNREFUSED 127.0.0.1:8000)
    const innermost = causeChain(error).at(-1);
    const detail = innermost !== error && innermost instanceof Error ? innermost.message : '';
    return { kind: 'network', retryable: true, message: detail ? `${message} (${detail})` : message };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    const after = retryAfterMs(error.headers);
    const withAfter = after !== undefined ? { retryAfterMs: after } : {};
    if (status === 429) {
      const quota = error.code === 'insufficient_quota';
      return { kind: 'rate-limit', retryable: !quota, status, message, ...withAfter };
    }
    if (status >= 500) return { kind: 'server', retryable: true, status, message, ...withAfter };
    if (status === 408 || status === 409) return { kind: 'http', retryable: true, status, message, ...withAfter };
    return { kind: 'http', retryable: false, status, message };
  }
  return { kind: 'other', retryable: false, message };
}

/** The wait before retry number `retry` (1-based): what the server asked for, else exponential backoff. */
export function retryDelayMs(failure: CallFailure, retry: number, baseMs: number): number {
  if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
  return baseMs * 2 ** (retry - 1);
}
