import type { Command } from 'commander';
import { positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  defaultBudgetMs,
  readShardableTarget,
  applyShardPlanToBaseline,
  BASELINE_SCHEMA_VERSION,
  buildBaseline,
  computeTargetStats,
  appliedRecordDifferences,
  appliedRecordOf,
  appliedRecordPath,
  createWorkspaceConfinement,
  decompositionsPath,
  decompositionsWith,
  fileChangesOf,
  hashFileContent,
  parseChangeSet,
  parsePlanDocument,
  protectedDirectoriesOf,
  readAppliedRecord,
  readHistory,
  serializeBaseline,
  SixtyError,
  validatePlan,
  type Baseline,
  type BaselineShard,
  type ChangeSet,
  type FileChange,
  type ShardPlan,
} from '@sixty/core';
import { applyDirectory, commitChanges, failedCommitText, recoverPendingApply } from '../apply/commit-changes';
import { gatherValidationContext, planBudget } from '../planning/gather-planning-input';
import { runNxSync } from '../nx/nx-process';
import { openWorkspace } from '../workspace';
import { EXIT, type Output } from '../output';
import { collectBaselineTargets, openBaselineWorkspace, readProjectTargets, type BaselineWorkspace } from './baseline';

export interface ApplyOptions {
  cwd: string;
  plan: string;
  dryRun: boolean;
  json: boolean;
  /** The budget the plan was made for, when not the configured one (sixty plan --budget). */
  budget?: number;
}

interface ApplyResult {
  plan: string;
  task: string;
  baselineFile: string;
  status: 'applied' | 'would-apply' | 'already-applied' | 'invalid' | 'rolled-back';
  problems: string[];
  before: BaselineShard[] | null;
  after: BaselineShard[];
}

function kindOf(text: string): unknown {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  } catch {
    return undefined;
  }
}

function inputsTaskOf(text: string): string | undefined {
  try {
    const task = (JSON.parse(text) as { task?: unknown }).task;
    return typeof task === 'string' && /^[^:\s]+:[^:\s]+$/.test(task) ? task : undefined;
  } catch {
    return undefined;
  }
}

function readPlanText(cwd: string, file: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new SixtyError('UNREADABLE_FILE', `cannot read the plan ${file}: ${error instanceof Error ? error.message : String(error)}`, 'pass the path of a plan written by `sixty plan <project:target> --out plan.json`');
  }
}

/**
 * The baseline the plan is applied to: the current one, with the plan's target added when it
 * is missing (its configuration read from nx, its times from the history and JUnit reports).
 */
function baselineWithTarget(context: BaselineWorkspace, task: string): Baseline {
  const { workspace, previous } = context;
  if (previous?.targets[task]) return previous;
  const stats = computeTargetStats(readHistory(workspace.historyDir).runs);
  const collected = collectBaselineTargets(context, readProjectTargets(workspace.root), stats, [task], { onlyWanted: false });
  if (!collected.targets[task]) {
    throw new SixtyError('INVALID_ARGUMENT', `${task} is not a target of this workspace`, 'check the plan\'s task against `nx show projects` and `nx show project <name>`');
  }
  const added = buildBaseline({ budgetMs: defaultBudgetMs(workspace.options), stats, targets: collected.targets, fileDurations: collected.fileDurations, testFiles: collected.testFiles });
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    budgetMs: previous?.budgetMs ?? added.budgetMs,
    targets: { ...(previous?.targets ?? {}), ...added.targets },
  };
}

/** Shards of a runner sixty cannot filter would never run: say so (exit 2) instead of writing them. */
function refuseUnshardable(baseline: Baseline, task: string): void {
  const entry = baseline.targets[task];
  if (!entry?.config) throw new SixtyError('INVALID_ARGUMENT', `the configuration of ${task} could not be read from nx`, 'check that `nx show project <name> --json` lists the target');
  const read = readShardableTarget(entry.config, entry.root);
  if (!read.ok) throw new SixtyError('UNSUPPORTED_RUNNER', `${task} cannot be sharded: ${read.reason}`, read.fix);
}

/**
 * A split plan moves files and creates projects: the `@sixty/nx:decompose` generator computes
 * every change (it validates the plan and refuses invalid, stale or unconfined plans), run with
 * --dry-run and `--changesFile` so that nx writes nothing; sixty then commits the change set
 * itself, journaled, all or nothing (see docs/decompose.md, "How sixty apply writes").
 */
async function applyGeneratedPlan(options: ApplyOptions, planText: string, task: string | undefined, kind: 'split' | 'inputs', output: Output): Promise<number> {
  const workspace = openWorkspace(options.cwd);
  const planPath = relative(workspace.root, resolve(options.cwd, options.plan)).split('\\').join('/');
  const planSha256 = hashFileContent(planText);
  const report = (status: string, lines: string[], extra: Record<string, unknown> = {}): void => {
    if (options.json) output.out(JSON.stringify({ plan: options.plan, kind, status, output: lines.join('\n'), ...extra }, null, 2));
    else if (lines.length > 0) output.out(lines.join('\n'));
  };
  const recovered = options.dryRun ? { lines: [] as string[] } : recoverPendingApply(workspace.historyDir, 'finish');
  if (!options.dryRun && 'outcome' in recovered && recovered.outcome.status === 'undone' && recovered.outcome.rollback.mismatches.length > 0) {
    report('recovery-failed', recovered.lines);
    return EXIT.failed;
  }
  const record = readAppliedRecord(workspace.historyDir, planSha256);
  if (record !== undefined) {
    const differences = appliedRecordDifferences(workspace.root, record);
    if (differences.length === 0) {
      report('already-applied', [...recovered.lines, `${options.plan} is already applied (${new Date(record.appliedAtMs).toISOString()}): all ${record.paths.length} paths it wrote are as it left them; nothing to do`]);
      return EXIT.ok;
    }
    report('changed-since-applied', [
      ...recovered.lines,
      `${options.plan} was applied (${new Date(record.appliedAtMs).toISOString()}), but ${differences.length} of the ${record.paths.length} paths it wrote are no longer as it left them: ${differences.slice(0, 5).join(', ')}${differences.length > 5 ? ', ...' : ''}`,
      'nothing was changed; git diff shows what changed since (edited on purpose: there is nothing to do)',
    ]);
    return EXIT.failed;
  }

  const generator = kind === 'split' ? '@sixty/nx:decompose' : '@sixty/nx:inputs';
  const args = ['g', generator, `--plan=${planPath}`, '--no-interactive', '--dry-run'];
  const changesFile = join(applyDirectory(workspace.historyDir), `changes-${process.pid}.json`);
  if (!options.dryRun) {
    mkdirSync(dirname(changesFile), { recursive: true });
    rmSync(changesFile, { force: true });
    args.push(`--changesFile=${changesFile}`);
  }
  const result = runNxSync(workspace.root, args);
  if (result.error) throw new SixtyError('NX_FAILED', `could not run nx: ${result.error.message}`, 'check that nx is installed in the workspace');
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.status !== 0) {
    rmSync(changesFile, { force: true });
    report('refused', [...recovered.lines, text]);
    return EXIT.failed;
  }
  if (options.dryRun) {
    report('would-apply', [text]);
    return EXIT.ok;
  }
  let changeSet: ChangeSet | undefined;
  try {
    changeSet = parseChangeSet(readFileSync(changesFile, 'utf8'));
  } catch {
    changeSet = undefined;
  } finally {
    rmSync(changesFile, { force: true });
  }
  if (changeSet === undefined) {
    throw new SixtyError('NX_FAILED', `nx g ${generator} wrote no change set: ${text.split('\n').slice(-3).join(' ')}`, 'check that the @sixty/nx installed in the workspace is as new as the sixty CLI');
  }
  if (changeSet.applied) {
    // Applied by `nx g` alone, so no record to check file by file: say what was checked.
    report('already-applied', [...recovered.lines, `${changeSet.summary} (applied outside sixty apply: checked that the parts exist and hold the moved files)`]);
    return EXIT.ok;
  }

  const workspaceChanges = fileChangesOf(workspace.root, changeSet);
  const appliedAtMs = Date.now();
  const records: FileChange[] = [];
  if (task !== undefined) {
    // the project's runs from before the split time files that moved: the history leaves them out from now on
    const decompositions = kind === 'split' ? decompositionsWith(workspace.historyDir, { task, planSha256, appliedAtMs }) : undefined;
    if (decompositions !== undefined) records.push({ kind: 'write', path: decompositionsPath(workspace.historyDir), content: decompositions });
    const applied = appliedRecordOf(workspace.root, { task, planSha256, appliedAtMs }, workspaceChanges);
    records.push({ kind: 'write', path: appliedRecordPath(workspace.historyDir, planSha256), content: `${JSON.stringify(applied, null, 2)}\n` });
  }
  const confinement = createWorkspaceConfinement({ workspaceRoot: workspace.root, protectedDirectories: protectedDirectoriesOf(readFileSync(join(workspace.root, 'nx.json'), 'utf8'), process.env) });
  const links = new Map(workspaceChanges.filter((change) => change.kind === 'symlink').map((change) => [change.path, change]));
  const recordPaths = new Set(records.map((change) => change.path));
  const guard = (path: string): string | undefined => {
    if (recordPaths.has(path)) return undefined; // sixty's own records
    const link = links.get(path);
    // package links live in node_modules by design: what they point at must be confined
    const checked = link?.kind === 'symlink' ? resolve(dirname(path), link.target) : path;
    return confinement.reasonOutside(relative(workspace.root, checked).split('\\').join('/'));
  };
  const outcome = await commitChanges([...workspaceChanges, ...records], { historyDir: workspace.historyDir, label: `${planPath} (${task ?? kind})`, guard });
  if (!outcome.ok) {
    report('rolled-back', [...recovered.lines, ...failedCommitText(outcome, workspace.root)], { failedStep: outcome.failedStep, steps: outcome.steps, reason: outcome.reason, mismatches: outcome.rollback.mismatches });
    return EXIT.failed;
  }
  const summary = changeSet.summary.split('\n');
  const next = summary.filter((line) => line.startsWith('next: '));
  // --json keeps the next steps as data: a script applying a split must still run the install they name
  report('applied', [...recovered.lines, ...summary.filter((line) => !line.startsWith('next: ')), `wrote ${outcome.steps} changes in one transaction${task !== undefined && kind === 'split' ? ', recorded in .sixty/decompositions.json' : ''}`, ...(options.json ? [] : next)], {
    steps: outcome.steps,
    next: next.map((line) => line.slice('next: '.length)),
  });
  return EXIT.ok;
}

/** `sixty apply --recover [finish|undo]`: ends an apply a killed process left. */
function recoverApply(options: { cwd: string; json: boolean; mode: 'finish' | 'undo' }, output: Output): number {
  const workspace = openWorkspace(options.cwd);
  const { outcome, lines } = recoverPendingApply(workspace.historyDir, options.mode);
  const failed = outcome.status === 'undone' && outcome.rollback.mismatches.length > 0;
  const shown = outcome.status === 'none' ? ['no interrupted apply to recover: nothing to do'] : lines;
  if (options.json) output.out(JSON.stringify({ recover: options.mode, status: failed ? 'recovery-failed' : outcome.status, output: shown.join('\n') }, null, 2));
  else output.out(shown.join('\n'));
  return failed ? EXIT.failed : EXIT.ok;
}

export async function runApply(options: ApplyOptions, output: Output): Promise<number> {
  const text = readPlanText(options.cwd, options.plan);
  const parsed = parsePlanDocument(text);
  // a split plan goes to the generator, even one the schema would reject: it checks its own plans
  const kind = parsed.ok ? parsed.plan.kind : kindOf(text);
  if (kind === 'split') return await applyGeneratedPlan(options, text, parsed.ok ? parsed.plan.task : undefined, 'split', output);
  // an inputs plan goes to its generator, which validates it against the workspace
  if (kind === 'inputs') return await applyGeneratedPlan(options, text, inputsTaskOf(text), 'inputs', output);
  if (!parsed.ok) {
    if (parsed.unreadable) throw new SixtyError('UNREADABLE_FILE', `${options.plan}: ${parsed.problems[0] ?? 'not a plan'}`, 'pass the path of a plan written by `sixty plan`');
    output.out([`${options.plan}: not a valid plan, nothing applied`, ...parsed.problems.map((problem) => `  - ${problem}`)].join('\n'));
    return EXIT.failed;
  }
  if (parsed.plan.kind !== 'shard') return EXIT.usage; // unreachable: narrowed for the compiler
  const plan: ShardPlan = parsed.plan;
  const context = openBaselineWorkspace(options.cwd, undefined, output);
  const result: ApplyResult = { plan: options.plan, task: plan.task, baselineFile: context.displayPath, status: 'invalid', problems: [], before: null, after: [] };

  const budget = planBudget(context.workspace, plan, options.budget);
  if (budget.note) output.err(`note: ${budget.note}`);
  const validation = validatePlan(plan, await gatherValidationContext(context.workspace, { task: plan.task, kind: 'shard', budgetMs: plan.budgetMs }, options.budget));
  if (!validation.valid) {
    result.problems = validation.problems;
    if (options.json) output.out(JSON.stringify(result, null, 2));
    else output.out([`${options.plan}: not valid for this workspace, nothing applied`, ...validation.problems.map((problem) => `  - ${problem}`), `next: sixty plan ${plan.task} --out ${options.plan}   (plan again)`].join('\n'));
    return EXIT.failed;
  }

  const withTarget = baselineWithTarget(context, plan.task);
  refuseUnshardable(withTarget, plan.task);
  const applied = applyShardPlanToBaseline(withTarget, plan);
  result.before = applied.before ?? null;
  result.after = applied.after;
  if (!applied.changed) {
    result.status = 'already-applied';
  } else if (options.dryRun) {
    result.status = 'would-apply';
  } else {
    const recovered = recoverPendingApply(context.workspace.historyDir, 'finish');
    for (const line of recovered.lines) output.err(line);
    // one file, but through the same journaled commit: a failure leaves the old baseline, byte for byte
    const outcome = await commitChanges([{ kind: 'write', path: context.path, content: serializeBaseline(applied.baseline) }], {
      historyDir: context.workspace.historyDir,
      label: `${options.plan} (${plan.task} shards into ${context.displayPath})`,
    });
    if (!outcome.ok) {
      result.status = 'rolled-back';
      result.problems = failedCommitText(outcome, context.workspace.root);
      output.out(options.json ? JSON.stringify(result, null, 2) : result.problems.join('\n'));
      return EXIT.failed;
    }
    result.status = 'applied';
  }
  if (options.json) {
    output.out(JSON.stringify(result, null, 2));
    return EXIT.ok;
  }
  if (result.status === 'already-applied') {
    output.out(`${context.displayPath} already holds these ${applied.after.length} shards for ${plan.task}: nothing to change`);
    return EXIT.ok;
  }
  const lines = [
    `${result.status === 'applied' ? 'wrote' : 'would write'} ${applied.after.length} shards for ${plan.task} to ${context.displayPath}${applied.before ? ` (replacing ${applied.before.length})` : ''}:`,
    ...applied.after.map((shard) => `  ${shard.name}  ${shard.files.length} file(s), about ${((plan.shards.find((s) => s.name === shard.name)?.estimatedMs ?? 0) / 1000).toFixed(1)} s`),
  ];
  const target = plan.task.slice(plan.task.indexOf(':') + 1);
  const project = plan.task.slice(0, plan.task.indexOf(':'));
  lines.push(
    result.status === 'applied'
      ? `next: commit ${context.displayPath}; nx run ${project}:${target}--sharded runs them (nx affected -t ${target}--sharded in CI)`
      : 'dry run: nothing written',
  );
  output.out(lines.join('\n'));
  return EXIT.ok;
}

export function registerApplyCommand(program: Command, context: CommandContext): void {
  program
    .command('apply')
    .argument('[plan]', 'a plan file written by `sixty plan ... --out plan.json`')
    .description('Apply a plan, all or nothing: shards go into the baseline (the plugin infers shard targets); a split (@sixty/nx:decompose) or an inputs plan (@sixty/nx:inputs) is computed by its generator and committed by sixty in one journaled transaction')
    .option('--dry-run', 'say what would change and write nothing', false)
    .option('--recover [action]', 'end an apply a killed process left: finish (default) or undo', false)
    .option('--budget <seconds>', 'judge the plan by this budget instead of the one it carries (the one it was made for)', positiveSeconds)
    .option('--json', 'print the result as JSON', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 applied (or already applied, or --dry-run, or recovered), 1 the plan is not valid (or stale) for this',
        'workspace (reasons listed, nothing written), or writing failed and was rolled back (the workspace is as before),',
        '2 unreadable plan or bad usage.',
        'A split plan runs `nx g @sixty/nx:decompose --plan <file> --dry-run` for the change set: new projects, moved files,',
        'rewritten imports, a facade. An inputs plan runs `nx g @sixty/nx:inputs` the same way: the dependents\' project.json inputs.',
        'Every change is staged under <historyDir>/apply/ with a journal, then committed; a',
        'failure or a signal rolls back to the exact tree before. After a kill, the next `sixty apply` (or',
        '`sixty apply --recover`) finishes the interrupted apply; `sixty apply --recover undo` undoes it.',
      ].join('\n'),
    )
    .action(async (plan: string | undefined, opts: { dryRun: boolean; json: boolean; budget?: number; cwd: string; recover: boolean | string }) => {
      if (opts.recover !== false) {
        const mode = opts.recover === true ? 'finish' : opts.recover;
        if ((mode !== 'finish' && mode !== 'undo') || plan !== undefined) {
          throw new SixtyError('INVALID_ARGUMENT', plan !== undefined ? '--recover takes no plan' : `--recover ${String(mode)}: expected finish or undo`, 'run sixty apply --recover, or sixty apply --recover undo');
        }
        context.setExit(recoverApply({ cwd: opts.cwd, json: opts.json, mode }, context.output));
        return;
      }
      if (plan === undefined) throw new SixtyError('INVALID_ARGUMENT', 'which plan?', 'run sixty apply <plan.json>, or sixty apply --recover after an interrupted apply');
      context.setExit(
        await runApply({ cwd: opts.cwd, plan, dryRun: opts.dryRun, json: opts.json, ...(opts.budget !== undefined ? { budget: opts.budget } : {}) }, context.output),
      );
    });
}
