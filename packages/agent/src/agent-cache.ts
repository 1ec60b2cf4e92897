import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '@sixty/core';
import type { AgentConfig } from './agent-config';
import type { Brief } from './brief';
import type { AgentRound } from './agent-round';

/** Bump when the cached document changes shape. */
export const AGENT_CACHE_VERSION = 1;

/** The cache folder under the history directory. */
export const AGENT_CACHE_DIRECTORY = 'agent-cache';

/** A valid agent plan, kept so a re-run with the same brief, model and options costs no tokens. */
export interface CachedAgentAnswer {
  cacheVersion: typeof AGENT_CACHE_VERSION;
  key: string;
  model: string;
  api: AgentConfig['api'];
  briefSha256: string;
  plan: Plan;
  /** What obtaining it cost, round by round. */
  rounds: AgentRound[];
}

/**
 * sha256 of everything that shapes the answer: the brief (every fact about the target), the
 * model, the API and server, and the options that change what is asked. Never the key.
 */
export function agentCacheKey(brief: Brief, config: AgentConfig): string {
  const shaping = {
    cacheVersion: AGENT_CACHE_VERSION,
    brief: brief.sha256,
    model: config.model,
    api: config.api,
    baseUrl: config.baseUrl,
    maxRounds: config.maxRounds,
    maxTokens: config.maxTokens,
  };
  return createHash('sha256').update(JSON.stringify(shaping)).digest('hex');
}

export function agentCacheFile(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.json`);
}

/** The cached answer for this key, or null (none, unreadable, another version or key: all mean ask again). */
export function readCachedAnswer(cacheDir: string, key: string): CachedAgentAnswer | null {
  try {
    const value = JSON.parse(readFileSync(agentCacheFile(cacheDir, key), 'utf8')) as Partial<CachedAgentAnswer>;
    if (value.cacheVersion !== AGENT_CACHE_VERSION || value.key !== key || typeof value.plan !== 'object' || value.plan === null || !Array.isArray(value.rounds)) return null;
    return value as CachedAgentAnswer;
  } catch {
    return null;
  }
}

/** Writes the answer whole (temporary file, then rename): a reader never sees half of one. Returns its path. */
export function writeCachedAnswer(cacheDir: string, answer: CachedAgentAnswer): string {
  mkdirSync(cacheDir, { recursive: true });
  const file = agentCacheFile(cacheDir, answer.key);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(answer, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}
