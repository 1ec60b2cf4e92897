import { describe, expect, it } from 'vitest';
import { createLineRedactor, redactText, secretsInEnvironment } from '@sixty/core';

describe('redactText', () => {
  it('replaces the given secrets and every key shape, and keeps JSON text JSON', () => {
    const text = JSON.stringify({ note: 'key abcd1234efgh, Authorization: Bearer tok.en-1, sk-proj-AbCdEf123456', headers: { Authorization: 'raw-token-9' } });
    const redacted = redactText(text, ['abcd1234efgh', null, 'ab']);
    expect(JSON.parse(redacted)).toEqual({ note: 'key [redacted], Authorization: Bearer [redacted], sk-[redacted]', headers: { Authorization: '[redacted]' } });
  });

  it('leaves prose and short secrets alone', () => {
    expect(redactText('Authorization is required; the sk-1 of the skill', ['the'])).toBe('Authorization is required; the sk-1 of the skill');
  });
});

describe('secretsInEnvironment', () => {
  it('takes the values of credential-like variables only', () => {
    expect(secretsInEnvironment({ OPENAI_API_KEY: 'sk-12345678', GITHUB_TOKEN: 'ghp_abcdefgh', PATH: '/usr/bin:/bin', SHORT_TOKEN: 'abc' })).toEqual(['sk-12345678', 'ghp_abcdefgh']);
  });
});

describe('createLineRedactor', () => {
  it('finds a secret split across chunks, emitting whole lines', () => {
    const redactor = createLineRedactor(['supersecret-value']);
    expect(redactor.push('token: super')).toBe('');
    expect(redactor.push('secret-value\nnext ')).toBe('token: [redacted]\n');
    expect(redactor.push('line supersecret-')).toBe('');
    expect(redactor.flush()).toBe('next line supersecret-');
  });
});
