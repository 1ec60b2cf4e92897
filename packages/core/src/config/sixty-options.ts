import { DEFAULT_RETENTION, type RetentionPolicy } from '../history/history-store';

/** The plugin entry's `options` in nx.json, as users write them (every field optional). */
export interface SixtyOptionsInput {
  budgetSeconds?: unknown;
  /** Per-target budgets in seconds, keyed by `project:target` or by target name (`test`). */
  budgets?: unknown;
  historyDir?: unknown;
  historyMaxAgeDays?: unknown;
  historyMaxMegabytes?: unknown;
  baselineFile?: unknown;
}

/** Fully defaulted options: the rest of the code never checks for undefined. */
export interface SixtyOptions {
  budgetSeconds: number;
  budgets: Record<string, number>;
  historyDir: string;
  retention: RetentionPolicy;
  baselineFile: string;
}

export const DEFAULT_OPTIONS: SixtyOptions = {
  budgetSeconds: 60,
  budgets: {},
  historyDir: '.sixty',
  retention: DEFAULT_RETENTION,
  baselineFile: 'sixty-timings.json',
};

export interface NormalizedOptions {
  options: SixtyOptions;
  /** One line per invalid option; the option falls back to its default. */
  problems: string[];
}

function positiveNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) && Number(value) > 0) {
    return Number(value);
  }
  return undefined;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * Normalizes raw options (nx.json, then SIXTY_* environment overrides) into SixtyOptions.
 * Invalid values never throw: they are reported in `problems` and replaced by defaults,
 * because a bad option must not break the user's nx command.
 */
export function normalizeOptions(raw: unknown, env: Record<string, string | undefined> = {}): NormalizedOptions {
  const problems: string[] = [];
  const input: SixtyOptionsInput =
    typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as SixtyOptionsInput) : {};
  if (raw !== undefined && input !== raw) {
    problems.push('options must be an object, e.g. { "budgetSeconds": 60 }; using defaults');
  }

  const pick = <T>(name: string, value: unknown, parse: (v: unknown) => T | undefined, fallback: T, hint: string): T => {
    if (value === undefined) return fallback;
    const parsed = parse(value);
    if (parsed === undefined) {
      problems.push(`option ${name} is ${JSON.stringify(value)}: ${hint}; using ${JSON.stringify(fallback)}`);
      return fallback;
    }
    return parsed;
  };
  /** A SIXTY_* variable overrides the nx.json value; an invalid one is reported and ignored. */
  const override = <T>(variable: string, configured: T, parse: (v: unknown) => T | undefined, hint: string): T => {
    const value = env[variable];
    if (value === undefined || value === '') return configured;
    const parsed = parse(value);
    if (parsed === undefined) {
      problems.push(`environment ${variable} is ${JSON.stringify(value)}: ${hint}; using ${JSON.stringify(configured)}`);
      return configured;
    }
    return parsed;
  };

  const budgetSeconds = override(
    'SIXTY_BUDGET_SECONDS',
    pick('budgetSeconds', input.budgetSeconds, positiveNumber, DEFAULT_OPTIONS.budgetSeconds, 'expected a positive number of seconds'),
    positiveNumber,
    'expected a positive number of seconds',
  );
  const historyDir = override(
    'SIXTY_HISTORY_DIR',
    pick('historyDir', input.historyDir, nonEmptyString, DEFAULT_OPTIONS.historyDir, 'expected a directory path'),
    nonEmptyString,
    'expected a directory path',
  );
  const maxAgeDays = pick(
    'historyMaxAgeDays',
    input.historyMaxAgeDays,
    positiveNumber,
    DEFAULT_RETENTION.maxAgeDays,
    'expected a positive number of days',
  );
  const maxMegabytes = pick(
    'historyMaxMegabytes',
    input.historyMaxMegabytes,
    positiveNumber,
    DEFAULT_RETENTION.maxBytes / (1024 * 1024),
    'expected a positive number of megabytes',
  );
  const baselineFile = pick(
    'baselineFile',
    input.baselineFile,
    nonEmptyString,
    DEFAULT_OPTIONS.baselineFile,
    'expected a file path',
  );

  const budgets: Record<string, number> = {};
  if (input.budgets !== undefined) {
    if (typeof input.budgets !== 'object' || input.budgets === null || Array.isArray(input.budgets)) {
      problems.push('option budgets must map "project:target" or "target" to seconds, e.g. { "app:test": 90 }');
    } else {
      for (const [key, value] of Object.entries(input.budgets)) {
        const seconds = positiveNumber(value);
        if (seconds === undefined) problems.push(`option budgets["${key}"] is ${JSON.stringify(value)}: expected a positive number of seconds`);
        else budgets[key] = seconds;
      }
    }
  }

  return {
    options: {
      budgetSeconds,
      budgets,
      historyDir,
      retention: { maxAgeDays, maxBytes: Math.round(maxMegabytes * 1024 * 1024) },
      baselineFile,
    },
    problems,
  };
}

/**
 * The budget of one task in ms: `project:target:configuration`, then `project:target`, then
 * the target name, then the default. An explicit override (--budget) wins over all of them.
 */
export function budgetMsFor(
  options: SixtyOptions,
  task: { project: string; target: string; configuration?: string },
  overrideSeconds?: number,
): number {
  if (overrideSeconds !== undefined) return overrideSeconds * 1000;
  const { budgets } = options;
  const keys = [
    task.configuration ? `${task.project}:${task.target}:${task.configuration}` : undefined,
    `${task.project}:${task.target}`,
    task.target,
  ];
  for (const key of keys) {
    if (key !== undefined && Object.hasOwn(budgets, key)) return budgets[key]! * 1000;
  }
  return options.budgetSeconds * 1000;
}
