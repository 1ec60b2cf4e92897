import type { Command } from 'commander';
import { positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import {
  applyShardPlanToBaseline,
  BASELINE_SCHEMA_VERSION,
  buildBaseline,
  computeTargetStats,
  hashFileContent,
  parsePlanDocument,
  readHistory,
  recordDecomposition,
  serializeBaseline,
  SixtyError,
  validatePlan,
  type Baseline,
  type BaselineShard,
  type ShardPlan,
} from '@sixty/core';
import { gatherValidationContext } from '../planning/gather-planning-input';
import { resolveNxBin } from '../nx-graph';
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
  status: 'applied' | 'would-apply' | 'already-applied' | 'invalid';
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
  const added = buildBaseline({ budgetMs: workspace.options.budgetSeconds * 1000, stats, targets: collected.targets, fileDurations: collected.fileDurations });
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    budgetMs: previous?.budgetMs ?? added.budgetMs,
    targets: { ...(previous?.targets ?? {}), ...added.targets },
  };
}

/**
 * A split plan moves files and creates projects: that is the `@sixty/nx:decompose` generator's
 * job (through the Nx Tree, so --dry-run and nx's own file listing come for free). It validates
 * the plan itself and refuses invalid or stale plans, writing nothing.
 */
function applySplitPlan(options: ApplyOptions, planText: string, task: string | undefined, output: Output): number {
  const workspace = openWorkspace(options.cwd);
  const planPath = relative(workspace.root, resolve(options.cwd, options.plan)).split('\\').join('/');
  const args = [resolveNxBin(workspace.root), 'g', '@sixty/nx:decompose', `--plan=${planPath}`, '--no-interactive'];
  if (options.dryRun) args.push('--dry-run');
  const result = spawnSync(process.execPath, args, { cwd: workspace.root, env: { ...process.env, NX_TUI: 'false' }, encoding: 'utf8' });
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error) throw new SixtyError('NX_FAILED', `could not run nx: ${result.error.message}`, 'check that nx is installed in the workspace');
  if (options.json) {
    output.out(JSON.stringify({ plan: options.plan, kind: 'split', status: result.status === 0 ? (options.dryRun ? 'would-apply' : 'applied') : 'refused', output: text }, null, 2));
  } else if (text) {
    output.out(text);
  }
  if (result.status === 0 && !options.dryRun && task) {
    // the project's runs from before the split time files that moved: the history leaves them out from now on
    recordDecomposition(workspace.historyDir, { task, planSha256: hashFileContent(planText), appliedAtMs: Date.now() });
  }
  if (result.status === 0 && !options.dryRun && !options.json) output.out('next: nx run-many -t build test, then sixty check');
  return result.status === 0 ? EXIT.ok : EXIT.failed;
}

export async function runApply(options: ApplyOptions, output: Output): Promise<number> {
  const text = readPlanText(options.cwd, options.plan);
  const parsed = parsePlanDocument(text);
  // a split plan goes to the generator, even one the schema would reject: it checks its own plans
  const kind = parsed.ok ? parsed.plan.kind : kindOf(text);
  if (kind === 'split') return applySplitPlan(options, text, parsed.ok ? parsed.plan.task : undefined, output);
  if (!parsed.ok) {
    if (parsed.unreadable) throw new SixtyError('UNREADABLE_FILE', `${options.plan}: ${parsed.problems[0] ?? 'not a plan'}`, 'pass the path of a plan written by `sixty plan`');
    output.out([`${options.plan}: not a valid plan, nothing applied`, ...parsed.problems.map((problem) => `  - ${problem}`)].join('\n'));
    return EXIT.failed;
  }
  if (parsed.plan.kind !== 'shard') return EXIT.usage; // unreachable: narrowed for the compiler
  const plan: ShardPlan = parsed.plan;
  const context = openBaselineWorkspace(options.cwd, undefined, output);
  const result: ApplyResult = { plan: options.plan, task: plan.task, baselineFile: context.displayPath, status: 'invalid', problems: [], before: null, after: [] };

  const validation = validatePlan(plan, await gatherValidationContext(context.workspace, { task: plan.task, kind: 'shard' }, options.budget));
  if (!validation.valid) {
    result.problems = validation.problems;
    if (options.json) output.out(JSON.stringify(result, null, 2));
    else output.out([`${options.plan}: not valid for this workspace, nothing applied`, ...validation.problems.map((problem) => `  - ${problem}`), `next: sixty plan ${plan.task} --out ${options.plan}   (plan again)`].join('\n'));
    return EXIT.failed;
  }

  const applied = applyShardPlanToBaseline(baselineWithTarget(context, plan.task), plan);
  result.before = applied.before ?? null;
  result.after = applied.after;
  if (!applied.changed) {
    result.status = 'already-applied';
  } else if (options.dryRun) {
    result.status = 'would-apply';
  } else {
    writeFileSync(context.path, serializeBaseline(applied.baseline));
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
    .argument('<plan>', 'a plan file written by `sixty plan ... --out plan.json`')
    .description('Apply a plan: shards go into the baseline (the plugin infers shard targets); a split runs the @sixty/nx:decompose generator')
    .option('--dry-run', 'say what would change and write nothing', false)
    .option('--budget <seconds>', 'the budget the plan was made for, when not the configured one', positiveSeconds)
    .option('--json', 'print the result as JSON', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 applied (or already applied, or --dry-run), 1 the plan is not valid (or stale) for this workspace',
        '(reasons listed, nothing written), 2 unreadable plan.',
        'A split plan runs `nx g @sixty/nx:decompose --plan <file>`: new projects, moved files, rewritten imports, a facade.',
      ].join('\n'),
    )
    .action(async (plan: string, opts: { dryRun: boolean; json: boolean; budget?: number; cwd: string }) => {
      context.setExit(
        await runApply({ cwd: opts.cwd, plan, dryRun: opts.dryRun, json: opts.json, ...(opts.budget !== undefined ? { budget: opts.budget } : {}) }, context.output),
      );
    });
}
