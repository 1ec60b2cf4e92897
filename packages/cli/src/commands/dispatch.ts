import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  DEFAULT_DISPATCH_POLICY,
  DISPATCH_SANDBOXES,
  parseDurationMs,
  renderDispatchBatchText,
  renderDispatchText,
  SixtyError,
  DISPATCH_SCHEMA_VERSION,
  type DispatchOutcome,
  type DispatchPolicy,
  type DispatchRecord,
  type DispatchSandbox,
} from '@sixty/core';
import { commaList, positiveInteger, positiveSeconds } from '../arguments';
import type { CommandContext } from '../command-context';
import { gitTopLevel } from '../git/repository';
import { openWorkspace } from '../workspace';
import { EXIT, type Output } from '../output';
import { stopAllAgents } from '../dispatch/agent-process';
import { assertSandboxAvailable } from '../dispatch/agent-sandbox';
import { overBudgetTasks, readReportBefore } from '../dispatch/budget-measures';
import { agentNotFoundError, runDispatch, type DispatchSession } from '../dispatch/run-dispatch';
import { resolveDispatchTarget, type DispatchTarget } from '../dispatch/ticket-source';
import { hasUncommittedChanges, headCommit } from '../dispatch/worktree';
import { assertTargets } from './check';

export interface DispatchOptions {
  cwd: string;
  /** A ticket file or project:target; absent with allOverBudget. */
  target?: string;
  allOverBudget: boolean;
  agentCmd?: string;
  timeoutMs?: number;
  stallMs?: number;
  maxConcurrent?: number;
  /** --commit / --no-commit: overrides the policy. */
  commit?: boolean;
  /** --sandbox: overrides the policy. */
  sandbox?: DispatchSandbox;
  keepWorktree: boolean;
  budget?: number;
  targets?: string[];
  json: boolean;
  verbose: boolean;
}

function sandboxKind(value: string): DispatchSandbox {
  const kind = DISPATCH_SANDBOXES.find((k) => k === value);
  if (kind === undefined) throw new InvalidArgumentError(`expected ${DISPATCH_SANDBOXES.join(' or ')}`);
  return kind;
}

function duration(flag: string, example: string): (value: string) => number {
  return (value) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) throw new InvalidArgumentError(`expected a duration such as ${example} (ms, s, m or h; a bare number is seconds)`);
    return ms;
  };
}

/** Exit code of a set of dispatches: 2 when one could not run its agent, 1 when one failed, else 0. */
function exitCodeOf(outcomes: DispatchOutcome[]): number {
  if (outcomes.includes('error')) return EXIT.usage;
  return outcomes.every((o) => o === 'passed') ? EXIT.ok : EXIT.failed;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order in the results. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export async function runDispatchCommand(options: DispatchOptions, output: Output): Promise<number> {
  if (!options.target && !options.allOverBudget) {
    throw new SixtyError('INVALID_ARGUMENT', 'what to dispatch? pass a ticket file, a task (project:target), or --all-over-budget', 'run e.g. `sixty dispatch lib-c:test --agent-cmd "my-agent"`; `sixty report` lists the targets over budget');
  }
  if (options.target && options.allOverBudget) {
    throw new SixtyError('INVALID_ARGUMENT', `pass either ${options.target} or --all-over-budget, not both`, 'dispatch one ticket, or every target over budget');
  }
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const configured: DispatchPolicy = workspace.options.dispatch ?? DEFAULT_DISPATCH_POLICY;
  const policy: DispatchPolicy = {
    agentCmd: options.agentCmd ?? configured.agentCmd,
    timeoutMs: options.timeoutMs ?? configured.timeoutMs,
    stallMs: options.stallMs ?? configured.stallMs,
    maxConcurrent: options.maxConcurrent ?? configured.maxConcurrent,
    commit: options.commit ?? configured.commit,
    sandbox: options.sandbox ?? configured.sandbox,
  };
  if (policy.sandbox === 'bwrap') assertSandboxAvailable();
  if (!policy.agentCmd) {
    throw new SixtyError('INVALID_ARGUMENT', 'no agent command: sixty dispatch needs the command line of your coding agent', 'pass --agent-cmd "<command>" or set "dispatch": { "agentCmd": "<command>" } in the @sixty/nx options of nx.json');
  }
  const gitTop = gitTopLevel(workspace.root);
  const target: DispatchTarget | null = options.target ? resolveDispatchTarget(options.target, options.cwd) : null;
  const base = headCommit(gitTop);
  const progress = (line: string): void => {
    if (!options.json || options.verbose) output.err(line);
  };

  const before = readReportBefore(workspace, options.budget);
  const session: DispatchSession = {
    workspace,
    gitTop,
    base,
    baseDirty: hasUncommittedChanges(gitTop),
    policy,
    agentCmd: policy.agentCmd,
    budgetSeconds: options.budget,
    targets: options.targets,
    keepWorktree: options.keepWorktree,
    before,
    env: process.env,
    progress,
    agentOutput: options.verbose ? (text) => output.err(text.replace(/\n$/, '')) : undefined,
  };
  if (session.baseDirty) progress(`note: you have uncommitted changes; the dispatch starts from HEAD ${base.slice(0, 12)} without them`);

  // an interrupted dispatch must not leave its agents running; the worktrees stay for a look
  const onSignal = (): void => {
    stopAllAgents();
    output.err('sixty dispatch: interrupted; the agents were stopped, their worktrees are left (git worktree list)');
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (target) {
      const record = await runDispatch(session, target);
      output.out(options.json ? JSON.stringify(record, null, 2) : renderDispatchText(record));
      if (record.outcome === 'error') throw agentNotFoundError(record);
      return exitCodeOf([record.outcome]);
    }
    const tasks = overBudgetTasks(before);
    progress(`sixty dispatch: ${tasks.length} target${tasks.length === 1 ? '' : 's'} over budget${tasks.length ? `: ${tasks.join(', ')}` : ''}; at most ${policy.maxConcurrent} at a time`);
    const records: DispatchRecord[] = await inPool(tasks, policy.maxConcurrent, async (task) => {
      const record = await runDispatch(session, { kind: 'task', task });
      if (!options.json) progress(renderDispatchText(record));
      return record;
    });
    const outcomes = records.map((r) => r.outcome);
    output.out(
      options.json
        ? JSON.stringify({ schemaVersion: DISPATCH_SCHEMA_VERSION, ok: outcomes.every((o) => o === 'passed'), dispatches: records }, null, 2)
        : renderDispatchBatchText(records),
    );
    const missing = records.find((r) => r.outcome === 'error');
    if (missing) throw agentNotFoundError(missing);
    return exitCodeOf(outcomes);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export function registerDispatchCommand(program: Command, context: CommandContext): void {
  program
    .command('dispatch')
    .description('Hand a ticket to a coding agent in its own git worktree; accept its work only when `sixty check --strict` passes under budget')
    .argument('[ticket]', 'a ticket file (docs/exec-plans/*.md) or a task, project:target (its ticket is written with `sixty plan --ticket`)')
    .option('--agent-cmd <command>', 'the agent, run through the shell in the worktree with the ticket on stdin (default: dispatch.agentCmd in nx.json)')
    .option('--all-over-budget', 'one dispatch per target over budget (from `sixty report`)', false)
    .option('--max-concurrent <n>', 'with --all-over-budget: dispatches at once (default: dispatch.maxConcurrent, else 2)', positiveInteger)
    .option('--timeout <duration>', 'stop the agent after this long, e.g. 30m (default: dispatch.timeoutMs, else 30m)', duration('--timeout', '30m'))
    .option('--stall <duration>', 'stop the agent after this long without output, e.g. 5m (default: dispatch.stallMs, else 5m)', duration('--stall', '5m'))
    .option('--commit', 'commit a passing dispatch on its branch (default: dispatch.commit)')
    .option('--no-commit', 'do not commit, even if the policy says so')
    .option('--sandbox <kind>', 'bwrap: run the agent in a bubblewrap sandbox where your checkout is read-only (default: dispatch.sandbox, else none)', sandboxKind)
    .option('--keep-worktree', 'keep the worktree even when the dispatch passes', false)
    .option('--budget <seconds>', 'override every configured budget (report, plan, check)', positiveSeconds)
    .option('--targets <list>', 'targets the check runs (default: build,test,lint,typecheck)', commaList)
    .option('--json', 'print the dispatch record (schema version 1) as JSON', false)
    .option('--verbose', "stream the agent's output to stderr", false)
    .option('--cwd <dir>', 'workspace directory', process.cwd())
    .addHelpText(
      'after',
      [
        '',
        'The agent gets the ticket on stdin and SIXTY_TICKET (path), SIXTY_TASK, SIXTY_BUDGET_SECONDS in its',
        'environment, and works in a worktree on branch sixty/<project>-<target>-<id> from HEAD. Then',
        '`sixty check --strict` runs there against HEAD (unchanged tasks come from the shared Nx cache).',
        '  exit 0  passed: the affected tasks pass and the target fits its budget',
        '  exit 1  failed, timed out or stalled: the worktree is kept and its path printed',
        '  exit 2  usage or setup problem (not a git repo, unknown ticket, agent command not found)',
        'Before and after the agent, your checkout (HEAD, branch, index, changed and untracked files) is',
        'fingerprinted: any change fails the dispatch and is listed (nothing is restored for you).',
        'Run logs: <historyDir>/dispatch/<id>.json (and .agent.log, .patch); `sixty report` lists outcomes.',
        '',
        'Examples:',
        '  sixty dispatch lib-c:test --agent-cmd "claude -p --dangerously-skip-permissions" --timeout 30m',
        '  sixty dispatch docs/exec-plans/lib-c-test-2026-11-25.md --agent-cmd "codex exec -" --json',
        '  sixty dispatch --all-over-budget --max-concurrent 2',
      ].join('\n'),
    )
    .action(
      async (
        ticket: string | undefined,
        // commander's names: --timeout and --stall in seconds, the rest as DispatchOptions names them
        opts: Omit<DispatchOptions, 'target' | 'timeoutMs' | 'stallMs'> & { timeout?: number; stall?: number },
      ) => {
        context.setExit(
          await runDispatchCommand(
            {
              cwd: opts.cwd,
              allOverBudget: opts.allOverBudget,
              keepWorktree: opts.keepWorktree,
              json: opts.json,
              verbose: opts.verbose,
              ...(ticket !== undefined ? { target: ticket } : {}),
              ...(opts.agentCmd !== undefined ? { agentCmd: opts.agentCmd } : {}),
              ...(opts.maxConcurrent !== undefined ? { maxConcurrent: opts.maxConcurrent } : {}),
              ...(opts.timeout !== undefined ? { timeoutMs: opts.timeout } : {}),
              ...(opts.stall !== undefined ? { stallMs: opts.stall } : {}),
              ...(opts.commit !== undefined ? { commit: opts.commit } : {}),
              ...(opts.sandbox !== undefined ? { sandbox: opts.sandbox } : {}),
              ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
              ...(opts.targets !== undefined ? { targets: assertTargets(opts.targets) } : {}),
            },
            context.output,
          ),
        );
      },
    );
}
