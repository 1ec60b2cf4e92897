import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import {
  baselineRecordedTime,
  defaultBudgetMs,
  isOverBudget,
  baselineStaleness,
  budgetMsFor,
  buildBaseline,
  calibrateShards,
  computeTargetStats,
  DEFAULT_STALENESS_THRESHOLD,
  formatDuration,
  isInferredShardTarget,
  isShardTargetListed,
  junitPathFor,
  normalizeShardingOptions,
  parseBaseline,
  pluginOptionsFromNxJson,
  readHistory,
  readJUnitFileTimes,
  readShardableTarget,
  RUN_SCRIPT,
  sameTargetConfig,
  serializeBaseline,
  shardReportPath,
  SixtyError,
  splitBaselineKey,
  type Baseline,
  type BaselineStaleness,
  type BaselineTargetConfig,
  type BaselineTargetSource,
  type ShardingOptions,
  type TargetStats,
} from '@sixty/core';
import { readProjectGraphFromNx, type GraphProject } from '../nx/graph-file';
import { listRunnerTestFiles } from '../runner-test-files';
import { openWorkspace, type Workspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface BaselineOptions {
  cwd: string;
  /** Where to write (or what to check), relative to the workspace root; default options.baselineFile. */
  out?: string;
  check: boolean;
  threshold: number;
  json: boolean;
  /** With --check: also compare each target's configuration with nx's graph (one nx process). Default true. */
  graph?: boolean;
}

/** The workspace as `sixty baseline` and `sixty apply` need it. */
export interface BaselineWorkspace {
  workspace: Workspace;
  sharding: ShardingOptions;
  /** Absolute path of the baseline file. */
  path: string;
  /** Workspace-relative path of the baseline file, for messages. */
  displayPath: string;
  previous: Baseline | undefined;
}

/**
 * Finds the workspace, its sharding options and the current baseline. With `rewriting` (sixty
 * baseline writes a new file anyway), an unreadable baseline is reported and set aside instead
 * of stopping the command that would repair it.
 */
export function openBaselineWorkspace(cwd: string, out: string | undefined, output: Output, { rewriting = false }: { rewriting?: boolean } = {}): BaselineWorkspace {
  const workspace = openWorkspace(cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const { options: raw } = pluginOptionsFromNxJson(readFileSync(join(workspace.root, 'nx.json'), 'utf8'));
  const { options: sharding } = normalizeShardingOptions(raw); // its problems are among workspace.problems, warned above
  const file = out ?? workspace.options.baselineFile;
  const path = isAbsolute(file) ? file : resolve(workspace.root, file);
  const displayPath = relative(workspace.root, path).split('\\').join('/') || path;
  let previous: Baseline | undefined;
  if (existsSync(path)) {
    try {
      previous = parseBaseline(readFileSync(path, 'utf8'), displayPath);
    } catch (error) {
      if (!rewriting || !(error instanceof SixtyError)) throw error;
      output.err(`warning: ${error.message}; writing a new baseline without it (apply your shard plans again with \`sixty apply\`)`);
    }
  }
  return { workspace, sharding, path, displayPath, previous };
}

export type { GraphProject } from '../nx/graph-file';

/** Every project with its resolved targets (targetDefaults merged), from `nx graph --file`. */
export function readProjectTargets(workspaceRoot: string): Map<string, GraphProject> {
  return readProjectGraphFromNx(workspaceRoot).projects;
}

/** The project's target of that name: its own key only (`__proto__`, `toString` are no target). */
export function ownTarget(project: GraphProject | undefined, target: string): Record<string, unknown> | undefined {
  return project !== undefined && Object.hasOwn(project.targets, target) ? project.targets[target] : undefined;
}

/**
 * The fields of a resolved target that shard targets reuse; for an nx:run-script target also the
 * command line of its package.json script, read from the project's package.json.
 */
export function configSnapshot(target: Record<string, unknown>, workspaceRoot: string, projectRoot: string): BaselineTargetConfig | undefined {
  if (typeof target.executor !== 'string') return undefined;
  const options = typeof target.options === 'object' && target.options !== null ? (target.options as Record<string, unknown>) : {};
  const script = RUN_SCRIPT.has(target.executor) && typeof options.script === 'string' ? packageScript(workspaceRoot, projectRoot, options.script) : undefined;
  return {
    executor: target.executor,
    options,
    ...(Array.isArray(target.inputs) ? { inputs: target.inputs } : {}),
    ...(Array.isArray(target.outputs) ? { outputs: target.outputs.filter((output): output is string => typeof output === 'string') } : {}),
    ...(Array.isArray(target.dependsOn) && target.dependsOn.length > 0 ? { dependsOn: target.dependsOn } : {}),
    ...(typeof target.cache === 'boolean' ? { cache: target.cache } : {}),
    ...(script !== undefined ? { script } : {}),
  };
}

/** A script of the project's package.json; undefined when the file or the script is missing. */
function packageScript(workspaceRoot: string, projectRoot: string, name: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(workspaceRoot, projectRoot, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
    const script = manifest.scripts !== undefined && Object.hasOwn(manifest.scripts, name) ? manifest.scripts[name] : undefined;
    return typeof script === 'string' ? script : undefined;
  } catch {
    return undefined;
  }
}

export interface TargetReports {
  /** Workspace-relative report files read (the target's own, or its latest complete set of shard reports). */
  reports: string[];
  /** Workspace-relative test file -> ms. */
  files: Record<string, number>;
  /** The test files the target runs (workspace-relative, inside the project), as its runner resolves them; undefined when it cannot say. */
  testFiles?: string[];
  /** Why the target cannot be sharded (unsupported runner, files outside the project, a runner that failed to list); undefined when it can. */
  unshardable?: string;
}

/**
 * The JUnit reports of a target: the configured path (options.junit), else the XML paths its
 * command writes, else `<root>/reports/junit.xml`; and for each, the shard reports the
 * inferred shard targets write beside it. The freshest complete set wins: the target's own
 * report, or all n reports of its latest `-shard-<i>-of-<n>` run.
 */
export function readTargetReports(
  workspaceRoot: string,
  key: { project: string; target: string },
  root: string,
  config: BaselineTargetConfig | undefined,
  sharding: ShardingOptions,
  { listFiles = true }: { listFiles?: boolean } = {},
): TargetReports {
  const projectRoot = root === '.' ? '' : root;
  const read = config ? readShardableTarget(config, root) : undefined;
  const command = read?.ok ? read.target.command : undefined;
  const configured = junitPathFor(sharding, key);
  const candidates = configured
    ? [posix.join(projectRoot || '.', configured)]
    : command && command.reportPaths.length > 0
      ? command.reportPaths.map((path) => posix.normalize(posix.join(command.cwd || '.', path)))
      : [posix.join(projectRoot || '.', 'reports/junit.xml')];
  // a target that runs no test runner (a build) has no test files, whatever XML lies in its folder
  if (!configured && read !== undefined && !read.ok) return { reports: [], files: {}, ...(listFiles ? { unshardable: `${read.reason}; ${read.fix}` } : {}) };
  const { testFiles, unshardable } = listFiles ? testFilesOf(workspaceRoot, root, read) : {};

  let best: { reports: string[]; mtimeMs: number } | undefined;
  for (const candidate of candidates) {
    for (const set of reportSets(workspaceRoot, candidate)) {
      if (!best || set.mtimeMs > best.mtimeMs) best = set;
    }
  }
  const known = { ...(testFiles ? { testFiles } : {}), ...(unshardable ? { unshardable } : {}) };
  if (!best) return { reports: [], files: {}, ...known };
  const times = readJUnitFileTimes(
    best.reports.map((report) => ({ name: report, text: readFileSync(join(workspaceRoot, report), 'utf8') })),
    { projectRoot, workspaceRoot, ...(testFiles && testFiles.length > 0 ? { testFiles } : {}) },
  );
  return { reports: best.reports, files: times.byFile, ...known };
}

/** The runner's own list of the target's test files, or why there is none. */
function testFilesOf(workspaceRoot: string, root: string, read: ReturnType<typeof readShardableTarget> | undefined): { testFiles?: string[]; unshardable?: string } {
  if (!read) return { unshardable: 'its configuration could not be read from nx' };
  if (!read.ok) return { unshardable: `${read.reason}; ${read.fix}` };
  const listed = listRunnerTestFiles(workspaceRoot, root, read.target);
  if (!listed.ok) return { unshardable: listed.reason };
  if (listed.outsideProject.length > 0) {
    const some = listed.outsideProject.slice(0, 3).join(', ');
    return {
      testFiles: [...listed.files, ...listed.outsideProject].sort(),
      unshardable: `its runner collects ${listed.outsideProject.length} test file(s) outside ${root} (${some}${listed.outsideProject.length > 3 ? ', ...' : ''}): narrow its config (vitest include/root/dir, jest roots/testMatch) to the project`,
    };
  }
  return { testFiles: listed.files };
}

/** The report itself and each complete set of its shard reports, with the time of their oldest file. */
function reportSets(workspaceRoot: string, report: string): Array<{ reports: string[]; mtimeMs: number }> {
  const sets: Array<{ reports: string[]; mtimeMs: number }> = [];
  const mtime = (path: string): number | undefined => {
    try {
      return statSync(join(workspaceRoot, path)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const own = mtime(report);
  if (own !== undefined) sets.push({ reports: [report], mtimeMs: own });
  const directory = posix.dirname(report);
  let names: string[];
  try {
    names = readdirSync(join(workspaceRoot, directory));
  } catch {
    return sets;
  }
  const byCount = new Map<number, Set<number>>();
  const probe = shardReportPath(posix.basename(report), 'shard-0-of-0');
  const [prefix, suffix] = probe.split('shard-0-of-0') as [string, string];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix)) continue;
    const match = /^shard-(\d+)-of-(\d+)$/.exec(name.slice(prefix.length, name.length - suffix.length));
    if (!match) continue;
    const count = Number(match[2]);
    if (!byCount.has(count)) byCount.set(count, new Set());
    byCount.get(count)!.add(Number(match[1]));
  }
  for (const [count, indexes] of byCount) {
    if (indexes.size !== count || ![...indexes].every((index) => index >= 1 && index <= count)) continue;
    const reports = Array.from({ length: count }, (_, index) => posix.join(directory, shardReportPath(posix.basename(report), `shard-${index + 1}-of-${count}`)));
    const times = reports.map(mtime);
    if (times.some((time) => time === undefined)) continue;
    sets.push({ reports, mtimeMs: Math.min(...(times as number[])) });
  }
  return sets;
}

export interface BaselineTargetLine {
  task: string;
  p90Ms: number;
  budgetMs: number;
  overBudget: boolean;
  files: number;
  reports: string[];
  shards: number | null;
  note?: string;
}

/** Baseline targets whose configuration in nx's graph differs from their snapshot; none when nx cannot say. */
function configChanges(baseline: Baseline, workspaceRoot: string, output: Output): string[] {
  let projects: Map<string, GraphProject>;
  try {
    projects = readProjectTargets(workspaceRoot);
  } catch (error) {
    output.err(`warning: configurations not compared (${error instanceof Error ? error.message : String(error)})`);
    return [];
  }
  const changed: string[] = [];
  for (const [key, entry] of Object.entries(baseline.targets)) {
    const task = splitBaselineKey(key);
    const target = task ? ownTarget(projects.get(task.project), task.target) : undefined;
    if (!target || !entry.config) continue;
    if (!sameTargetConfig(configSnapshot(target, workspaceRoot, entry.root), entry.config)) changed.push(key);
  }
  return changed.sort();
}

function runCheck(context: BaselineWorkspace, stats: TargetStats[], options: BaselineOptions, output: Output): number {
  const { workspace, previous, displayPath } = context;
  if (!previous) {
    if (options.json) output.out(JSON.stringify({ file: displayPath, exists: false, stale: true, drifts: [], missing: [] }, null, 2));
    else output.out(`${displayPath} does not exist: nothing to check against\nnext: sixty baseline   (then commit ${displayPath})`);
    return EXIT.failed;
  }
  const staleness: BaselineStaleness = baselineStaleness(previous, stats, {
    threshold: options.threshold,
    budgetMsFor: (task) => budgetMsFor(workspace.options, task),
  });
  const changedConfigs = options.graph === false ? [] : configChanges(previous, workspace.root, output);
  const stale = staleness.stale || changedConfigs.length > 0;
  if (options.json) {
    output.out(JSON.stringify({ file: displayPath, exists: true, threshold: options.threshold, ...staleness, changedConfigs, stale }, null, 2));
    return stale ? EXIT.failed : EXIT.ok;
  }
  const percent = (drift: number | null): string => (drift === null ? 'new figure' : `${drift >= 0 ? '+' : ''}${Math.round(drift * 100)}%`);
  const drifted = staleness.drifts.filter((drift) => drift.stale);
  for (const drift of drifted) {
    output.out(`stale  ${drift.task}  p90 ${formatDuration(drift.baselineP90Ms)} in the baseline, ${formatDuration(drift.currentP90Ms)} now (${percent(drift.drift)})`);
  }
  for (const missing of staleness.missing) {
    output.out(`missing  ${missing.task}  p90 ${formatDuration(missing.currentP90Ms)}, over its ${formatDuration(missing.budgetMs)} budget, not in the baseline`);
  }
  for (const shard of staleness.overBudgetShards) {
    output.out(`shard over budget  ${shard.task}  p90 ${formatDuration(shard.currentP90Ms)}, over its ${formatDuration(shard.budgetMs)} budget`);
  }
  for (const task of changedConfigs) {
    output.out(`config changed  ${task}  its configuration in nx differs from the snapshot its shard targets run`);
  }
  if (!stale) {
    output.out(`${displayPath} is current: ${staleness.drifts.length} target(s) checked, none drifted more than ${Math.round(options.threshold * 100)}%`);
    return EXIT.ok;
  }
  const reasons = [
    `${drifted.length} drifted past ${Math.round(options.threshold * 100)}%`,
    `${staleness.missing.length} over budget and missing`,
    ...(staleness.overBudgetShards.length > 0 ? [`${staleness.overBudgetShards.length} shard(s) over budget`] : []),
    ...(changedConfigs.length > 0 ? [`${changedConfigs.length} configuration(s) changed`] : []),
  ];
  const replan = staleness.overBudgetShards.length > 0 ? `; plan the shards again: sixty plan ${staleness.overBudgetShards[0]!.task.replace(/--shard-\d+-of-\d+$/, '')}` : '';
  output.out(`${displayPath} is stale (${reasons.join(', ')})\nnext: sixty baseline   (then commit ${displayPath})${replan}`);
  return EXIT.failed;
}

export interface CollectedTargets {
  targets: Record<string, BaselineTargetSource>;
  fileDurations: Record<string, Record<string, number>>;
  /** The test files each target's runner listed (targets that may be sharded only). */
  testFiles: Record<string, string[]>;
  lines: BaselineTargetLine[];
}

/**
 * What the baseline holds for each of `keys` (`project:target`): root and configuration from
 * nx's graph, per-file times from the JUnit reports. Targets gone from the workspace are left
 * out; with `onlyWanted`, so are targets with no report that are neither over budget, listed
 * for sharding, nor already in the baseline.
 */
export function collectBaselineTargets(
  context: BaselineWorkspace,
  projects: Map<string, GraphProject>,
  stats: readonly TargetStats[],
  keys: readonly string[],
  { onlyWanted }: { onlyWanted: boolean },
): CollectedTargets {
  const { workspace, sharding, previous } = context;
  const executed = new Map(stats.filter((s) => s.executions > 0 && s.configuration === undefined).map((s) => [s.task, s]));
  const targets: Record<string, BaselineTargetSource> = {};
  const fileDurations: Record<string, Record<string, number>> = {};
  const lines: BaselineTargetLine[] = [];
  const testFiles: Record<string, string[]> = {};
  for (const key of keys) {
    const task = splitBaselineKey(key);
    const project = task ? projects.get(task.project) : undefined;
    const target = task ? ownTarget(project, task.target) : undefined;
    if (!task || !project || !target) continue; // gone from the workspace
    const config = configSnapshot(target, workspace.root, project.root);
    const recorded = executed.get(key) ?? baselineRecordedTime({ p90Ms: previous?.targets[key]?.p90Ms ?? 0 });
    const p90Ms = recorded.p90Ms;
    const budgetMs = budgetMsFor(workspace.options, task);
    const overBudget = isOverBudget(recorded, budgetMs);
    const listed = isShardTargetListed(sharding, task);
    // the runner is asked for its files only where shards may follow: over budget, listed, or sharded already
    const shardable = !onlyWanted || overBudget || listed || (previous?.targets[key]?.shards?.length ?? 0) > 0;
    const reports = readTargetReports(workspace.root, task, project.root, config, sharding, { listFiles: shardable });
    if (onlyWanted && !(reports.reports.length > 0 || overBudget || listed || previous?.targets[key] !== undefined)) continue;
    targets[key] = { root: project.root, ...(config ? { config } : {}) };
    if (Object.keys(reports.files).length > 0) fileDurations[key] = reports.files;
    if (reports.testFiles) testFiles[key] = reports.testFiles;
    const note = shardable && reports.unshardable
      ? `not shardable: ${reports.unshardable}`
      : reports.reports.length === 0 && (overBudget || listed)
        ? 'no JUnit report found: no per-file times, so no shards (point options.junit at its report)'
        : reports.reports.length > 0 && Object.keys(reports.files).length === 0
          ? `no test file could be matched in ${reports.reports.join(', ')}`
          : undefined;
    lines.push({
      task: key,
      p90Ms,
      budgetMs,
      overBudget,
      files: Object.keys(fileDurations[key] ?? previous?.targets[key]?.files ?? {}).length,
      reports: reports.reports,
      shards: previous?.targets[key]?.shards?.length ?? null,
      ...(note ? { note } : {}),
    });
  }
  return { targets, fileDurations, testFiles, lines };
}

/**
 * Each target whose shards have run gets the shard cost fitted to those runs and the unsharded
 * one (recalibration): the plugin's shard estimates and `sixty report` use it from then on.
 */
function learnShardCosts(baseline: Baseline, stats: readonly TargetStats[], context: BaselineWorkspace): void {
  for (const [key, entry] of Object.entries(baseline.targets)) {
    const task = splitBaselineKey(key);
    if (!task) continue;
    const calibration = calibrateShards({ task: key, entry, stats, budgetMs: budgetMsFor(context.workspace.options, task), listed: isShardTargetListed(context.sharding, task) });
    if (calibration?.model.source !== 'calibrated') continue;
    const { fixedMs, perFileScale, samples } = calibration.model;
    entry.shardCost = { fixedMs, perFileScale, samples };
  }
}

export function runBaseline(options: BaselineOptions, output: Output): number {
  const context = openBaselineWorkspace(options.cwd, options.out, output, { rewriting: !options.check });
  const { workspace, previous } = context;
  const history = readHistory(workspace.historyDir);
  if (history.skippedRecords > 0) output.err(`warning: skipped ${history.skippedRecords} corrupt history line(s) in ${workspace.historyDir}`);
  const stats = computeTargetStats(history.runs);
  if (options.check) return runCheck(context, stats, options, output);

  if (process.stderr.isTTY) output.err('reading the project graph from nx...');
  const projects = readProjectTargets(workspace.root);
  const executed = new Set(stats.filter((s) => s.executions > 0 && s.configuration === undefined && !isInferredShardTarget(s.target)).map((s) => s.task));
  const keys = [...new Set([...executed, ...Object.keys(previous?.targets ?? {})])].sort();
  const { targets, fileDurations, testFiles, lines } = collectBaselineTargets(context, projects, stats, keys, { onlyWanted: true });
  const baseline = buildBaseline({ budgetMs: defaultBudgetMs(workspace.options), stats, targets, fileDurations, testFiles }, previous);
  learnShardCosts(baseline, stats, context);
  const text = serializeBaseline(baseline);
  const before = existsSync(context.path) ? readFileSync(context.path, 'utf8') : undefined;
  const written = before !== text;
  if (written) {
    mkdirSync(dirname(context.path), { recursive: true });
    writeFileSync(context.path, text);
  }
  if (options.json) {
    output.out(JSON.stringify({ file: context.displayPath, written, targets: lines }, null, 2));
    return EXIT.ok;
  }
  for (const line of lines) {
    const shards = line.shards !== null ? `, ${line.shards} applied shards` : line.overBudget ? ', over budget: the plugin infers shards' : '';
    output.out(`${line.task}  p90 ${formatDuration(line.p90Ms)} (budget ${formatDuration(line.budgetMs)}), ${line.files} test file(s)${shards}${line.note ? `  [${line.note}]` : ''}`);
  }
  if (lines.length === 0) output.out('no test target with a JUnit report and no target over budget in the history yet; run your targets with the plugin registered first');
  output.out(
    written
      ? `wrote ${context.displayPath} (${Object.keys(baseline.targets).length} targets)\nnext: commit ${context.displayPath}; \`nx show project <name>\` lists the shard targets`
      : `${context.displayPath} is unchanged (${Object.keys(baseline.targets).length} targets)`,
  );
  return EXIT.ok;
}

function fraction(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a positive fraction, e.g. 0.25 for 25%');
  return number;
}

export function registerBaselineCommand(program: Command, context: CommandContext): void {
  program
    .command('baseline')
    .description('Write the committed timing baseline (per-target p90, per-test-file times, shards) that the plugin infers shard targets from')
    .option('--out <file>', 'baseline file (default: the baselineFile option, sixty-timings.json)')
    .option('--check', 'write nothing; exit 1 when the baseline is stale against the history', false)
    .option('--threshold <fraction>', 'with --check: relative p90 drift that makes a target stale', fraction, DEFAULT_STALENESS_THRESHOLD)
    .option('--no-graph', 'with --check: do not ask nx for the targets\' configurations (history only)')
    .option('--json', 'print the result as JSON', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Run your targets with the plugin registered (it records their times and they write JUnit reports),',
        'then `sixty baseline` and commit the file. Every machine then infers the same shard targets:',
        '  nx run <project>:<target>--sharded      all shards of a target',
        '  nx affected -t test--sharded            the shards of every affected project',
        'In CI: sixty baseline --check   exit 1 when a p90 drifted more than --threshold, a target over budget is missing,',
        '       a shard runs over budget, or a target\'s configuration changed since the snapshot; exit 0 otherwise',
      ].join('\n'),
    )
    .action((opts: { out?: string; check: boolean; threshold: number; json: boolean; graph: boolean; cwd: string }) => {
      context.setExit(
        runBaseline(
          { cwd: opts.cwd, check: opts.check, threshold: opts.threshold, json: opts.json, graph: opts.graph, ...(opts.out !== undefined ? { out: opts.out } : {}) },
          context.output,
        ),
      );
    });
}
