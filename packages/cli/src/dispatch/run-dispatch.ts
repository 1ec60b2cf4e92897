import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import {
  budgetMsFor,
  decideOutcome,
  dispatchBranchName,
  dispatchSlug,
  dispatchDirectory,
  dispatchId,
  DISPATCH_SCHEMA_VERSION,
  overBudgetBefore,
  overBudgetOf,
  setTrackerStatus,
  shardTargetsOf,
  SixtyError,
  timingsAfter,
  writeDispatchRecord,
  type CheckResult,
  type DispatchPart,
  type DispatchPolicy,
  type DispatchRecord,
  type TaskTiming,
} from '@sixty/core';
import type { Workspace } from '../workspace';
import { runAgent } from './agent-process';
import { loopTimeOf, readTaskGraph, type ReportBefore } from './budget-measures';
import { lastLines, runSixty } from './child-process';
import { measureTasks, projectTargetNames, restoredTaskTime } from './task-measures';
import { ticketPathInWorktree, writeTicket, type DispatchTarget } from './ticket-source';
import { linkNodeModules, nxCacheDirectory, seedHistory } from './worktree-environment';
import { addWorktree, branchHasCommits, commitStaged, deleteBranch, removeWorktree, stageChanges, worktreeHead, writePatch } from './worktree';

/** The tracker whose row of the task moves to done when its dispatch passes. */
export const TRACKER_FILE = 'docs/tech-debt-tracker.md';

/** Nx's own default worker count when nx.json sets none (as `sixty report`). */
const NX_DEFAULT_PARALLEL = 3;

/** Everything dispatches of one `sixty dispatch` share. */
export interface DispatchSession {
  workspace: Workspace;
  gitTop: string;
  /** HEAD when the command started: every dispatch starts from it and the check compares against it. */
  base: string;
  baseDirty: boolean;
  policy: DispatchPolicy;
  agentCmd: string;
  /** --budget: overrides every configured budget (report, plan, check). */
  budgetSeconds: number | undefined;
  /** --targets of the check. */
  targets: string[] | undefined;
  keepWorktree: boolean;
  before: ReportBefore;
  env: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  /** The agent's output as it arrives (--verbose), or undefined. */
  agentOutput: ((text: string) => void) | undefined;
}

const shown = (root: string, path: string): string => {
  const rel = relative(root, path);
  return rel && !rel.startsWith('..') ? rel : path;
};

function parseTask(task: string): { project: string; target: string } {
  const [project = task, target = ''] = task.split(':');
  return { project, target };
}

async function runCheck(session: DispatchSession, worktreeWorkspace: string, env: NodeJS.ProcessEnv): Promise<{ check: CheckResult | null; error: string | null }> {
  const args = ['check', '--strict', '--json', '--base', session.base, '--cwd', worktreeWorkspace];
  if (session.budgetSeconds !== undefined) args.push('--budget', String(session.budgetSeconds));
  if (session.targets) args.push('--targets', session.targets.join(','));
  const result = await runSixty(args, { cwd: worktreeWorkspace, env });
  if (result.code === 2) return { check: null, error: lastLines(result.stderr) || 'sixty check exited 2' };
  try {
    return { check: JSON.parse(result.stdout) as CheckResult, error: null };
  } catch {
    return { check: null, error: `sixty check did not print JSON: ${lastLines(result.stderr || result.stdout)}` };
  }
}

/**
 * One dispatch: a worktree on a new branch from the session's base, the ticket, the agent with
 * its limits, `sixty check --strict` against the base, the verdict, then clean-up (the worktree
 * stays when it failed or was asked to stay). Setup problems throw a SixtyError after removing
 * what they created; everything after the agent started is a record.
 */
export async function runDispatch(session: DispatchSession, target: DispatchTarget): Promise<DispatchRecord> {
  const { workspace, gitTop, base } = session;
  const startedMs = Date.now();
  const task = target.task;
  const { project } = parseTask(task);
  const shortId = randomBytes(3).toString('hex');
  const id = dispatchId(task, shortId);
  const branch = dispatchBranchName(task, shortId);
  const scratch = mkdtempSync(join(tmpdir(), 'sixty-dispatch-'));
  const worktreeTop = join(scratch, basename(gitTop));
  const worktreeWorkspace = join(worktreeTop, relative(gitTop, workspace.root));
  const historyDir = join(scratch, 'history');
  const logDir = dispatchDirectory(workspace.historyDir);
  mkdirSync(logDir, { recursive: true });
  const budgetMs = budgetMsFor(workspace.options, parseTask(task), session.budgetSeconds);
  const beforeTarget = session.before.targets.find((t) => t.task === task);
  const taskMsBefore = beforeTarget && beforeTarget.executions > 0 ? beforeTarget.p90Ms : null;
  const notes: string[] = [];
  if (session.baseDirty) notes.push(`your uncommitted changes are not part of this dispatch: it starts from HEAD ${base.slice(0, 12)}`);

  addWorktree(gitTop, worktreeTop, branch, base);
  const discard = (): void => {
    removeWorktree(gitTop, worktreeTop);
    if (!branchHasCommits(gitTop, branch, base)) deleteBranch(gitTop, branch);
    rmSync(scratch, { recursive: true, force: true });
  };

  let ticket: { path: string; content: string; source: DispatchRecord['ticketSource'] };
  let env: NodeJS.ProcessEnv;
  try {
    if (!linkNodeModules(workspace.root, worktreeWorkspace, gitTop, worktreeTop) && !existsSync(join(worktreeWorkspace, 'node_modules'))) {
      notes.push('the workspace has no node_modules to link: the worktree builds without installed packages');
    }
    seedHistory(workspace.historyDir, historyDir);
    env = {
      ...session.env,
      SIXTY_HISTORY_DIR: historyDir,
      NX_CACHE_DIRECTORY: nxCacheDirectory(workspace.root, session.env),
      // a daemon per temporary worktree would outlive it
      NX_DAEMON: session.env.NX_DAEMON ?? 'false',
      NX_TUI: 'false',
    };
    delete env.SIXTY_REQUEST_ID;
    if (target.kind === 'ticket') {
      ticket = { path: ticketPathInWorktree(target.path, gitTop, worktreeTop), content: target.content, source: 'file' };
    } else {
      session.progress(`sixty dispatch: writing the ticket for ${task} (sixty plan)...`);
      const written = await writeTicket({
        task,
        worktreeWorkspace,
        env,
        budgetSeconds: session.budgetSeconds,
        minimalTicketFile: join(logDir, `${id}.ticket.md`),
        // in the worktree's (ignored) history dir, as `sixty plan` in the user's tree would put it
        planFile: isAbsolute(workspace.options.historyDir) ? undefined : join(worktreeWorkspace, workspace.options.historyDir, 'plans', `${dispatchSlug(task)}.json`),
        base,
        p90Ms: taskMsBefore,
        budgetMs,
      });
      if (written.note) notes.push(written.note);
      ticket = { path: written.path, content: written.content, source: written.source };
    }
  } catch (error) {
    discard();
    throw error;
  }

  const agentLog = join(logDir, `${id}.agent.log`);
  session.progress(`sixty dispatch: ${task} -> ${branch}, agent running (limit ${Math.round(session.policy.timeoutMs / 1000)}s)...`);
  const agent = await runAgent({
    command: session.agentCmd,
    cwd: worktreeWorkspace,
    env: {
      ...env,
      SIXTY_TICKET: ticket.path,
      SIXTY_TASK: task,
      SIXTY_BUDGET_SECONDS: String(budgetMs / 1000),
      SIXTY_DISPATCH_ID: id,
      SIXTY_DISPATCH_BASE: base,
    },
    stdin: ticket.content,
    timeoutMs: session.policy.timeoutMs,
    stallMs: session.policy.stallMs,
    logFile: agentLog,
    ...(session.agentOutput ? { onOutput: session.agentOutput } : {}),
  });

  const agentStopped = agent.timedOut || agent.stalled;
  const agentMissing = agent.exitCode === 127 || agent.exitCode === 126;
  let check: CheckResult | null = null;
  let checkError: string | null = null;
  let graphTasks: Set<string> | undefined;
  let loopTimeAfter: number | null = null;
  if (!agentStopped && !agentMissing) {
    session.progress(`sixty dispatch: ${task}: agent exited ${agent.exitCode ?? agent.signal}; sixty check --strict in the worktree...`);
    ({ check, error: checkError } = await runCheck(session, worktreeWorkspace, env));
  }
  const measured = new Map<string, { ms: number; budgetMs: number }>();
  const parts: DispatchPart[] = [];
  if (check && agent.exitCode === 0 && check.failures.length === 0) {
    const targetNames = await projectTargetNames(project, worktreeWorkspace, env);
    const shards = shardTargetsOf(targetNames, parseTask(task).target);
    const ownTask = check.tasks.find((t) => t.task === task);
    if (shards.length > 0) {
      // the agent sharded the task (sixty apply): its shards replace it, each must fit the budget
      session.progress(`sixty dispatch: ${task}: running its ${shards.length} shards once without the cache...`);
      for (const [shard, time] of await measureTasks(project, shards, worktreeWorkspace, historyDir, env)) parts.push({ task: shard, ms: time.ms, budgetMs, ok: time.ok });
      measured.set(task, { ms: Math.max(...parts.map((p) => p.ms)), budgetMs });
      for (const part of parts) measured.set(part.task, { ms: part.ms, budgetMs });
    } else if (ownTask && ownTask.cache !== 'none' && ownTask.status !== 'failure') {
      // the change may already be in the cache (an earlier dispatch, the agent's own run): then the
      // task's time is that of the run that produced the result, not its old p90
      const time = await restoredTaskTime(task, worktreeWorkspace, historyDir, env);
      if (time) {
        measured.set(task, { ms: time.ms, budgetMs: ownTask.budgetMs });
        notes.push(`${task} came from the Nx cache: its time is ${time.how === 'recorded' ? 'that of the run that cached it' : 'measured by running it again without the cache'}`);
      }
    }
  }
  const before = session.before.targets;
  let timings = timingsAfter({ before, check, measured });
  if (check) {
    const targetNames = [...new Set([...before.map((t) => t.target), ...check.tasks.map((t) => parseTask(t.task).target)])].sort();
    const graphs = await readTaskGraph(worktreeWorkspace, targetNames, env);
    if (graphs) {
      graphTasks = new Set(graphs.taskGraph.tasks.map((t) => t.id));
      timings = timingsAfter({ before, check, tasksAfter: graphTasks, measured });
      loopTimeAfter = loopTimeOf(graphs, timings, project, workspace.nxParallel ?? NX_DEFAULT_PARALLEL, (t) => budgetMsFor(workspace.options, t, session.budgetSeconds));
    }
  }
  const overBefore = overBudgetBefore(before);
  const overAfter = check ? overBudgetOf(timings) : overBefore;
  // gone from the graph: the agent replaced the task by its parts, which the check measured
  const gone = graphTasks !== undefined && !graphTasks.has(task);
  const taskAfter: TaskTiming | null = gone ? null : (timings.get(task) ?? (taskMsBefore !== null ? { ms: taskMsBefore, budgetMs, source: 'history' } : null));
  const decision = decideOutcome({
    task,
    agent,
    limits: { timeoutMs: session.policy.timeoutMs, stallMs: session.policy.stallMs },
    check,
    checkError,
    taskAfter,
    overBudgetBefore: overBefore,
    overBudgetAfter: overAfter,
    parts,
  });
  const passed = decision.outcome === 'passed';

  let trackerUpdated = false;
  if (passed) {
    const trackerPath = join(worktreeWorkspace, TRACKER_FILE);
    if (existsSync(trackerPath)) {
      const update = setTrackerStatus(readFileSync(trackerPath, 'utf8'), task, 'done');
      if (update.changed > 0) writeFileSync(trackerPath, update.markdown);
      trackerUpdated = update.rows > 0;
      if (update.rows === 0) notes.push(`${TRACKER_FILE} has no row for ${task}: nothing to mark done`);
    }
  }

  const nodeModules = relative(worktreeTop, join(worktreeWorkspace, 'node_modules')).split('\\').join('/');
  const filesChanged = stageChanges(worktreeTop, base, [nodeModules]);
  let patchFile: string | null = null;
  if (filesChanged.length > 0) {
    patchFile = join(logDir, `${id}.patch`);
    writePatch(worktreeTop, base, patchFile);
  }
  let commit: string | null = null;
  let commitError = false;
  if (passed && session.policy.commit && filesChanged.length > 0) {
    try {
      commit = commitStaged(worktreeTop, `sixty dispatch: ${task} under budget\n\n${decision.reason}\n\nagent: ${session.agentCmd}\ndispatch: ${id}\n`);
    } catch (error) {
      commitError = true;
      notes.push(error instanceof Error ? error.message : String(error));
    }
  }

  // the agent may have committed on the branch itself: the branch then carries its work
  if (commit === null && filesChanged.length > 0) {
    const head = worktreeHead(worktreeTop);
    if (head !== base) commit = head;
  }
  // an error (the agent could not start) leaves nothing behind; a failure stays for a look
  const commitFailed = passed && session.policy.commit && filesChanged.length > 0 && commitError;
  const keep = decision.outcome !== 'error' && (session.keepWorktree || !passed || commitFailed);
  if (!keep) discard();
  const finishedMs = Date.now();
  const record: DispatchRecord = {
    schemaVersion: DISPATCH_SCHEMA_VERSION,
    id,
    task,
    ticket: ticket.path,
    ticketSource: ticket.source,
    branch,
    worktree: worktreeWorkspace,
    worktreeKept: keep,
    base,
    baseDirty: session.baseDirty,
    startedAt: new Date(startedMs).toISOString(),
    finishedAt: new Date(finishedMs).toISOString(),
    ms: finishedMs - startedMs,
    budgetMs,
    agent: {
      command: session.agentCmd,
      exitCode: agent.exitCode,
      signal: agent.signal,
      ms: agent.ms,
      timedOut: agent.timedOut,
      stalled: agent.stalled,
      logFile: shown(workspace.root, agentLog),
      lastOutput: agent.lastOutput,
    },
    filesChanged,
    commit,
    patchFile: patchFile ? shown(workspace.root, patchFile) : null,
    check,
    overBudgetBefore: overBefore,
    overBudgetAfter: overAfter,
    taskMsBefore,
    taskMsAfter: check ? (taskAfter?.ms ?? null) : null,
    loopTimeBefore: session.before.loopTimes?.find((l) => l.project === project)?.ms ?? null,
    loopTimeAfter,
    parts,
    trackerUpdated,
    outcome: decision.outcome,
    reason: decision.reason,
    notes,
  };
  writeDispatchRecord(workspace.historyDir, record);
  return record;
}

/** The error a dispatch whose agent could not start ends with (exit 2). */
export function agentNotFoundError(record: DispatchRecord): SixtyError {
  return new SixtyError(
    'AGENT_NOT_FOUND',
    `${record.reason}: ${record.agent.command}${record.agent.lastOutput ? ` (${lastLines(record.agent.lastOutput, 1)})` : ''}`,
    'check the command runs in a shell at the workspace root (is it installed and on PATH?), then pass it with --agent-cmd or set dispatch.agentCmd in nx.json',
  );
}
