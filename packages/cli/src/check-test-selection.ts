import {
  defaultPlanKind,
  readImportGraph,
  readShardableTarget,
  RUN_SCRIPT,
  selectTests,
  splitBaselineKey,
  shardTargetConfig,
  type ImportEdge,
  type ShardableTarget,
  type TestSelection,
  type TestTargetFacts,
  weighSelection,
} from '@sixty/core';
import { configSnapshot, ownTarget, readProjectTargets } from './commands/baseline';
import { readCachedProjectTargets } from './nx/workspace-data';
import { listRunnerTestFiles } from './runner-test-files';

/** A selected test task and the `nx run` overrides that make its runner run only those files. */
export interface SelectedTestRun {
  task: string;
  overrides: string[];
}

export interface CheckTestSelection {
  selections: TestSelection[];
  /** The test target names whose tasks are run by selection (the rest of the check runs the other targets). */
  testTargets: string[];
  /** Test target -> affected projects whose whole target runs. */
  whole: Map<string, string[]>;
  runs: SelectedTestRun[];
  /** Some test task runs fewer files than its whole target (or none): otherwise one `nx affected` runs everything. */
  narrows: boolean;
}

/**
 * Decides which test files of the affected test tasks a change reaches (selectTests) and how
 * to run each selection through its own runner's file filter: the target's executor and
 * options, overridden on the `nx run` command line with the same filter shards use. Returns
 * null when there is no affected test task to select in.
 */
export async function planCheckTestSelection(
  workspaceRoot: string,
  input: { affectedProjects: readonly string[]; targets: readonly string[]; changedFiles: readonly string[]; usualMsByTask: ReadonlyMap<string, number> },
): Promise<CheckTestSelection | null> {
  const testTargets = input.targets.filter((target) => defaultPlanKind(target) === 'shard');
  if (testTargets.length === 0 || input.changedFiles.length === 0) return null;
  const projects = readCachedProjectTargets(workspaceRoot) ?? readProjectTargets(workspaceRoot);
  const affected = input.affectedProjects.filter((name) => projects.has(name));

  // the import graph of every affected project, joined over project boundaries
  const files = new Set<string>();
  const edges: ImportEdge[] = [];
  const blindSpots = new Map<string, string>();
  for (const name of affected) {
    const graph = await readImportGraph({ workspaceRoot, projectRoot: projects.get(name)!.root });
    for (const file of graph.files) files.add(file.path);
    edges.push(...graph.edges, ...graph.crossProjectEdges);
    const unparsable = graph.unparsable[0];
    const unresolved = graph.unresolved[0];
    if (unparsable) blindSpots.set(name, `${unparsable.file} could not be parsed (${unparsable.message}), so what it imports is unknown`);
    else if (unresolved) blindSpots.set(name, `${unresolved.file} imports "${unresolved.specifier}", which resolves to no file`);
  }

  const facts: TestTargetFacts[] = [];
  const shardable = new Map<string, { config: NonNullable<ReturnType<typeof configSnapshot>>; target: ShardableTarget }>();
  for (const target of testTargets) {
    for (const name of affected) {
      const project = projects.get(name)!;
      const resolved = ownTarget(project, target);
      if (!resolved) continue;
      const task = `${name}:${target}`;
      const config = configSnapshot(resolved, workspaceRoot, project.root);
      if (!config) {
        facts.push({ task, project: name, runner: { ok: false, reason: `${task} has no executor sixty can give a file filter` } });
        continue;
      }
      if (RUN_SCRIPT.has(config.executor)) {
        // `nx run` hands a script its arguments only after the script's own: no filter sixty can place
        facts.push({ task, project: name, runner: { ok: false, reason: `${task} runs a package.json script (nx:run-script), which nx run cannot give a file filter` } });
        continue;
      }
      const read = readShardableTarget(config, project.root);
      if (!read.ok) {
        facts.push({ task, project: name, runner: { ok: false, reason: read.reason } });
        continue;
      }
      const listed = listRunnerTestFiles(workspaceRoot, project.root, read.target);
      facts.push({ task, project: name, runner: listed.ok ? { ok: true, testFiles: [...listed.files, ...listed.outsideProject] } : { ok: false, reason: listed.reason } });
      shardable.set(task, { config, target: read.target });
    }
  }
  if (facts.length === 0) return null;
  const selections = weighSelection(selectTests(input.changedFiles, { files, edges, blindSpots }, facts), input.usualMsByTask);

  const whole = new Map<string, string[]>();
  const runs: SelectedTestRun[] = [];
  for (const selection of selections) {
    // project before the first colon, as nx names it; the target may hold colons (test:lib)
    const { project, target } = splitBaselineKey(selection.task)!;
    if (selection.mode === 'whole') whole.set(target, [...(whole.get(target) ?? []), project]);
    if (selection.mode !== 'files') continue;
    const { config, target: runner } = shardable.get(selection.task)!;
    const shard = shardTargetConfig(runner, config, selection.files, 'selected', { ownReport: false }); // a one-off narrowed run: no report of its own
    runs.push({ task: selection.task, overrides: overrideArguments(config.options, shard.options) });
  }
  return { selections, testTargets, whole, runs, narrows: selections.some((selection) => selection.mode !== 'whole') };
}

/** The options a selection changes, as `nx run` flags (arrays as repeated flags). */
export function overrideArguments(original: Record<string, unknown>, changed: Record<string, unknown>): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(changed)) {
    if (JSON.stringify(original[key]) === JSON.stringify(value)) continue;
    if (Array.isArray(value)) for (const item of value) args.push(`--${key}=${String(item)}`);
    else args.push(`--${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return args;
}

