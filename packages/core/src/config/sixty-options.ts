import { DEFAULT_RETENTION, type RetentionPolicy } from '../history/history-store';
import { normalizeDispatchPolicy, type DispatchPolicy } from './dispatch-policy';

/** The plugin entry's `options` in nx.json, as users write them (every field optional). */
export interface SixtyOptionsInput {
  budgetSeconds?: unknown;
  /** Budget of a loop (the wall time of a change: every task it affects, at --parallel N); default budgetSeconds. */
  loopBudgetSeconds?: unknown;
  /** Per-target budgets in seconds, keyed by `project:target` or by target name (`test`). */
  budgets?: unknown;
  historyDir?: unknown;
  historyMaxAgeDays?: unknown;
  historyMaxMegabytes?: unknown;
  baselineFile?: unknown;
  /** `sixty dispatch` policy: { agentCmd, timeoutMs, stallMs, maxConcurrent, commit }. */
  dispatch?: unknown;
  /** When `sixty check` runs only the test files a change reaches: `local` (not under CI), `always`, `never`. */
  testSelection?: unknown;
  /** false: no budget line at the end of an nx run. */
  announce?: unknown;
}

/** When `sixty check` narrows test targets to the files a change reaches. */
export type TestSelectionMode = 'local' | 'always' | 'never';
const TEST_SELECTION_MODES: readonly TestSelectionMode[] = ['local', 'always', 'never'];

/** Fully defaulted options: the rest of the code never checks for undefined. */
export interface SixtyOptions {
  budgetSeconds: number;
  /**
   * Budget of a loop in seconds: the wall time of a change (its affected tasks at --parallel N).
   * Present only when configured; loopBudgetMsOf then falls back to budgetSeconds.
   */
  loopBudgetSeconds?: number;
  budgets: Record<string, number>;
  historyDir: string;
  retention: RetentionPolicy;
  baselineFile: string;
  testSelection: TestSelectionMode;
  /** Print the budget line at the end of an nx run that broke the budget (SIXTY_QUIET=1 also silences it). */
  announce: boolean;
  /**
   * The dispatch policy, present only when nx.json sets `dispatch` (fully defaulted then);
   * `sixty dispatch` uses DEFAULT_DISPATCH_POLICY when it is absent.
   */
  dispatch?: DispatchPolicy;
}

/** Shards and split parts are filled to at most budget x this: room for runner start-up and noise. */
export const DEFAULT_SAFETY_MARGIN = 0.85;

export const DEFAULT_OPTIONS: SixtyOptions = {
  budgetSeconds: 60,
  budgets: {},
  historyDir: '.sixty',
  retention: DEFAULT_RETENTION,
  baselineFile: 'sixty-timings.json',
  testSelection: 'local',
  announce: true,
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

function booleanValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
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
  // unset, the loop budget follows the target budget (loopBudgetMsOf): a change should wait no longer than one step may take
  const loopBudgetSeconds = override<number | undefined>(
    'SIXTY_LOOP_BUDGET_SECONDS',
    input.loopBudgetSeconds === undefined ? undefined : positiveNumber(input.loopBudgetSeconds),
    positiveNumber,
    'expected a positive number of seconds',
  );
  if (input.loopBudgetSeconds !== undefined && positiveNumber(input.loopBudgetSeconds) === undefined) {
    problems.push(`option loopBudgetSeconds is ${JSON.stringify(input.loopBudgetSeconds)}: expected a positive number of seconds; using budgetSeconds (${budgetSeconds})`);
  }
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

  const testSelection = pick(
    'testSelection',
    input.testSelection,
    (value) => (TEST_SELECTION_MODES as readonly unknown[]).includes(value) ? (value as TestSelectionMode) : undefined,
    DEFAULT_OPTIONS.testSelection,
    `expected one of ${TEST_SELECTION_MODES.join(', ')}`,
  );
  const announce = pick('announce', input.announce, booleanValue, DEFAULT_OPTIONS.announce, 'expected true or false');

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

  const dispatch = input.dispatch === undefined ? undefined : normalizeDispatchPolicy(input.dispatch);
  if (dispatch) problems.push(...dispatch.problems);
  // options other commands read in full (shard, junit: the inferred graph; agent: sixty plan) are checked here too,
  // so a mistake in them is warned about on every nx run, not only when that command runs
  problems.push(...normalizeShardingOptions(input).problems);
  const agent = (input as { agent?: unknown }).agent;
  if (agent !== undefined && (typeof agent !== 'object' || agent === null || Array.isArray(agent))) {
    problems.push(`option agent is ${JSON.stringify(agent)}: expected an object, e.g. { "model": "gpt-4.1-mini" }`);
  }

  return {
    options: {
      budgetSeconds,
      ...(loopBudgetSeconds !== undefined ? { loopBudgetSeconds } : {}),
      budgets,
      historyDir,
      retention: { maxAgeDays, maxBytes: Math.round(maxMegabytes * 1024 * 1024) },
      baselineFile,
      testSelection,
      announce,
      ...(dispatch ? { dispatch: dispatch.policy } : {}),
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
  return defaultBudgetMs(options);
}

/** The budget in ms of a target without one of its own (nx.json budgetSeconds); an explicit override (--budget) wins. */
export function defaultBudgetMs(options: Pick<SixtyOptions, 'budgetSeconds'>, overrideSeconds?: number): number {
  return (overrideSeconds ?? options.budgetSeconds) * 1000;
}

/**
 * The budget of a loop in ms: loopBudgetSeconds, else budgetSeconds. An explicit
 * override (--budget) wins, as it does over every target budget.
 */
export function loopBudgetMsOf(options: SixtyOptions, overrideSeconds?: number): number {
  return (overrideSeconds ?? options.loopBudgetSeconds ?? options.budgetSeconds) * 1000;
}

/** The sharding part of the plugin options (nx.json), as users write it. */
export interface ShardingOptionsInput {
  /** `{ "targets": ["test", "app:e2e"], "safetyMargin": 0.85 }` */
  shard?: unknown;
  /** JUnit report per target, relative to the project root: `{ "test": "reports/junit.xml" }`. */
  junit?: unknown;
}

/** Fully defaulted sharding options. */
export interface ShardingOptions {
  /** Targets sharded even within budget: target names (`test`) or `project:target`. */
  shardTargets: string[];
  /** Computed shards are filled to at most budget x safetyMargin. */
  safetyMargin: number;
  /** JUnit report path per target name or `project:target`, relative to the project root. */
  junit: Record<string, string>;
}

export const DEFAULT_SHARDING_OPTIONS: ShardingOptions = { shardTargets: [], safetyMargin: DEFAULT_SAFETY_MARGIN, junit: {} };

/**
 * Normalizes the sharding options (`shard`, `junit`) of the plugin entry. Like normalizeOptions,
 * never throws: an invalid value is reported in `problems` and replaced by its default. No
 * environment overrides: these options shape the inferred graph, which must be the same on
 * every machine.
 */
export function normalizeShardingOptions(raw: unknown): { options: ShardingOptions; problems: string[] } {
  const problems: string[] = [];
  const input: ShardingOptionsInput = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as ShardingOptionsInput) : {};
  let shardTargets: string[] = [];
  let safetyMargin = DEFAULT_SHARDING_OPTIONS.safetyMargin;
  if (input.shard !== undefined) {
    if (typeof input.shard !== 'object' || input.shard === null || Array.isArray(input.shard)) {
      problems.push('option shard must be an object, e.g. { "targets": ["test"], "safetyMargin": 0.85 }');
    } else {
      const shard = input.shard as { targets?: unknown; safetyMargin?: unknown };
      if (shard.targets !== undefined) {
        if (!Array.isArray(shard.targets)) {
          problems.push(`option shard.targets is ${JSON.stringify(shard.targets)}: expected a list of target names or "project:target", e.g. ["test"]`);
        } else {
          for (const value of shard.targets) {
            if (typeof value === 'string' && /^[^\s:]+(?::[^\s:]+)?$/.test(value.trim())) shardTargets.push(value.trim());
            else problems.push(`option shard.targets has ${JSON.stringify(value)}: expected a target name or "project:target"`);
          }
          shardTargets = [...new Set(shardTargets)].sort();
        }
      }
      if (shard.safetyMargin !== undefined) {
        const margin = positiveNumber(shard.safetyMargin);
        if (margin === undefined || margin > 1) {
          problems.push(`option shard.safetyMargin is ${JSON.stringify(shard.safetyMargin)}: expected a fraction of the budget in (0, 1]; using ${safetyMargin}`);
        } else {
          safetyMargin = margin;
        }
      }
    }
  }
  const junit: Record<string, string> = {};
  if (input.junit !== undefined) {
    if (typeof input.junit !== 'object' || input.junit === null || Array.isArray(input.junit)) {
      problems.push('option junit must map "target" or "project:target" to a report path, e.g. { "test": "reports/junit.xml" }');
    } else {
      for (const [key, value] of Object.entries(input.junit)) {
        const path = nonEmptyString(value);
        if (path === undefined) problems.push(`option junit["${key}"] is ${JSON.stringify(value)}: expected a path relative to the project root`);
        else junit[key] = path;
      }
    }
  }
  return { options: { shardTargets, safetyMargin, junit }, problems };
}

/** True when options.shard.targets names the task, by `project:target` or by target name. */
export function isShardTargetListed(options: ShardingOptions, task: { project: string; target: string }): boolean {
  return options.shardTargets.includes(`${task.project}:${task.target}`) || options.shardTargets.includes(task.target);
}

/** The configured JUnit report of a task (relative to its project root): `project:target`, then the target name. */
export function junitPathFor(options: ShardingOptions, task: { project: string; target: string }): string | undefined {
  const key = `${task.project}:${task.target}`;
  if (Object.hasOwn(options.junit, key)) return options.junit[key];
  return Object.hasOwn(options.junit, task.target) ? options.junit[task.target] : undefined;
}
