import type { Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  analyzeGraph,
  budgetMsFor,
  computeTargetStats,
  defaultPlanKind,
  formatDuration,
  isSixtyError,
  planLocally,
  splitLoopTimes,
  readHistory,
  SixtyError,
  validateInputsPlan,
  validatePlan,
  withFileHashes,
  type Plan,
  type PlanKind,
  type PlanningInput,
  type PlanValidation,
  type WhatIf,
} from '@sixty/core';
import type { AgentFlags } from '@sixty/agent';
import { commaList, positiveInteger, positiveSeconds } from '../arguments';
import { runPlanLoop } from './plan-loop';
import type { CommandContext } from '../command-context';
import { readNxGraphs } from '../nx/task-graph';
import type { PlannerMode, PlannerReport, TicketOutcome } from '../planning/agent-planning';
import { gatherPlanningInput, gatherValidationContext, parseTask, planBudget } from '../planning/gather-planning-input';
import { checkWithGenerator, mergeGeneratorCheck } from '../planning/generator-check';
import { runInputsPlan } from '../planning/run-inputs-plan';
import { readProjectGraph } from '../nx/project-graph';
import { openWorkspace, type Workspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface PlanOptions {
  cwd: string;
  task?: string;
  validate?: string;
  /** inputs: declaration-only build inputs for the target's dependents (see run-inputs-plan.ts). */
  kind?: PlanKind | 'inputs';
  budget?: number;
  out?: string;
  json: boolean;
  /** local (default): the local planner only; agent: ask the agent; auto: ask it when the local plan is not good enough. */
  planner?: PlannerMode;
  /** auto: ask the agent even when the local plan is valid. */
  agentReview?: boolean;
  /** --model, --base-url, --api, --timeout, --max-rounds, --include-source, --no-cache. */
  agent?: AgentFlags;
  /** Print the agent brief and call nothing. */
  printBrief?: boolean;
  /** Write the ticket (docs/exec-plans) and the tracker row (docs/tech-debt-tracker.md). */
  ticket?: boolean;
  /** Environment for the agent settings (OPENAI_API_KEY, OPENAI_BASE_URL, SIXTY_MODEL); default process.env. */
  env?: Record<string, string | undefined>;
}

/** The result of `sixty plan`, also its --json output. */
export interface PlanOutcome {
  plan: Plan;
  validation: PlanValidation;
  planFile: string;
  /** Loop time gain predicted by the analysis what-if, when nx could give the task graph. */
  whatIf: WhatIf | null;
  /** With --planner agent or auto: whether the agent was asked, its rounds, the choice and why. */
  planner?: PlannerReport;
  /** With --ticket: what was written. */
  ticket?: TicketOutcome;
}

function defaultPlanFile(workspace: Workspace, task: string): string {
  const { project, target } = parseTask(task);
  return join(workspace.historyDir, 'plans', `${project}-${target}.json`.replace(/[^A-Za-z0-9._-]/g, '_'));
}

function readWorkspaceFile(root: string, file: string): Buffer | undefined {
  try {
    return readFileSync(join(root, file));
  } catch {
    return undefined;
  }
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Predicts the loop-time gain of splitting the task into the plan's part count (best effort). */
function predictGain(workspace: Workspace, input: PlanningInput, parts: number, budgetSeconds?: number): WhatIf | null {
  if (parts < 2) return null;
  try {
    const stats = computeTargetStats(readHistory(workspace.historyDir).runs);
    const graphs = readNxGraphs(workspace.root, [input.target]);
    const analysis = analyzeGraph({
      taskGraph: graphs.taskGraph,
      projectDependencies: graphs.projectDependencies,
      p90ByTask: new Map(stats.filter((s) => s.executions > 0).map((s) => [s.task, s.p90Ms])),
      parallel: workspace.nxParallel ?? 3,
      budgetMsFor: (task) => budgetMsFor(workspace.options, task, budgetSeconds),
      whatIf: [{ task: input.task, parts }],
    });
    return analysis.whatIf[0] ?? null;
  } catch {
    return null; // the plan stands without the prediction
  }
}

/**
 * The agent planner and the ticket writer, loaded only when asked for: the openai SDK they bring
 * is most of the CLI's start-up, and `sixty check`, `report` and a local `plan` never need it.
 */
let agentPlanningModule: Promise<typeof import('../planning/agent-planning')> | undefined;
const loadAgentPlanning = () => (agentPlanningModule ??= import('../planning/agent-planning'));

/** `plannerLines`: what the agent planner says of its rounds and choice, when it ran. */
export function planSummary(outcome: PlanOutcome, input: PlanningInput, cwd: string, plannerLines: readonly string[] = []): string {
  const { plan } = outcome;
  const parts = plan.kind === 'shard' ? plan.shards : plan.projects;
  const noun = plan.kind === 'shard' ? 'shard' : 'new project';
  const lines = [
    `plan ${plan.task} (${plan.kind}, ${plan.source}): ${parts.length} ${noun}${parts.length === 1 ? '' : 's'} for a ${formatDuration(plan.budgetMs)} budget (p90 now ${formatDuration(input.p90Ms)})`,
  ];
  const width = Math.max(...parts.map((p) => p.name.length));
  for (const part of parts) {
    const over = part.estimatedMs > plan.budgetMs ? '  OVER BUDGET' : '';
    lines.push(`  ${part.name.padEnd(width)}  ${String(part.files.length).padStart(4)} files  ~${formatDuration(part.estimatedMs)}${over}`);
  }
  if (plan.kind === 'split') {
    if (plan.keptFiles) lines.push(`  ${input.project} keeps ${plan.keptFiles.length} files (entry and facade)${plan.keptEstimatedMs !== undefined ? `  ~${formatDuration(plan.keptEstimatedMs)}` : ''}`);
    // estimated from the plan: the part's build, then the heaviest chain of builds that import it
    const loops = splitLoopTimes(plan, input.validation.importEdges ?? [], input.project);
    lines.push(`  loop time of a change to each part (estimated: its build, then every build that waits for it):`);
    for (const loop of loops) {
      const over = loop.loopMs > plan.budgetMs ? '  OVER BUDGET' : '';
      lines.push(`    ${loop.part.padEnd(width)}  ~${formatDuration(loop.loopMs)}${loop.after.length > 0 ? `  (then ${loop.after.join(' -> ')})` : ''}${over}`);
    }
    if (plan.loopFloor) {
      lines.push(`  floor: the module chain ${plan.loopFloor.files.join(' -> ')} rebuilds in a row after a change to its first module (~${formatDuration(plan.loopFloor.estimatedMs)}); no split gets that loop under ${formatDuration(plan.budgetMs)}: break the chain`);
    }
    if (plan.facade?.length) lines.push(`  facade: ${plan.facade.length} re-export${plan.facade.length === 1 ? '' : 's'} keep the public API of ${input.project}`);
  }
  if (plan.kind === 'shard' && plan.oversizedFiles?.length) {
    lines.push(`  alone over budget (split these files): ${plan.oversizedFiles.map((f) => `${f.file} ~${formatDuration(f.estimatedMs)}`).join(', ')}`);
  }
  lines.push(...plannerLines);
  if (outcome.whatIf) {
    const changed = outcome.whatIf.loopTimes.slice(0, 5).map((l) => `${l.project} ${formatDuration(l.beforeMs)} -> ${formatDuration(l.afterMs)}`);
    lines.push(changed.length ? `loop time: ${changed.join(', ')}` : 'loop time: no change predicted (the target is not what bounds any loop)');
  }
  if (outcome.validation.valid) {
    lines.push(`wrote ${shown(cwd, outcome.planFile)}`);
    lines.push(`next: sixty apply ${shown(cwd, outcome.planFile)} --dry-run`);
  } else {
    lines.push('the plan is not valid:', ...outcome.validation.problems.map((p) => `  - ${p}`));
    lines.push(`wrote ${shown(cwd, outcome.planFile)} (for review; apply refuses it)`);
  }
  if (outcome.ticket) {
    lines.push(`ticket: ${outcome.ticket.file}; tracker: ${outcome.ticket.tracker} (row ${outcome.ticket.trackerChange})`);
  }
  return lines.join('\n');
}

/**
 * A split plan is also checked by the decompose generator `sixty apply` runs (writing nothing):
 * one verdict for plan, plan --validate and apply.
 */
function withGeneratorCheck(validation: PlanValidation, workspace: Workspace, planFile: string, output: Output): PlanValidation {
  const relativePath = relative(workspace.root, planFile);
  const generator = checkWithGenerator(workspace.root, relativePath.startsWith('..') || isAbsolute(relativePath) ? planFile : relativePath.split('\\').join('/'));
  if (!generator.ran) output.err(`warning: not checked by the decompose generator: ${generator.reason}`);
  return mergeGeneratorCheck(validation, generator);
}

async function runValidate(options: PlanOptions, workspace: Workspace, output: Output): Promise<number> {
  const file = resolve(options.cwd, options.validate!);
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SixtyError('UNREADABLE_FILE', `cannot read ${options.validate} as JSON: ${error instanceof Error ? error.message : String(error)}`, 'pass the path of a plan written by `sixty plan`');
  }
  const header = document as { task?: unknown; kind?: unknown; budgetMs?: unknown };
  let validation: PlanValidation;
  if (header?.kind === 'inputs') {
    validation = validateInputsPlan(document, { projectRoots: new Map(readProjectGraph(workspace.root).projects.map((p) => [p.name, p.root === '.' ? '' : p.root])) });
  } else if (typeof header?.task === 'string' && (header.kind === 'shard' || header.kind === 'split') && /^[^:\s]+:[^:\s]+$/.test(header.task)) {
    const budget = planBudget(workspace, { task: header.task, budgetMs: header.budgetMs }, options.budget);
    if (budget.note) output.err(`note: ${budget.note}`);
    const context = await gatherValidationContext(workspace, { task: header.task, kind: header.kind, budgetMs: header.budgetMs }, options.budget);
    validation = validatePlan(document, context);
    if (header.kind === 'split') validation = withGeneratorCheck(validation, workspace, file, output);
  } else {
    // without a readable task and kind there is nothing to check against: the schema says why
    validation = validatePlan(document, { projectRoot: '.', projectFiles: [], existingProjects: [], budgetMs: 0 });
  }
  if (options.json) output.out(JSON.stringify(validation, null, 2));
  else if (validation.valid) output.out(`${options.validate}: valid`);
  else output.out([`${options.validate}: not valid`, ...validation.problems.map((p) => `  - ${p}`)].join('\n'));
  return validation.valid ? EXIT.ok : EXIT.failed;
}

export async function runPlan(options: PlanOptions, output: Output): Promise<number> {
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  if (options.validate) return runValidate(options, workspace, output);
  if (!options.task) {
    throw new SixtyError('INVALID_ARGUMENT', 'which target? sixty plan needs project:target (or --validate plan.json)', 'run e.g. `sixty plan lib-c:test`; `sixty report` lists the targets over budget');
  }
  if (options.kind === 'inputs') {
    return runInputsPlan({ cwd: options.cwd, task: options.task, json: options.json, ...(options.out !== undefined ? { out: options.out } : {}), ...(options.budget !== undefined ? { budget: options.budget } : {}) }, workspace, output);
  }
  const kind = options.kind;
  const input = await gatherPlanningInput(workspace, options.task, {
    defaultKind: defaultPlanKind,
    ...(kind ? { kind } : {}),
    ...(options.budget !== undefined ? { budgetSeconds: options.budget } : {}),
  });
  if (input.kind === 'split' && input.p90Ms <= input.budgetMs) {
    output.out(`${input.task} is within its budget (p90 ${formatDuration(input.p90Ms)}, budget ${formatDuration(input.budgetMs)}): nothing to split, no plan written`);
    return EXIT.ok;
  }
  let localPlan: Plan;
  try {
    localPlan = planLocally(input);
  } catch (error) {
    // a split that cannot help is an answer, not a failure to run: say why, write nothing
    if (!isSixtyError(error) || (error.code !== 'WITHIN_BUDGET' && error.code !== 'NO_USEFUL_PLAN')) throw error;
    output.out(`${input.task}: ${error.message}; no plan written\nfix: ${error.fix}`);
    return error.code === 'WITHIN_BUDGET' ? EXIT.ok : EXIT.failed;
  }
  const local = { plan: localPlan, validation: validatePlan(localPlan, input.validation) };
  const env = options.env ?? process.env;
  if (options.printBrief) {
    const agent = await loadAgentPlanning();
    const brief = agent.briefFor(workspace, input, local, agent.agentConfigFor(workspace, options.agent ?? {}, env, output));
    output.out(options.json ? JSON.stringify({ bytes: brief.bytes, sha256: brief.sha256, omitted: brief.omitted, system: brief.system, user: brief.user }, null, 2) : brief.text);
    return EXIT.ok;
  }
  let chosen = local;
  let planner: PlannerReport | undefined;
  if (options.planner === 'agent' || options.planner === 'auto') {
    const agentPlanning = await (await loadAgentPlanning()).planWithAgent(workspace, input, local, { mode: options.planner, agentReview: options.agentReview ?? false, flags: options.agent ?? {}, env }, output);
    chosen = agentPlanning.choice;
    planner = agentPlanning.report;
  }
  // hashes of the planned files let `sixty apply` refuse the plan once they change
  const plan = withFileHashes(chosen.plan, (file) => readWorkspaceFile(workspace.root, file));
  const planFile = options.out ? resolve(options.cwd, options.out) : defaultPlanFile(workspace, input.task);
  mkdirSync(dirname(planFile), { recursive: true });
  writeFileSync(planFile, `${JSON.stringify(plan, null, 2)}\n`);
  const validation = plan.kind === 'split' && chosen.validation.valid ? withGeneratorCheck(chosen.validation, workspace, planFile, output) : chosen.validation;
  const parts = plan.kind === 'shard' ? plan.shards.length : plan.projects.length + 1;
  const outcome: PlanOutcome = { plan, validation, planFile, whatIf: predictGain(workspace, input, parts, options.budget), ...(planner ? { planner } : {}) };
  if (options.ticket) outcome.ticket = (await loadAgentPlanning()).writeTicketAndTracker(workspace, input, { plan, validation }, planFile, planner, new Date().toISOString().slice(0, 10));
  const plannerLines = planner ? (await loadAgentPlanning()).plannerSummaryLines(planner) : [];
  output.out(options.json ? JSON.stringify(outcome, null, 2) : planSummary(outcome, input, options.cwd, plannerLines));
  return validation.valid ? EXIT.ok : EXIT.failed;
}

interface PlanCommandOptions {
  loop: boolean;
  targets?: string[];
  parallel?: number;
  kind?: string;
  budget?: number;
  out?: string;
  validate?: string;
  json: boolean;
  cwd: string;
  planner: string;
  agentReview: boolean;
  model?: string;
  baseUrl?: string;
  api?: string;
  maxRounds?: number;
  timeout?: number;
  includeSource: boolean;
  printBrief: boolean;
  cache: boolean;
  ticket: boolean;
}

export function registerPlanCommand(program: Command, context: CommandContext): void {
  program
    .command('plan')
    .description('Plan the decomposition of a target over budget (shards for tests, new projects for builds), validated')
    .argument('[task]', 'the target to decompose, project:target (with --loop: a project)')
    .option('--loop', "plan the cheapest remedies that bring the project's loop (the wall time of a change to it) under the loop budget", false)
    .option('--targets <list>', 'with --loop: the targets a change runs (default: every target recorded)', commaList)
    .option('--parallel <n>', "with --loop: nx workers (default: nx.json's parallel, else 3)", positiveInteger)
    .option('--kind <kind>', 'shard | split | inputs (default: shard for test targets, split otherwise; inputs: the dependents\' builds hash this build\'s declarations, not its sources)')
    .option('--budget <seconds>', 'override the configured budget', positiveSeconds)
    .option('--out <file>', 'where to write the plan (default: <historyDir>/plans/<project>-<target>.json)')
    .option('--validate <plan.json>', 'check a plan file instead: exit 0 valid, 1 invalid (reasons listed), 2 unreadable')
    .option('--planner <planner>', 'local | agent | auto: auto asks the agent only when the local plan is not valid or leaves a part over budget', 'local')
    .option('--agent-review', 'with --planner auto: ask the agent even when the local plan is valid', false)
    .option('--model <name>', 'agent model (default: SIXTY_MODEL, nx.json agent.model, gpt-4.1-mini)')
    .option('--base-url <url>', 'OpenAI-compatible API base URL (default: OPENAI_BASE_URL, nx.json agent.baseUrl, https://api.openai.com/v1)')
    .option('--api <api>', 'chat (Chat Completions, default) | responses (Responses API)')
    .option('--max-rounds <n>', 'agent calls at most: the first plus repairs with the validator\'s problems (default 3)', positiveInteger)
    .option('--timeout <seconds>', 'hard limit of one agent request (default 120)', positiveSeconds)
    .option('--include-source', 'send file contents to the agent (size-capped); off by default', false)
    .option('--print-brief', 'print what the agent would be sent, and call nothing', false)
    .option('--no-cache', 'ask the agent again even when an answer for the same brief is cached')
    .option('--ticket', 'write docs/exec-plans/<project>-<target>-<date>.md and the row in docs/tech-debt-tracker.md', false)
    .option('--json', 'print the plan, its validation and the predicted gain as JSON', false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  sixty plan lib-c:test',
        '  sixty plan lib-f:build --kind split --out plan.json',
        '  sixty plan core:build --kind inputs',
        '  sixty plan lib-c:test --planner auto --ticket',
        '  sixty plan lib-c:test --planner agent --base-url http://127.0.0.1:8000/v1 --model qwen2.5-coder',
        '  sixty plan lib-c:test --planner agent --print-brief',
        '  sixty plan --validate plan.json',
        '  sixty plan lib-a --loop            # remedies for the loop of a change to lib-a',
        '',
        'The agent reads OPENAI_API_KEY (never printed), OPENAI_BASE_URL and SIXTY_MODEL, and the',
        '@sixty/nx option "agent" in nx.json; flags win.',
      ].join('\n'),
    )
    .action(async (task: string | undefined, opts: PlanCommandOptions) => {
      if (opts.loop) {
        if (task === undefined || task.includes(':')) {
          throw new SixtyError('INVALID_ARGUMENT', `--loop plans a project's loop: give a project${task ? `, not the target ${task}` : ''}`, `e.g. sixty plan ${task?.split(':')[0] || 'lib-a'} --loop`);
        }
        const clashing = (['kind', 'validate', 'out'] as const).filter((flag) => opts[flag] !== undefined);
        if (clashing.length > 0 || opts.planner !== 'local' || opts.ticket) {
          throw new SixtyError('INVALID_ARGUMENT', `--loop does not take ${clashing.map((flag) => `--${flag}`).join(', ') || '--planner/--ticket'}`, 'plan a loop with --loop [--targets] [--parallel] [--budget] [--json]; plan one target without --loop');
        }
        context.setExit(
          runPlanLoop(
            {
              cwd: opts.cwd,
              project: task,
              json: opts.json,
              ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
              ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
            },
            context.output,
          ),
        );
        return;
      }
      if (opts.targets !== undefined || opts.parallel !== undefined) {
        throw new SixtyError('INVALID_ARGUMENT', '--targets and --parallel go with --loop', 'add --loop to plan a project\'s loop, or leave them out to plan one target');
      }
      if (opts.kind !== undefined && opts.kind !== 'shard' && opts.kind !== 'split' && opts.kind !== 'inputs') {
        throw new SixtyError('INVALID_ARGUMENT', `unknown --kind "${opts.kind}"`, 'use --kind shard (test files into shards), --kind split (the project into new projects) or --kind inputs (declaration-only build inputs for its dependents)');
      }
      if (opts.planner !== 'local' && opts.planner !== 'agent' && opts.planner !== 'auto') {
        throw new SixtyError('INVALID_ARGUMENT', `unknown --planner "${opts.planner}"`, 'use --planner local (default), agent (always ask the model) or auto (ask it when the local plan is not good enough)');
      }
      const agent: AgentFlags = {
        cache: opts.cache,
        includeSource: opts.includeSource,
        ...(opts.model !== undefined ? { model: opts.model } : {}),
        ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.api !== undefined ? { api: opts.api } : {}),
        ...(opts.maxRounds !== undefined ? { maxRounds: opts.maxRounds } : {}),
        ...(opts.timeout !== undefined ? { timeoutMs: Math.round(opts.timeout * 1000) } : {}),
      };
      context.setExit(
        await runPlan(
          {
            cwd: opts.cwd,
            json: opts.json,
            ...(task !== undefined ? { task } : {}),
            ...(opts.validate !== undefined ? { validate: opts.validate } : {}),
            ...(opts.kind !== undefined ? { kind: opts.kind as PlanKind | 'inputs' } : {}),
            ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
            ...(opts.out !== undefined ? { out: opts.out } : {}),
            planner: opts.planner,
            agentReview: opts.agentReview,
            agent,
            printBrief: opts.printBrief,
            ticket: opts.ticket,
          },
          context.output,
        ),
      );
    });
}
