import { ANSI, failureCause } from './failure-cause';

/** Lines that carry the reason of a failure, in the output of common compilers and test runners. */
const SIGNAL =
  /\b(error|errors|failed|failure|fail|assertion|assert|expected|received|exception|cannot|not ok|panic)\b|✖|✗|×|\bERR_|TS\d{4}:|^\s*at .*:\d+:\d+\)?$/i;

/** Lines that look like a failure but are a runner's summary counters (`fail 0`, `errors="0"`). */
const NOISE = /^\s*(ℹ\s*)?(fail|failures|errors|cancelled|skipped|todo)\s+0\s*$|\b(failures|errors)="0"/i;

export interface ExcerptOptions {
  /** Lines kept before and after each signal line. */
  context: number;
  /** The excerpt never exceeds this many lines. */
  maxLines: number;
  /** Nor this many characters (lines are cut to fit). */
  maxChars: number;
}

export const DEFAULT_EXCERPT: ExcerptOptions = { context: 2, maxLines: 12, maxChars: 1200 };

export interface FailureDescription {
  excerpt: string;
  /** The first file:line in the user's code, when the output names one. */
  location: string | null;
}

/**
 * What a failed task's output says: the cause (message, expected/received, location) when it
 * has a shape sixty knows, else the lines that name an error with a little context.
 */
export function describeFailure(log: string, options: ExcerptOptions = DEFAULT_EXCERPT): FailureDescription {
  const cause = failureCause(log);
  if (cause && cause.lines.length > 0) return { excerpt: fitLines(cause.lines, options), location: cause.location };
  return { excerpt: excerptFailure(log, options), location: cause?.location ?? null };
}

/**
 * The relevant part of a failed task's output: the lines that name the error with a few
 * lines around them, not the whole log. Falls back to the last lines when nothing matches.
 */
export function excerptFailure(log: string, options: ExcerptOptions = DEFAULT_EXCERPT): string {
  const lines = log
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const keep = new Set<number>();
  for (const [index, line] of lines.entries()) {
    if (!SIGNAL.test(line) || NOISE.test(line)) continue;
    for (let i = Math.max(0, index - options.context); i <= Math.min(lines.length - 1, index + options.context); i++) keep.add(i);
    if (keep.size >= options.maxLines * 2) break; // enough material: the first errors matter most
  }
  let picked: string[];
  if (keep.size === 0) {
    picked = lines.slice(-options.maxLines);
  } else {
    picked = [];
    let previous = -2;
    for (const index of [...keep].sort((a, b) => a - b)) {
      if (index !== previous + 1 && picked.length > 0) picked.push('...');
      picked.push(lines[index]!);
      previous = index;
    }
  }
  return fitLines(picked.filter((line, i) => line !== '' || (i > 0 && picked[i - 1] !== '')), options);
}

/** At most maxLines lines and maxChars characters (the last line kept is cut to fit). */
function fitLines(lines: readonly string[], options: ExcerptOptions): string {
  const picked = lines.slice(0, options.maxLines);
  const out: string[] = [];
  let chars = 0;
  for (const line of picked) {
    const room = options.maxChars - chars;
    if (room <= 0) break;
    const cut = line.length > room ? `${line.slice(0, Math.max(0, room - 3))}...` : line;
    out.push(cut);
    chars += cut.length + 1;
  }
  return out.join('\n');
}
