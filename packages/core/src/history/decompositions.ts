import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunRecord } from './run-record';

/**
 * A split plan applied to the workspace. The runs recorded before it time a project that no
 * longer exists in that form (its files moved to new projects), so the history leaves out its
 * tasks from before: otherwise the split target would stay "over budget" until its old runs age
 * out of the retention window. (A shard plan changes no target: the unsharded one still runs
 * every file, and the report reads its `--sharded` aggregate in its place.)
 */
export interface Decomposition {
  /** The planned task, `project:target`: every target of the project is superseded. */
  task: string;
  /** SHA-256 of the plan document, so applying the same plan again keeps the first time. */
  planSha256: string;
  appliedAtMs: number;
}

const DECOMPOSITIONS_FILE = 'decompositions.json';
const SCHEMA_VERSION = 1;

function isDecomposition(value: unknown): value is Decomposition {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.task === 'string' &&
    /^[^:\s]+:[^:\s]+$/.test(entry.task) &&
    typeof entry.planSha256 === 'string' &&
    typeof entry.appliedAtMs === 'number' &&
    Number.isFinite(entry.appliedAtMs)
  );
}

/** The applied decompositions; none when the file is missing or unreadable (it only ever narrows the history). */
export function readDecompositions(historyDir: string): Decomposition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(historyDir, DECOMPOSITIONS_FILE), 'utf8'));
  } catch {
    return [];
  }
  const entries = (parsed as { decompositions?: unknown } | null)?.decompositions;
  return Array.isArray(entries) ? entries.filter(isDecomposition) : [];
}

/**
 * Records an applied plan, replacing an earlier plan for the same task; the same plan applied
 * again keeps its first time (the runs after it are the decomposed target's). Written whole,
 * then renamed into place.
 */
export function recordDecomposition(historyDir: string, decomposition: Decomposition): void {
  const text = decompositionsWith(historyDir, decomposition);
  if (text === undefined) return;
  mkdirSync(historyDir, { recursive: true });
  const path = decompositionsPath(historyDir);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

export function decompositionsPath(historyDir: string): string {
  return join(historyDir, DECOMPOSITIONS_FILE);
}

/** The text of `decompositions.json` with `decomposition` recorded; undefined when it already is (so `sixty apply` writes it in its transaction). */
export function decompositionsWith(historyDir: string, decomposition: Decomposition): string | undefined {
  const known = readDecompositions(historyDir);
  if (known.some((entry) => entry.task === decomposition.task && entry.planSha256 === decomposition.planSha256)) return undefined;
  const decompositions = known.filter((entry) => entry.task !== decomposition.task);
  decompositions.push(decomposition);
  decompositions.sort((a, b) => a.appliedAtMs - b.appliedAtMs || (a.task < b.task ? -1 : 1));
  return `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, decompositions }, null, 2)}\n`;
}

/**
 * The runs without the task records a later split superseded: every task of the split project
 * that started before the split. Runs left with no task are dropped. Returns how many task
 * records were left out.
 */
export function withoutSupersededTasks(runs: RunRecord[], decompositions: readonly Decomposition[]): { runs: RunRecord[]; superseded: number } {
  if (decompositions.length === 0) return { runs, superseded: 0 };
  const splitAt = new Map<string, number>();
  for (const { task, appliedAtMs } of decompositions) {
    const project = task.slice(0, task.indexOf(':'));
    splitAt.set(project, Math.max(splitAt.get(project) ?? 0, appliedAtMs));
  }
  let superseded = 0;
  const kept: RunRecord[] = [];
  for (const run of runs) {
    const tasks = run.tasks.filter((task) => !(task.startMs < (splitAt.get(task.project) ?? 0)));
    superseded += run.tasks.length - tasks.length;
    if (tasks.length === run.tasks.length) kept.push(run);
    else if (tasks.length > 0) kept.push({ ...run, tasks });
  }
  return { runs: kept, superseded };
}
