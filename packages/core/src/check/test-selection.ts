import type { ImportEdge } from '../imports/import-graph-types';
import { computeTestReach } from '../imports/test-reach';

/** One affected test task and what sixty knows of it. */
export interface TestTargetFacts {
  /** `project:target`. */
  task: string;
  project: string;
  /** The files its runner runs (workspace-relative), or why they are unknown or cannot be filtered. */
  runner: { ok: true; testFiles: readonly string[] } | { ok: false; reason: string };
}

/** What the import graphs of the affected projects say, merged over project boundaries. */
export interface WorkspaceImports {
  /** Every source file read (workspace-relative). */
  files: ReadonlySet<string>;
  /** Import edges, cross-project ones included. */
  edges: readonly ImportEdge[];
  /** Project -> files of it the parser could not read, or imports that resolved to nothing: their real imports are unknown. */
  blindSpots: ReadonlyMap<string, string>;
}

export type TestSelection =
  /** Run only these test files (a non-empty subset of the target's). */
  | { task: string; mode: 'files'; files: string[]; of: number }
  /** No test file of the target reaches a changed file: the task need not run. */
  | { task: string; mode: 'skip'; of: number }
  /** Run the whole target, and why. */
  | { task: string; mode: 'whole'; reason: string };

/**
 * Picks, for each affected test task, the test files whose runtime import reach (through
 * workspace imports into other projects) holds a changed file. Whenever the change touches
 * something the graph cannot see (a changed file it did not read: configs, package.json,
 * assets, snapshots, deleted files), the project has a file the parser could not read or an
 * import that resolved to nothing, or its runner cannot filter, the whole target runs and the
 * reason says why: selection never misses a test the whole target would run on that change.
 */
export function selectTests(changedFiles: readonly string[], imports: WorkspaceImports, targets: readonly TestTargetFacts[]): TestSelection[] {
  const unseen = changedFiles.filter((file) => !imports.files.has(file)).sort();
  const changed = new Set(changedFiles);
  const allTests = targets.flatMap((target) => (target.runner.ok ? target.runner.testFiles.filter((file) => imports.files.has(file)) : []));
  const reach = unseen.length > 0 ? {} : computeTestReach([...imports.files], imports.edges, allTests);
  return targets.map((target): TestSelection => {
    if (!target.runner.ok) return { task: target.task, mode: 'whole', reason: target.runner.reason };
    if (unseen.length > 0) return { task: target.task, mode: 'whole', reason: `${describeFiles(unseen)} changed, which the import graph cannot follow` };
    const blind = imports.blindSpots.get(target.project);
    if (blind !== undefined) return { task: target.task, mode: 'whole', reason: blind };
    const unread = target.runner.testFiles.filter((file) => !imports.files.has(file));
    if (unread.length > 0) return { task: target.task, mode: 'whole', reason: `the runner runs ${describeFiles(unread)}, which the import graph did not read` };
    const files = target.runner.testFiles.filter((test) => changed.has(test) || (reach[test] ?? []).some((file) => changed.has(file)));
    return files.length === 0 ? { task: target.task, mode: 'skip', of: target.runner.testFiles.length } : { task: target.task, mode: 'files', files: [...files].sort(), of: target.runner.testFiles.length };
  });
}

function describeFiles(files: readonly string[]): string {
  return files.length <= 2 ? files.join(' and ') : `${files.slice(0, 2).join(', ')} and ${files.length - 2} more`;
}

/** What one more nx process costs a check (start-up, project graph, task hashing), as an estimate for a small workspace. */
export const NX_PROCESS_ESTIMATE_MS = 2000;

/**
 * Keeps a selection only when it pays: the test time it saves (each narrowed task's usual time
 * times the share of its files left out, each skipped task's usual time) must exceed what the
 * extra nx processes it needs cost (one per narrowed task). Otherwise every task runs whole, and
 * the reason says so. Tasks with no recorded time count as saving nothing.
 */
export function weighSelection(selections: readonly TestSelection[], usualMsByTask: ReadonlyMap<string, number>, nxProcessMs = NX_PROCESS_ESTIMATE_MS): TestSelection[] {
  let savedMs = 0;
  let extraProcesses = 0;
  for (const selection of selections) {
    const usual = usualMsByTask.get(selection.task) ?? 0;
    if (selection.mode === 'skip') savedMs += usual;
    if (selection.mode === 'files') {
      savedMs += usual * (1 - selection.files.length / selection.of);
      extraProcesses++;
    }
  }
  if (!selections.some((selection) => selection.mode !== 'whole') || savedMs > extraProcesses * nxProcessMs) return [...selections];
  const reason = `a selection would save about ${(savedMs / 1000).toFixed(1)} s of tests, less than the ${extraProcesses} extra nx run${extraProcesses === 1 ? '' : 's'} it needs (about ${((extraProcesses * nxProcessMs) / 1000).toFixed(1)} s, estimated)`;
  return selections.map((selection) => (selection.mode === 'whole' ? selection : { task: selection.task, mode: 'whole', reason }));
}
