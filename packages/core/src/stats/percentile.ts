/**
 * Nearest-rank percentile of values sorted ascending: the smallest value with at least p% of
 * the values at or below it. Nearest-rank returns a value that was actually measured.
 */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  if (!(p > 0)) return sorted[0]!;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
