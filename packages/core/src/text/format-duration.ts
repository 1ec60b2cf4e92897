const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Human duration: 340ms, 12.3s, 4m 05s, 2h 05m, 3d 04h; "?" for a value that is not a duration. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < MINUTE_MS) return `${(ms / 1000).toFixed(1)}s`;
  if (ms < HOUR_MS) {
    const totalSeconds = Math.round(ms / 1000);
    if (totalSeconds === 3600) return '1h 00m';
    return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  }
  if (ms < DAY_MS) {
    const totalMinutes = Math.round(ms / MINUTE_MS);
    return `${Math.floor(totalMinutes / 60)}h ${String(totalMinutes % 60).padStart(2, '0')}m`;
  }
  if (ms >= 1000 * DAY_MS) return '>999d';
  const totalHours = Math.round(ms / HOUR_MS);
  return `${Math.floor(totalHours / 24)}d ${String(totalHours % 24).padStart(2, '0')}h`;
}
