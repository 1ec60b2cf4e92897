import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, posix, relative } from 'node:path';
import {
  budgetMsFor,
  baselineRecordedTime,
  isOverBudget,
  isShardTargetListed,
  listGlobTestFiles,
  normalizeOptions,
  normalizeShardingOptions,
  nxWorkspaceDataDirectory,
  parseBaseline,
  resolveShards,
  shardableEntry,
  splitBaselineKey,
  type Baseline,
  type SixtyOptions,
  type ShardableTarget,
  type ShardingOptions,
} from '@sixty/core';
import { shardTargets, type InferredTarget } from './shard-targets';

/** Every file of this name is offered to createNodes; only the configured baseline file is read. */
export const BASELINE_GLOB = '**/sixty-timings.json';

/** Bump when the shape of inferred targets changes, so cached results from an older plugin are not reused. */
const INFERENCE_VERSION = 2;

export interface CreateNodesContextLike {
  workspaceRoot: string;
}

export interface InferredProject {
  targets: Record<string, InferredTarget>;
}

export type CreateNodesResults = Array<readonly [string, { projects: Record<string, InferredProject> }]>;

const warned = new Set<string>();

/** Each warning once per process: a broken baseline or target must not break nx, only lose its shard targets, and say why. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`[sixty] ${message}\n`);
}

/**
 * createNodes for the baseline file: infers shard targets for every baseline target that has
 * applied shards, is over budget, or is listed in options.shard.targets. Reads only the
 * committed baseline, nx.json's options (never SIXTY_* variables or the local history) and the
 * test files on disk, so every clone of a commit computes the same graph. The result is cached
 * in nx's workspace data directory, keyed by a hash of all of those.
 */
export async function createShardNodes(files: readonly string[], rawOptions: unknown, context: CreateNodesContextLike): Promise<CreateNodesResults> {
  const { options } = normalizeOptions(rawOptions, {}); // no environment: the graph must not depend on the machine
  const { options: sharding } = normalizeShardingOptions(rawOptions);
  const baselineFile = workspacePath(context.workspaceRoot, options.baselineFile);
  if (!files.includes(baselineFile)) return [];
  let text: string;
  let baseline: Baseline;
  try {
    text = readFileSync(join(context.workspaceRoot, baselineFile), 'utf8');
    baseline = parseBaseline(text, baselineFile);
  } catch (error) {
    const fix = error instanceof Error && 'fix' in error ? ` (${String((error as { fix: unknown }).fix)})` : '';
    warnOnce(`no shard targets inferred: ${error instanceof Error ? error.message : String(error)}${fix}`);
    return [];
  }

  const candidates = shardCandidates(baseline, options, sharding, context.workspaceRoot);
  const key = hash([INFERENCE_VERSION, text, options.budgetSeconds, options.budgets, sharding, candidates.map((candidate) => [candidate.key, candidate.currentFiles ?? null])]);
  const cacheFile = cachePath(context.workspaceRoot, options, sharding);
  const cached = cacheFile ? readCache(cacheFile, key) : undefined;
  if (cached) return [[baselineFile, { projects: cached }]];

  const projects: Record<string, InferredProject> = {};
  for (const candidate of candidates) {
    const { entry, runner } = candidate;
    let shards;
    try {
      shards = resolveShards({
        task: candidate.key,
        entry,
        budgetMs: candidate.budgetMs,
        safetyMargin: sharding.safetyMargin,
        listed: candidate.listed,
        ...(candidate.currentFiles ? { currentFiles: candidate.currentFiles } : {}),
      });
    } catch (error) {
      warnOnce(`no shard targets for ${candidate.key}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!shards || shards.shards.length === 0) continue;
    const project = (projects[entry.root] ??= { targets: {} });
    Object.assign(
      project.targets,
      shardTargets({ target: candidate.target, task: candidate.key, root: entry.root, config: entry.config!, runner, shards: shards.shards }),
    );
  }
  if (cacheFile) writeCache(cacheFile, key, projects);
  return [[baselineFile, { projects }]];
}

interface ShardCandidate {
  key: string;
  target: string;
  entry: Baseline['targets'][string];
  runner: ShardableTarget;
  budgetMs: number;
  listed: boolean;
  currentFiles?: string[];
}

/** Baseline targets that may get shard targets, with their test files on disk now. */
function shardCandidates(baseline: Baseline, options: SixtyOptions, sharding: ShardingOptions, workspaceRoot: string): ShardCandidate[] {
  const candidates: ShardCandidate[] = [];
  for (const key of Object.keys(baseline.targets).sort()) {
    const entry = baseline.targets[key]!;
    const task = splitBaselineKey(key);
    if (!task) continue;
    const budgetMs = budgetMsFor(options, task);
    const listed = isShardTargetListed(sharding, task);
    if (!(entry.shards && entry.shards.length > 0) && !listed && !isOverBudget(baselineRecordedTime(entry), budgetMs)) continue;
    // a project that is gone: a node for its root would create a nameless project
    const rootDirectory = join(workspaceRoot, entry.root);
    if (!existsSync(join(rootDirectory, 'project.json')) && !existsSync(join(rootDirectory, 'package.json'))) continue;
    const read = shardableEntry(key, entry);
    if (!read.ok) {
      warnOnce(read.reason); // shards the baseline has, or wants, are never dropped silently
      continue;
    }
    const currentFiles = currentTestFiles(read.target, entry, workspaceRoot);
    candidates.push({ key, target: task.target, entry, runner: read.target, budgetMs, listed, ...(currentFiles ? { currentFiles } : {}) });
  }
  return candidates;
}

/**
 * The test files of a target now: globs on the command line (node --test, mocha) or in the
 * executor's options (Angular) are read from disk; vitest and jest decide from their own
 * config, which only the runner can read, so their list is the one recorded in the baseline.
 */
function currentTestFiles(runner: ShardableTarget, entry: Baseline['targets'][string], workspaceRoot: string): string[] | undefined {
  if (runner.files.kind === 'globs') return listGlobTestFiles(workspaceRoot, runner.files);
  return entry.testFiles;
}

/** The configured baseline path, workspace-relative with `/` separators. */
function workspacePath(workspaceRoot: string, file: string): string {
  const path = isAbsolute(file) ? relative(workspaceRoot, file) : file;
  return posix.normalize(path.split('\\').join('/')).replace(/^\.\//, '');
}

function hash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** nx's workspace data directory (where @nx/jest and @nx/vite cache their inferred targets too). */
function cachePath(workspaceRoot: string, options: SixtyOptions, sharding: ShardingOptions): string | undefined {
  if (process.env.NX_CACHE_PROJECT_GRAPH === 'false') return undefined;
  const optionsHash = hash([options.baselineFile, options.budgetSeconds, options.budgets, sharding]).slice(0, 16);
  return join(nxWorkspaceDataDirectory(workspaceRoot, process.env), `sixty-shard-targets-${optionsHash}.json`);
}

function readCache(file: string, key: string): Record<string, InferredProject> | undefined {
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; projects?: unknown };
    return cached.key === key && typeof cached.projects === 'object' && cached.projects !== null ? (cached.projects as Record<string, InferredProject>) : undefined;
  } catch {
    return undefined; // no cache yet, or a torn one: compute
  }
}

/** Written whole and renamed into place, so a concurrent reader never sees half a file. */
function writeCache(file: string, key: string, projects: Record<string, InferredProject>): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ key, projects }));
    renameSync(temporary, file);
  } catch {
    // a read-only data directory only costs the next computation
  }
}
