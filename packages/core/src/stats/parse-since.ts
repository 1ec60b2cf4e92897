import { SixtyError } from '../errors/sixty-error';

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * `--since` accepts a duration back from now (`30m`, `12h`, `7d`, `2w`) or a date
 * (`2026-11-01`, any ISO 8601 timestamp). Returns epoch ms.
 */
export function parseSince(value: string, nowMs: number): number {
  const text = value.trim();
  const duration = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(text);
  if (duration) return nowMs - Number(duration[1]) * UNIT_MS[duration[2]!.toLowerCase()]!;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new SixtyError(
    'INVALID_ARGUMENT',
    `--since "${value}" is neither a duration nor a date`,
    'use a duration such as 12h, 7d or 2w, or a date such as 2026-11-01',
  );
}
