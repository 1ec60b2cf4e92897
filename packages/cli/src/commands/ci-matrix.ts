import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  budgetMsFor,
  defaultBudgetMs,
  computeTargetStats,
  formatDuration,
  normalizeShardingOptions,
  parseBaseline,
  planCiMatrix,
  pluginOptionsFromNxJson,
  readHistory,
  resolveShards,
  type Baseline,
  type CiMatrixItem,
} from '@sixty/core';
import { positiveInteger, positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { gitTopLevel, resolveComparison } from '../git/repository';
import { nxAffectedProjects } from '../nx/affected-projects';
import { readNxDefaultBase } from '../nx/nx-json';
import { openWorkspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface CiMatrixOptions {
  cwd: string;
  target: string;
  maxJobs: number;
  base?: string;
  head?: string;
  budget?: number;
  json: boolean;
}

function readBaselineFile(path: string): Baseline | null {
  return existsSync(path) ? parseBaseline(readFileSync(path, 'utf8'), path) : null;
}

export function runCiMatrix(options: CiMatrixOptions, output: Output): number {
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  gitTopLevel(workspace.root);
  const { base, head } = resolveComparison(workspace.root, { base: options.base, head: options.head, defaultBase: readNxDefaultBase(workspace.root) });
  // affected projects that have the target, as nx decides (`nx show projects --affected --withTarget`)
  const projects = nxAffectedProjects(workspace.root, base, head, process.env, options.target);
  const baseline = readBaselineFile(join(workspace.root, workspace.options.baselineFile));
  const sharding = normalizeShardingOptions(pluginOptionsFromNxJson(readFileSync(join(workspace.root, 'nx.json'), 'utf8')).options).options;
  const p90 = new Map(computeTargetStats(readHistory(workspace.historyDir).runs).map((s) => [s.task, s.p90Ms]));

  const items: CiMatrixItem[] = [];
  for (const project of projects) {
    const task = `${project}:${options.target}`;
    const budgetMs = budgetMsFor(workspace.options, { project, target: options.target }, options.budget);
    const entry = baseline?.targets[task];
    const listed = sharding.shardTargets.includes(task) || sharding.shardTargets.includes(options.target);
    // the same shards the plugin infers from the committed baseline, so the matrix names real targets
    const shards = entry ? resolveShards({ task, entry, budgetMs, safetyMargin: sharding.safetyMargin, listed }) : undefined;
    if (shards && shards.shards.length > 0) {
      for (const shard of shards.shards) items.push({ task: `${task}--${shard.name}`, estimatedMs: shard.estimatedMs });
    } else {
      items.push({ task, estimatedMs: entry?.p90Ms ?? p90.get(task) ?? 0 });
    }
  }
  const budgetMs = defaultBudgetMs(workspace.options, options.budget);
  const plan = planCiMatrix(items, { budgetMs, maxJobs: options.maxJobs });
  if (options.json) {
    output.out(JSON.stringify(plan.matrix));
    return EXIT.ok;
  }
  const lines = [
    `ci matrix for ${options.target}: ${items.length} task${items.length === 1 ? '' : 's'} of ${projects.length} affected project${projects.length === 1 ? '' : 's'} in ${plan.matrix.include.length} job${plan.matrix.include.length === 1 ? '' : 's'}, longest ~${formatDuration(plan.makespanMs)} (budget ${formatDuration(budgetMs)})`,
  ];
  for (const job of plan.matrix.include) lines.push(`  job ${job.job}  ~${formatDuration(job.estimatedMs)}  ${job.tasks.join(' ')}`);
  if (!plan.withinBudget) lines.push(`  over budget even at ${options.maxJobs} jobs: raise --max-jobs or split the largest tasks`);
  for (const item of plan.oversized) lines.push(`  alone over budget: ${item.task} ~${formatDuration(item.estimatedMs)} -> sixty plan ${item.task.split('--')[0]}`);
  lines.push('GitHub Actions: sixty ci-matrix --json gives {"include":[{"job","tasks","estimatedMs","command"}]} for strategy.matrix');
  output.out(lines.join('\n'));
  return EXIT.ok;
}

export function registerCiMatrixCommand(program: Command, context: CommandContext): void {
  program
    .command('ci-matrix')
    .description('A GitHub Actions matrix spreading the affected (sharded) tasks of a target over jobs by baseline time')
    .option('--target <name>', 'the target to spread', 'test')
    .option('--max-jobs <n>', 'at most this many jobs', positiveInteger, 8)
    .option('--base <ref>', 'compare against this ref (default: merge-base with the default branch)')
    .option('--head <ref>', 'compare up to this ref (default: the work tree)')
    .option('--budget <seconds>', 'the budget each job should fit (default: the configured budget)', positiveSeconds)
    .option('--json', 'print only the matrix, one line: echo "matrix=$(sixty ci-matrix --json)" >> $GITHUB_OUTPUT', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText('after', '\nSee docs/CI.md for a complete workflow.')
    .action((opts: { target: string; maxJobs: number; base?: string; head?: string; budget?: number; json: boolean; cwd: string }) => {
      context.setExit(
        runCiMatrix(
          {
            cwd: opts.cwd,
            target: opts.target,
            maxJobs: opts.maxJobs,
            json: opts.json,
            ...(opts.base !== undefined ? { base: opts.base } : {}),
            ...(opts.head !== undefined ? { head: opts.head } : {}),
            ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
          },
          context.output,
        ),
      );
    });
}
