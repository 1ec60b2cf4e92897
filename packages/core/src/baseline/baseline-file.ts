import { SixtyError } from '../errors/sixty-error';
import { unsafePathReason } from '../workspace-files/safe-path';
import {
  BASELINE_SCHEMA_VERSION,
  compareText,
  splitBaselineKey,
  type Baseline,
  type BaselineShard,
  type BaselineTarget,
  type BaselineTargetConfig,
} from './baseline-types';

const SHARD_NAME = /^shard-([1-9]\d*)-of-([1-9]\d*)$/;

/**
 * The baseline as committed: 2-space JSON, a trailing newline, targets and files sorted by
 * key, entry fields in one fixed order, durations in whole ms. Equal baselines give equal
 * text, so the file only changes when a figure does.
 */
export function serializeBaseline(baseline: Baseline): string {
  const targets: Record<string, unknown> = {};
  for (const key of Object.keys(baseline.targets).sort(compareText)) {
    targets[key] = canonicalTarget(baseline.targets[key] as BaselineTarget);
  }
  const document = { schemaVersion: baseline.schemaVersion, budgetMs: Math.round(baseline.budgetMs), targets };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function canonicalTarget(target: BaselineTarget): Record<string, unknown> {
  const files: Record<string, number> = {};
  for (const path of Object.keys(target.files).sort(compareText)) files[path] = Math.round(target.files[path] as number);
  return {
    root: target.root,
    p90Ms: Math.round(target.p90Ms),
    files,
    ...(target.testFiles ? { testFiles: [...new Set(target.testFiles)].sort(compareText) } : {}),
    ...(target.shardCost ? { shardCost: { fixedMs: Math.round(target.shardCost.fixedMs), perFileScale: Math.round(target.shardCost.perFileScale * 1000) / 1000, samples: target.shardCost.samples } } : {}),
    ...(target.shards ? { shards: target.shards.map((shard) => ({ name: shard.name, files: [...shard.files].sort(compareText) })) } : {}),
    ...(target.config ? { config: sortKeysDeep(target.config) } : {}),
  };
}

/** True when two target configurations are the same once key order is set aside. */
export function sameTargetConfig(a: BaselineTargetConfig | undefined, b: BaselineTargetConfig | undefined): boolean {
  return JSON.stringify(sortKeysDeep(a ?? null)) === JSON.stringify(sortKeysDeep(b ?? null));
}

/** Object keys sorted at every depth; array order is kept (inputs and dependsOn order means something). */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = sortKeysDeep(item);
  }
  return sorted;
}

const REGENERATE = 'regenerate it with `sixty baseline` (its shards come back with `sixty apply <plan.json>`), or fix the value by hand';

/**
 * Reads a baseline from its text, checking every field it relies on; `name` (the file path)
 * is what errors point at. Throws a SixtyError naming the first wrong field and the fix.
 * Unknown fields are ignored, so a newer sixty's additions do not break an older one.
 */
export function parseBaseline(text: string, name = 'sixty-timings.json'): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SixtyError('INVALID_CONFIG', `${name} is not valid JSON (${reason})`, REGENERATE);
  }
  const fail = (path: string, problem: string): never => {
    throw new SixtyError('INVALID_CONFIG', `${name}: ${path} ${problem}`, REGENERATE);
  };
  if (!isRecord(raw)) return fail('the document', 'must be a JSON object');
  if (raw.schemaVersion !== BASELINE_SCHEMA_VERSION) {
    throw new SixtyError(
      'INVALID_CONFIG',
      `${name}: schemaVersion is ${JSON.stringify(raw.schemaVersion)}, this sixty reads version ${BASELINE_SCHEMA_VERSION}`,
      typeof raw.schemaVersion === 'number' && raw.schemaVersion > BASELINE_SCHEMA_VERSION
        ? 'upgrade sixty and @sixty/nx to the version that wrote the file'
        : REGENERATE,
    );
  }
  const budgetMs = nonNegativeNumber(raw.budgetMs) ?? fail('budgetMs', 'must be a non-negative number of ms');
  if (!isRecord(raw.targets)) return fail('targets', 'must be an object keyed by "project:target"');
  const targets: Record<string, BaselineTarget> = {};
  for (const [key, value] of Object.entries(raw.targets)) {
    if (!splitBaselineKey(key)) fail(`targets[${JSON.stringify(key)}]`, 'must be keyed by "project:target"');
    targets[key] = parseTarget(value, `targets[${JSON.stringify(key)}]`, fail);
  }
  return { schemaVersion: BASELINE_SCHEMA_VERSION, budgetMs, targets };
}

type Fail = (path: string, problem: string) => never;

function parseTarget(value: unknown, path: string, fail: Fail): BaselineTarget {
  if (!isRecord(value)) return fail(path, 'must be an object');
  const root = typeof value.root === 'string' ? value.root : fail(`${path}.root`, 'must be the workspace-relative project root');
  if (root !== '.' && unsafePathReason(root) !== undefined) fail(`${path}.root`, `${JSON.stringify(root)} ${unsafePathReason(root)}`);
  const p90Ms = nonNegativeNumber(value.p90Ms) ?? fail(`${path}.p90Ms`, 'must be a non-negative number of ms');
  const files: Record<string, number> = {};
  if (value.files !== undefined) {
    if (!isRecord(value.files)) fail(`${path}.files`, 'must map test file paths to ms');
    for (const [file, ms] of Object.entries(value.files as Record<string, unknown>)) {
      checkFilePath(file, `${path}.files`, fail);
      files[file] = nonNegativeNumber(ms) ?? fail(`${path}.files[${JSON.stringify(file)}]`, 'must be a non-negative number of ms');
    }
  }
  const target: BaselineTarget = { root, p90Ms, files };
  if (value.testFiles !== undefined) {
    if (!Array.isArray(value.testFiles)) fail(`${path}.testFiles`, 'must be a list of test file paths');
    target.testFiles = (value.testFiles as unknown[]).map((file) => {
      if (typeof file !== 'string') return fail(`${path}.testFiles`, 'must hold strings');
      checkFilePath(file, `${path}.testFiles`, fail);
      return file;
    });
  }
  if (value.shardCost !== undefined) {
    const cost = isRecord(value.shardCost) ? value.shardCost : fail(`${path}.shardCost`, 'must be { "fixedMs": ms, "perFileScale": number, "samples": runs }');
    target.shardCost = {
      fixedMs: nonNegativeNumber(cost.fixedMs) ?? fail(`${path}.shardCost.fixedMs`, 'must be a non-negative number of ms'),
      perFileScale: nonNegativeNumber(cost.perFileScale) ?? fail(`${path}.shardCost.perFileScale`, 'must be a non-negative number'),
      samples: nonNegativeNumber(cost.samples) ?? fail(`${path}.shardCost.samples`, 'must be a non-negative count of runs'),
    };
  }
  if (value.shards !== undefined) target.shards = parseShards(value.shards, `${path}.shards`, fail);
  if (value.config !== undefined) target.config = parseConfig(value.config, `${path}.config`, fail);
  return target;
}

function parseShards(value: unknown, path: string, fail: Fail): BaselineShard[] {
  if (!Array.isArray(value)) return fail(path, 'must be a list of { "name": "shard-1-of-2", "files": [...] }');
  const seen = new Set<string>();
  return value.map((shard, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(shard)) return fail(at, 'must be an object');
    const match = typeof shard.name === 'string' ? SHARD_NAME.exec(shard.name) : null;
    if (!match || Number(match[2]) !== value.length || Number(match[1]) > value.length) {
      fail(`${at}.name`, `must be shard-<i>-of-${value.length} (there are ${value.length} shards)`);
    }
    if (!Array.isArray(shard.files) || shard.files.length === 0) return fail(`${at}.files`, 'must be a non-empty list of test file paths');
    const files = shard.files.map((file: unknown) => {
      if (typeof file !== 'string') return fail(`${at}.files`, 'must hold strings');
      checkFilePath(file, `${at}.files`, fail);
      if (seen.has(file)) fail(`${at}.files`, `lists ${JSON.stringify(file)}, which another shard lists too`);
      seen.add(file);
      return file;
    });
    return { name: shard.name as string, files };
  });
}

function parseConfig(value: unknown, path: string, fail: Fail): BaselineTargetConfig {
  if (!isRecord(value)) return fail(path, 'must be an object');
  if (typeof value.executor !== 'string' || value.executor === '') fail(`${path}.executor`, 'must name the executor, e.g. "nx:run-commands"');
  if (!isRecord(value.options)) fail(`${path}.options`, 'must be an object');
  const config: BaselineTargetConfig = { executor: value.executor as string, options: value.options as Record<string, unknown> };
  if (value.inputs !== undefined) config.inputs = Array.isArray(value.inputs) ? value.inputs : fail(`${path}.inputs`, 'must be a list');
  if (value.outputs !== undefined) {
    config.outputs = Array.isArray(value.outputs) && value.outputs.every((output) => typeof output === 'string') ? (value.outputs as string[]) : fail(`${path}.outputs`, 'must be a list of strings');
  }
  if (value.dependsOn !== undefined) config.dependsOn = Array.isArray(value.dependsOn) ? value.dependsOn : fail(`${path}.dependsOn`, 'must be a list');
  if (value.cache !== undefined) config.cache = typeof value.cache === 'boolean' ? value.cache : fail(`${path}.cache`, 'must be true or false');
  if (value.script !== undefined) config.script = typeof value.script === 'string' ? value.script : fail(`${path}.script`, 'must be the package.json script\'s command line');
  return config;
}

/** File paths end up in shell commands: only clean workspace-relative paths are accepted. */
function checkFilePath(file: string, path: string, fail: Fail): void {
  const reason = unsafePathReason(file);
  if (reason !== undefined) fail(path, `${JSON.stringify(file)} ${reason}`);
}

function nonNegativeNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
