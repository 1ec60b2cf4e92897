/**
 * The dispatch policy: how `sixty dispatch` hands a ticket to a coding agent. Read from the
 * plugin options in nx.json (`"dispatch": { ... }`) so agents and CI share one configuration;
 * command-line flags override it per run.
 */
export interface DispatchPolicy {
  /** The agent's command line, run through the shell in the dispatch worktree; null: pass --agent-cmd. */
  agentCmd: string | null;
  /** The agent is stopped (its whole process group) after this long. */
  timeoutMs: number;
  /** The agent is stopped when it writes nothing to stdout or stderr for this long. */
  stallMs: number;
  /** `--all-over-budget`: dispatches running at once. */
  maxConcurrent: number;
  /** A passing dispatch commits its changes on its branch. */
  commit: boolean;
  /** `bwrap`: the agent runs in a bubblewrap sandbox where the user's checkout is read-only (Linux). */
  sandbox: DispatchSandbox;
}

export type DispatchSandbox = 'none' | 'bwrap';
export const DISPATCH_SANDBOXES: readonly DispatchSandbox[] = ['none', 'bwrap'];

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  agentCmd: null,
  timeoutMs: 30 * 60_000,
  stallMs: 5 * 60_000,
  maxConcurrent: 2,
  commit: false,
  sandbox: 'none',
};

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as people write it: `1500ms`, `5s`, `30m`, `1.5h`, or a bare number of seconds.
 * Returns undefined when the text is not a positive duration.
 */
export function parseDurationMs(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i.exec(value.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * DURATION_UNIT_MS[(match[2] ?? 's').toLowerCase()]!;
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : undefined;
}

/** nx.json durations: a number of milliseconds, or a duration string such as "30m". */
function durationOption(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : undefined;
  return typeof value === 'string' ? parseDurationMs(value) : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 ? number : undefined;
}

const KNOWN_KEYS = ['agentCmd', 'timeoutMs', 'stallMs', 'maxConcurrent', 'commit', 'sandbox'];

export interface NormalizedDispatchPolicy {
  policy: DispatchPolicy;
  /** One line per invalid value; the value falls back to its default. */
  problems: string[];
}

/** Normalizes the `dispatch` plugin option. Never throws: bad values are reported and defaulted. */
export function normalizeDispatchPolicy(raw: unknown): NormalizedDispatchPolicy {
  const problems: string[] = [];
  if (raw === undefined) return { policy: { ...DEFAULT_DISPATCH_POLICY }, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      policy: { ...DEFAULT_DISPATCH_POLICY },
      problems: ['option dispatch must be an object, e.g. { "agentCmd": "my-agent --yes", "timeoutMs": "30m" }; using defaults'],
    };
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!KNOWN_KEYS.includes(key)) problems.push(`option dispatch.${key} is not known (known: ${KNOWN_KEYS.join(', ')}); ignored`);
  }
  const pick = <T>(name: string, parse: (value: unknown) => T | undefined, hint: string, fallback: T): T => {
    const value = input[name];
    if (value === undefined) return fallback;
    const parsed = parse(value);
    if (parsed !== undefined) return parsed;
    problems.push(`option dispatch.${name} is ${JSON.stringify(value)}: ${hint}; using ${JSON.stringify(fallback)}`);
    return fallback;
  };
  return {
    policy: {
      agentCmd: pick('agentCmd', (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined), 'expected a command line', DEFAULT_DISPATCH_POLICY.agentCmd),
      timeoutMs: pick('timeoutMs', durationOption, 'expected milliseconds or a duration such as "30m"', DEFAULT_DISPATCH_POLICY.timeoutMs),
      stallMs: pick('stallMs', durationOption, 'expected milliseconds or a duration such as "5m"', DEFAULT_DISPATCH_POLICY.stallMs),
      maxConcurrent: pick('maxConcurrent', positiveInteger, 'expected a whole number of at least 1', DEFAULT_DISPATCH_POLICY.maxConcurrent),
      commit: pick('commit', (v) => (typeof v === 'boolean' ? v : undefined), 'expected true or false', DEFAULT_DISPATCH_POLICY.commit),
      sandbox: pick('sandbox', (v) => DISPATCH_SANDBOXES.find((kind) => kind === v), `expected ${DISPATCH_SANDBOXES.map((k) => JSON.stringify(k)).join(' or ')}`, DEFAULT_DISPATCH_POLICY.sandbox),
    },
    problems,
  };
}
