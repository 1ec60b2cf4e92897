import { isExecuted, type RunRecord } from '../history/run-record';

/**
 * How long a task restored from the Nx cache really takes: the executed run that produced
 * the cached result has the same hash. Reads the latest restore of the task to learn its hash,
 * then the latest executed, successful run with that hash. Returns null when no recorded run
 * produced it (the result came from another machine or an unrecorded run): then it must be
 * measured.
 */
export function cachedTaskTime(history: readonly RunRecord[], task: string): { hash: string; ms: number | null } | null {
  const runs = [...history].sort((a, b) => a.endMs - b.endMs);
  let hash: string | undefined;
  for (let i = runs.length - 1; i >= 0 && hash === undefined; i--) {
    const record = runs[i]!.tasks.find((t) => t.id === task && t.cache !== 'none' && t.hash);
    if (record) hash = record.hash;
  }
  if (hash === undefined) return null;
  for (let i = runs.length - 1; i >= 0; i--) {
    const record = runs[i]!.tasks.find((t) => t.id === task && t.hash === hash && isExecuted(t) && t.status === 'success');
    if (record) return { hash, ms: record.durationMs };
  }
  return { hash, ms: null };
}
