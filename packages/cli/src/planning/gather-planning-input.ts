import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  budgetMsFor,
  calibrateShards,
  coChangeWeights,
  fitShardCostModel,
  unshardedFixedCap,
  parseBaseline,
  computeTargetStats,
  createWorkspaceConfinement,
  estimateModuleCosts,
  estimateRunStartupMs,
  estimateTestFileCosts,
  formatDuration,
  parseGitLog,
  protectedDirectoriesOf,
  readHistory,
  readImportGraph,
  readJUnitFileTimes,
  readShardableTarget,
  SixtyError,
  type BaselineTarget,
  type CoChangeWeights,
  type ShardCostModel,
  type TargetStats,
  type ImportGraph,
  type JUnitReport,
  type PlanKind,
  type PlanningInput,
  type PlanValidationContext,
  type WorkspaceConfinement,
} from '@sixty/core';
import { readProjectGraph } from '../nx/project-graph';
import { configSnapshot, ownTarget, readProjectTargets } from '../commands/baseline';
import { listRunnerTestFiles } from '../runner-test-files';
import type { Workspace } from '../workspace';
import { runGit, type GitResult } from '../git/run-git';

/** Where test runners write JUnit XML by convention, relative to the project root. */
const JUNIT_DIRECTORIES = ['reports', 'test-results', 'junit', '.'];
/** Bounded history for co-change: enough to see which files move together, cheap to read. */
const GIT_LOG_COMMITS = 500;

/** `project:target`; the target may hold colons itself (`test:lib`, `eslint:lint`), project names do not. */
export function parseTask(value: string): { project: string; target: string } {
  const match = /^([^:\s]+):([^\s]*[^:\s])$/.exec(value.trim());
  if (!match) {
    throw new SixtyError('INVALID_ARGUMENT', `"${value}" is not a target`, 'name it as project:target, e.g. sixty plan lib-c:test');
  }
  return { project: match[1]!, target: match[2]! };
}

/**
 * Measured ms per test file from the project's JUnit reports, the newest report winning for a
 * file (the unsharded report and the shards' reports lie side by side: never summed).
 */
function measuredFileTimes(workspaceRoot: string, projectRoot: string, testFiles: readonly string[]): Record<string, number> {
  const mtime = (name: string): number => statSync(join(workspaceRoot, name)).mtimeMs;
  const reports = junitReports(workspaceRoot, projectRoot).sort((a, b) => mtime(a.name) - mtime(b.name) || (a.name < b.name ? -1 : 1));
  const byFile: Record<string, number> = {};
  for (const report of reports) Object.assign(byFile, readJUnitFileTimes(report, { projectRoot, workspaceRoot, testFiles }).byFile);
  return byFile;
}

function junitReports(workspaceRoot: string, projectRoot: string): JUnitReport[] {
  const reports: JUnitReport[] = [];
  for (const folder of JUNIT_DIRECTORIES) {
    const dir = join(workspaceRoot, projectRoot, folder);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.xml') || (folder === '.' && !/junit|test-results/i.test(name))) continue;
      const path = join(dir, name);
      reports.push({ name: relative(workspaceRoot, path), text: readFileSync(path, 'utf8') });
    }
  }
  return reports;
}

/** `git log` once, bounded, for the project's folder; null outside a git repository or without git. */
function readCoChange(workspaceRoot: string, projectRoot: string, files: string[]): CoChangeWeights | null {
  let top: GitResult;
  let log: GitResult;
  try {
    top = runGit(workspaceRoot, ['rev-parse', '--show-toplevel']);
    if (!top.ok) return null;
    log = runGit(workspaceRoot, ['log', '--name-only', '--format=%x00%H', '-n', String(GIT_LOG_COMMITS), '--', projectRoot || '.']);
  } catch {
    return null; // git cannot be started: a plan without co-change weights
  }
  if (!log.ok) return null;
  // git prints paths from the repository root; the plan speaks workspace-relative paths
  const prefix = relative(top.stdout.trim(), workspaceRoot).split('\\').join('/');
  const commits = parseGitLog(log.stdout).map((commit) => ({
    ...commit,
    files: commit.files.filter((f) => !prefix || f.startsWith(`${prefix}/`)).map((f) => (prefix ? f.slice(prefix.length + 1) : f)),
  }));
  return coChangeWeights(commits, files);
}

interface ProjectFacts {
  root: string;
  importGraph: ImportGraph;
  existingProjects: string[];
  /** The project's targets, as nx resolves them (inferred ones included). */
  targets: string[];
  /** Where a plan may write: inside the workspace, outside .git, node_modules, nx's and sixty's folders. */
  confinement: WorkspaceConfinement;
}

/** The project's root, its import graph, and the workspace's project names. */
async function readProjectFacts(workspace: Workspace, project: string): Promise<ProjectFacts> {
  const graph = readProjectGraph(workspace.root);
  const node = graph.projects.find((p) => p.name === project);
  if (!node) {
    throw new SixtyError('INVALID_ARGUMENT', `there is no project named "${project}" in this workspace`, 'see `nx show projects` for the names');
  }
  try {
    const importGraph = await readImportGraph({ workspaceRoot: workspace.root, projectRoot: node.root });
    const nxJsonPath = join(workspace.root, 'nx.json');
    const confinement = createWorkspaceConfinement({
      workspaceRoot: workspace.root,
      protectedDirectories: protectedDirectoriesOf(existsSync(nxJsonPath) ? readFileSync(nxJsonPath, 'utf8') : undefined, process.env),
    });
    return { root: node.root, importGraph, existingProjects: graph.projects.map((p) => p.name).sort(), targets: node.targets, confinement };
  } catch (error) {
    if (error instanceof SixtyError) throw error;
    throw new SixtyError('UNREADABLE_FILE', `could not read the sources of ${project}: ${error instanceof Error ? error.message : String(error)}`, 'check that the project root exists and its TS/JS sources are readable');
  }
}

/** The files a plan of this kind must place: the test files for shards, every source file for a split. */
function planFiles(kind: PlanKind, importGraph: ImportGraph): string[] {
  return (kind === 'shard' ? importGraph.files.filter((f) => f.isTest) : importGraph.files).map((f) => f.path);
}

function validationContext(facts: ProjectFacts, kind: PlanKind, task: string, budgetMs: number, testFiles?: readonly string[]): PlanValidationContext {
  return {
    projectRoot: facts.root,
    projectFiles: kind === 'shard' && testFiles ? [...testFiles] : planFiles(kind, facts.importGraph),
    existingProjects: facts.existingProjects,
    budgetMs,
    publicExports: facts.importGraph.publicModules,
    symlinksOutside: facts.importGraph.symlinksOutside,
    importEdges: facts.importGraph.edges,
    task,
    projectTargets: facts.targets,
    confinement: facts.confinement,
  };
}

/** What `sixty plan --validate` checks a plan file against: facts read from the workspace, never from the plan. */
export async function gatherValidationContext(
  workspace: Workspace,
  plan: { task: string; kind: PlanKind; budgetMs?: unknown },
  budgetSeconds?: number,
): Promise<PlanValidationContext> {
  const { project, target } = parseTask(plan.task);
  const facts = await readProjectFacts(workspace, project);
  // a target the project lacks is the validator's to report (plan.task names no target, exit 1),
  // not a reason to ask a runner that does not exist
  const known = new Set(facts.targets).has(target);
  const testFiles = plan.kind === 'shard' && known ? runnerTestFiles(workspace, plan.task, facts.root) : undefined;
  return validationContext(facts, plan.kind, plan.task, planBudget(workspace, plan, budgetSeconds).budgetMs, testFiles);
}

/**
 * The budget a plan is judged by: --budget when given, else the budget the plan carries (the
 * one it was made for, e.g. with `sixty plan --budget 90`), else the configured one. `note`
 * says when that differs from the configured budget, so nobody mistakes one for the other.
 */
export function planBudget(workspace: Workspace, plan: { task: string; budgetMs?: unknown }, budgetSeconds?: number): { budgetMs: number; note?: string } {
  const { project, target } = parseTask(plan.task);
  const configuredMs = budgetMsFor(workspace.options, { project, target });
  const carried = typeof plan.budgetMs === 'number' && Number.isFinite(plan.budgetMs) && plan.budgetMs > 0 ? plan.budgetMs : undefined;
  const budgetMs = budgetSeconds !== undefined ? budgetMsFor(workspace.options, { project, target }, budgetSeconds) : (carried ?? configuredMs);
  if (budgetMs === configuredMs) return { budgetMs };
  const source = budgetSeconds !== undefined ? '--budget' : 'the plan\'s own budget';
  return { budgetMs, note: `judged by ${source} of ${formatDuration(budgetMs)}; the configured budget of ${plan.task} is ${formatDuration(configuredMs)}` };
}

/**
 * The test files a target runs, asked of its runner with the target's own configuration.
 * Throws (exit 2) when sixty cannot filter the runner, the runner cannot list its files, or it
 * collects files outside the project: each names what would make the target shardable.
 */
function runnerTestFiles(workspace: Workspace, task: string, projectRoot: string): string[] {
  const { project, target } = parseTask(task);
  const resolved = ownTarget(readProjectTargets(workspace.root).get(project), target);
  const config = resolved ? configSnapshot(resolved, workspace.root, projectRoot) : undefined;
  if (!config) throw new SixtyError('INVALID_ARGUMENT', `${task} is not a target nx knows`, 'check the name with `nx show project <name>`');
  const read = readShardableTarget(config, projectRoot);
  if (!read.ok) throw new SixtyError('UNSUPPORTED_RUNNER', `${task} cannot be sharded: ${read.reason}`, read.fix);
  const listed = listRunnerTestFiles(workspace.root, projectRoot, read.target);
  if (!listed.ok) throw new SixtyError('UNSUPPORTED_RUNNER', `${task}: ${listed.reason}`, 'make the runner able to list its files (run the command it prints by hand to see why)');
  if (listed.outsideProject.length > 0) {
    throw new SixtyError(
      'UNSUPPORTED_RUNNER',
      `${task} runs ${listed.outsideProject.length} test file(s) outside ${projectRoot} (${listed.outsideProject.slice(0, 3).join(', ')}${listed.outsideProject.length > 3 ? ', ...' : ''})`,
      'narrow the runner\'s config to the project (vitest include/root/dir, jest roots/testMatch), so its shards stay inside it',
    );
  }
  return listed.files;
}

/**
 * The shard cost model for a plan: from the unsharded run and, once the baseline's shards have
 * run, from each shard's measured time too (recalibration).
 */
function learnShardCost(workspace: Workspace, task: string, stats: TargetStats, allStats: readonly TargetStats[], budgetMs: number, measured: Record<string, number>, currentFiles: readonly string[]): ShardCostModel {
  const baselinePath = resolve(workspace.root, workspace.options.baselineFile);
  let entry: BaselineTarget | undefined;
  try {
    entry = existsSync(baselinePath) ? parseBaseline(readFileSync(baselinePath, 'utf8'), workspace.options.baselineFile).targets[task] : undefined;
  } catch {
    entry = undefined; // an unreadable baseline: learn from the unsharded run alone (sixty baseline names the problem)
  }
  const calibration = entry ? calibrateShards({ task, entry, stats: allStats, budgetMs, fileMs: measured, currentFiles }) : undefined;
  if (calibration && calibration.model.source === 'calibrated') return calibration.model;
  return fitShardCostModel([{ filesMs: Object.values(measured).reduce((sum, ms) => sum + ms, 0), measuredMs: stats.p50Ms }], { maxUnshardedFixedMs: unshardedFixedCap(budgetMs) });
}

function fileSize(workspaceRoot: string, path: string): { path: string; bytes: number } {
  try {
    return { path, bytes: statSync(join(workspaceRoot, path)).size };
  } catch {
    return { path, bytes: 0 };
  }
}

/** Reads everything a planner needs for one target: history, the project, its files and their costs. */
export async function gatherPlanningInput(
  workspace: Workspace,
  task: string,
  options: { kind?: PlanKind; budgetSeconds?: number; defaultKind: (target: string) => PlanKind },
): Promise<PlanningInput> {
  const { project, target } = parseTask(task);
  const allStats = computeTargetStats(readHistory(workspace.historyDir).runs);
  const stats = allStats.find((s) => s.task === task);
  if (!stats || stats.executions === 0) {
    throw new SixtyError('INVALID_ARGUMENT', `no executed run of ${task} is recorded in ${workspace.options.historyDir}/`, `run it once with the plugin registered (\`nx run ${task} --skip-nx-cache\`), then plan again`);
  }
  const facts = await readProjectFacts(workspace, project);
  const kind = options.kind ?? options.defaultKind(target);
  const budgetMs = budgetMsFor(workspace.options, { project, target }, options.budgetSeconds);
  const { importGraph } = facts;
  let testFiles = importGraph.files.filter((f) => f.isTest);
  let runnerFiles: string[] | undefined;
  let fileCosts;
  let runStartupMs = 0;
  let shardCostModel: ShardCostModel | undefined;
  if (kind === 'shard') {
    // the files the target's runner runs, as it resolves them: never a guess from file names
    runnerFiles = runnerTestFiles(workspace, task, facts.root);
    const sizes = new Map(importGraph.files.map((f) => [f.path, f]));
    testFiles = runnerFiles.map((path) => sizes.get(path) ?? { ...fileSize(workspace.root, path), isTest: true });
    if (testFiles.length === 0) {
      throw new SixtyError('INVALID_ARGUMENT', `${task} runs no test files (its runner lists none)`, `plan a split instead: sixty plan ${task} --kind split`);
    }
    const measured = measuredFileTimes(workspace.root, facts.root, testFiles.map((f) => f.path));
    if (Object.keys(measured).length > 0) {
      // files at their measured times; what the runs take beyond them is the shard cost model's
      fileCosts = estimateTestFileCosts({ testFiles, measuredMs: measured });
      shardCostModel = learnShardCost(workspace, task, stats, allStats, budgetMs, measured, runnerFiles);
    } else {
      fileCosts = estimateTestFileCosts({ testFiles, measuredMs: measured, targetP90Ms: stats.p90Ms });
    }
  } else {
    // a build's time is in its modules; test files cost it nothing and follow what they import
    const modules = importGraph.files.filter((f) => !f.isTest);
    runStartupMs = Math.round(estimateRunStartupMs(allStats, stats, budgetMs));
    fileCosts = [...estimateModuleCosts(modules, stats.p90Ms - runStartupMs), ...testFiles.map((f) => ({ path: f.path, costMs: 0, source: 'estimate' as const }))];
  }
  const validation = validationContext(facts, kind, task, budgetMs, runnerFiles);
  return {
    kind,
    task,
    project,
    target,
    projectRoot: facts.root,
    budgetMs,
    p90Ms: stats.p90Ms,
    executions: stats.executions,
    ...(runStartupMs > 0 ? { runStartupMs } : {}),
    ...(shardCostModel ? { shardCostModel } : {}),
    fileCosts: fileCosts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    importGraph,
    coChange: kind === 'split' ? readCoChange(workspace.root, facts.root, [...validation.projectFiles]) : null,
    existingProjects: facts.existingProjects,
    validation,
  };
}
