import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, relative } from 'node:path';
import {
  budgetMsFor,
  checkoutChanges,
  decideOutcome,
  formatDuration,
  isSixtyError,
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
import { runAgent, type AgentRunResult } from './agent-process';
import type { SandboxPaths } from './agent-sandbox';
import { fingerprintCheckout, gitCommonDirectory, unchangedFiles } from './checkout-snapshot';
import { loopTimeOf, readTaskGraph, type ReportBefore } from './budget-measures';
import { lastLines } from '../process/run-process';
import { runSixty } from './child-process';
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

/** Split at the first colon: target names may hold colons (`test:lib`). */
function parseTask(task: string): { project: string; target: string } {
  const at = task.indexOf(':');
  return at < 0 ? { project: task, target: '' } : { project: task.slice(0, at), target: task.slice(at + 1) };
}

/** One dispatch in progress: its names and places. */
interface DispatchRun {
  task: string;
  project: string;
  target: string;
  id: string;
  branch: string;
  /** Temporary directory holding the worktree and the dispatch's history. */
  scratch: string;
  worktreeTop: string;
  worktreeWorkspace: string;
  historyDir: string;
  /** <historyDir>/dispatch of the user's workspace: run log, agent log, patch. */
  logDir: string;
  budgetMs: number;
  taskMsBefore: number | null;
  /** The worktree's environment: its history, the shared Nx cache, no daemon. */
  env: NodeJS.ProcessEnv;
  notes: string[];
}

interface Ticket {
  path: string;
  content: string;
  source: DispatchRecord['ticketSource'];
}

function planDispatch(session: DispatchSession, task: string): DispatchRun {
  const { workspace, gitTop } = session;
  const { project, target } = parseTask(task);
  const shortId = randomBytes(3).toString('hex');
  const scratch = mkdtempSync(join(tmpdir(), 'sixty-dispatch-'));
  const worktreeTop = join(scratch, basename(gitTop));
  const historyDir = join(scratch, 'history');
  const beforeTarget = session.before.targets.find((t) => t.task === task);
  return {
    task,
    project,
    target,
    id: dispatchId(task, shortId),
    branch: dispatchBranchName(task, shortId),
    scratch,
    worktreeTop,
    worktreeWorkspace: join(worktreeTop, relative(gitTop, workspace.root)),
    historyDir,
    logDir: dispatchDirectory(workspace.historyDir),
    budgetMs: budgetMsFor(workspace.options, { project, target }, session.budgetSeconds),
    taskMsBefore: beforeTarget && beforeTarget.executions > 0 ? beforeTarget.p90Ms : null,
    env: {
      ...session.env,
      SIXTY_HISTORY_DIR: historyDir,
      NX_CACHE_DIRECTORY: nxCacheDirectory(workspace.root, session.env),
      // a daemon per temporary worktree would outlive it
      NX_DAEMON: session.env.NX_DAEMON ?? 'false',
      NX_TUI: 'false',
      SIXTY_REQUEST_ID: undefined,
    },
    notes: session.baseDirty ? [`your uncommitted changes are not part of this dispatch: it starts from HEAD ${session.base.slice(0, 12)}`] : [],
  };
}

/**
 * `--sandbox bwrap`: the user's checkout read-only; the git database writable (the agent commits
 * on its branch in it) except the checkout's own HEAD and index; the shared Nx cache and the
 * dispatch's scratch directory writable.
 */
function sandboxPaths(session: DispatchSession, run: DispatchRun): SandboxPaths {
  const common = gitCommonDirectory(session.gitTop);
  return {
    readOnly: [session.gitTop],
    writable: [common, run.env.NX_CACHE_DIRECTORY ?? '', run.scratch].filter(Boolean),
    pinned: [join(common, 'HEAD'), join(common, 'index')],
  };
}

/** Removes the worktree, its branch when nothing was committed on it, and the scratch directory. */
function discard(session: DispatchSession, run: DispatchRun): void {
  removeWorktree(session.gitTop, run.worktreeTop);
  if (!branchHasCommits(session.gitTop, run.branch, session.base)) deleteBranch(session.gitTop, run.branch);
  rmSync(run.scratch, { recursive: true, force: true });
}

/** The worktree with the user's packages and history, and the ticket for the agent. */
async function setUp(session: DispatchSession, run: DispatchRun, target: DispatchTarget): Promise<Ticket> {
  const { workspace, gitTop } = session;
  mkdirSync(run.logDir, { recursive: true });
  addWorktree(gitTop, run.worktreeTop, run.branch, session.base);
  if (!linkNodeModules(workspace.root, run.worktreeWorkspace, gitTop, run.worktreeTop) && !existsSync(join(run.worktreeWorkspace, 'node_modules'))) {
    run.notes.push('the workspace has no node_modules to link: the worktree builds without installed packages');
  }
  seedHistory(workspace.historyDir, run.historyDir);
  if (target.kind === 'ticket') {
    return { path: ticketPathInWorktree(target.path, gitTop, run.worktreeTop), content: target.content, source: 'file' };
  }
  session.progress(`sixty dispatch: writing the ticket for ${run.task} (sixty plan --ticket)...`);
  const written = await writeTicket({
    task: run.task,
    worktreeWorkspace: run.worktreeWorkspace,
    env: run.env,
    budgetSeconds: session.budgetSeconds,
    minimalTicketFile: join(run.logDir, `${run.id}.ticket.md`),
    // in the worktree's (ignored) history dir, where `sixty plan` in the user's tree would put it
    planFile: isAbsolute(workspace.options.historyDir) ? undefined : join(run.worktreeWorkspace, workspace.options.historyDir, 'plans', `${dispatchSlug(run.task)}.json`),
    base: session.base,
    p90Ms: run.taskMsBefore,
    budgetMs: run.budgetMs,
  });
  if (written.note) run.notes.push(written.note);
  return { path: written.path, content: written.content, source: written.source };
}

async function runCheck(session: DispatchSession, run: DispatchRun): Promise<{ check: CheckResult | null; error: string | null }> {
  // whole targets: the dispatch judges each target's own time against its budget, which a run of
  // only the test files the change reaches would not give
  const args = ['check', '--strict', '--json', '--all-tests', '--base', session.base, '--cwd', run.worktreeWorkspace];
  if (session.budgetSeconds !== undefined) args.push('--budget', String(session.budgetSeconds));
  if (session.targets) args.push('--targets', session.targets.join(','));
  const result = await runSixty(args, { cwd: run.worktreeWorkspace, env: run.env });
  if (result.code === 2) return { check: null, error: lastLines(result.stderr) || 'sixty check exited 2' };
  try {
    return { check: JSON.parse(result.stdout) as CheckResult, error: null };
  } catch {
    return { check: null, error: `sixty check did not print JSON: ${lastLines(result.stderr || result.stdout)}` };
  }
}

/**
 * Times the check alone does not give: the shards when the agent sharded the task (they
 * replace it, each must fit), or the task's own time when the check restored it from cache.
 */
async function measureBeyondCheck(session: DispatchSession, run: DispatchRun, check: CheckResult): Promise<{ measured: Map<string, { ms: number; budgetMs: number }>; parts: DispatchPart[] }> {
  const measured = new Map<string, { ms: number; budgetMs: number }>();
  const parts: DispatchPart[] = [];
  const shards = shardTargetsOf(await projectTargetNames(run.project, run.worktreeWorkspace, run.env), run.target);
  if (shards.length > 0) {
    session.progress(`sixty dispatch: ${run.task}: running its ${shards.length} shards once without the cache...`);
    for (const [shard, time] of await measureTasks(run.project, shards, run.worktreeWorkspace, run.historyDir, run.env)) {
      parts.push({ task: shard, ms: time.ms, budgetMs: run.budgetMs, ok: time.ok });
      measured.set(shard, { ms: time.ms, budgetMs: run.budgetMs });
    }
    // the task now takes as long as its slowest shard (they run side by side)
    measured.set(run.task, { ms: Math.max(...parts.map((p) => p.ms)), budgetMs: run.budgetMs });
    return { measured, parts };
  }
  const own = check.tasks.find((t) => t.task === run.task);
  if (own && own.cache !== 'none' && own.status !== 'failure') {
    // the change may already be in the cache (an earlier dispatch, the agent's own run): its
    // time is that of the run that produced the result, not the task's old p90
    const time = await restoredTaskTime(run.task, run.worktreeWorkspace, run.historyDir, run.env);
    if (time) {
      measured.set(run.task, { ms: time.ms, budgetMs: own.budgetMs });
      run.notes.push(`${run.task} came from the Nx cache: its time is ${time.how === 'recorded' ? 'that of the run that cached it' : 'measured by running it again without the cache'}`);
    }
  }
  return { measured, parts };
}

interface Verification {
  check: CheckResult | null;
  checkError: string | null;
  parts: DispatchPart[];
  timings: Map<string, TaskTiming>;
  taskAfter: TaskTiming | null;
  loopTimeAfter: number | null;
}

/** `sixty check --strict` in the worktree, then the task's time, the targets over budget and the loop time after. */
async function verify(session: DispatchSession, run: DispatchRun, agent: AgentRunResult): Promise<Verification> {
  const before = session.before.targets;
  const stopped = agent.timedOut || agent.stalled || agent.exitCode === 127 || agent.exitCode === 126;
  if (stopped) return { check: null, checkError: null, parts: [], timings: timingsAfter({ before, check: null }), taskAfter: null, loopTimeAfter: null };
  session.progress(`sixty dispatch: ${run.task}: agent exited ${agent.exitCode ?? agent.signal}; sixty check --strict in the worktree...`);
  const { check, error } = await runCheck(session, run);
  if (!check) return { check, checkError: error, parts: [], timings: timingsAfter({ before, check }), taskAfter: null, loopTimeAfter: null };
  const { measured, parts } = agent.exitCode === 0 && check.failures.length === 0 ? await measureBeyondCheck(session, run, check) : { measured: new Map(), parts: [] };
  let timings = timingsAfter({ before, check, measured });
  let tasksAfter: Set<string> | undefined;
  let loopTimeAfter: number | null = null;
  const targetNames = [...new Set([...before.map((t) => t.target), ...check.tasks.map((t) => parseTask(t.task).target)])].sort();
  const graphs = await readTaskGraph(run.worktreeWorkspace, targetNames, run.env);
  if (graphs) {
    tasksAfter = new Set(graphs.taskGraph.tasks.map((t) => t.id));
    timings = timingsAfter({ before, check, tasksAfter, measured });
    const budgetFor = (task: { project: string; target: string; configuration?: string }): number => budgetMsFor(session.workspace.options, task, session.budgetSeconds);
    loopTimeAfter = loopTimeOf(graphs, timings, run.project, session.workspace.nxParallel ?? NX_DEFAULT_PARALLEL, budgetFor);
  }
  // gone from the graph: the agent replaced the task by parts, which the check measured
  const gone = tasksAfter !== undefined && !tasksAfter.has(run.task);
  const taskAfter = gone ? null : (timings.get(run.task) ?? (run.taskMsBefore !== null ? { ms: run.taskMsBefore, budgetMs: run.budgetMs, source: 'history' as const } : null));
  return { check, checkError: null, parts, timings, taskAfter, loopTimeAfter };
}

/** Marks the tracker row done (on the branch), stages the work, keeps it as a patch, commits it under the policy. */
function settle(session: DispatchSession, run: DispatchRun, passed: boolean, reason: string): { trackerUpdated: boolean; filesChanged: string[]; patchFile: string | null; commit: string | null; commitFailed: boolean } {
  let trackerUpdated = false;
  const trackerPath = join(run.worktreeWorkspace, TRACKER_FILE);
  if (passed && existsSync(trackerPath)) {
    const update = setTrackerStatus(readFileSync(trackerPath, 'utf8'), run.task, 'done');
    if (update.changed > 0) writeFileSync(trackerPath, update.markdown);
    trackerUpdated = update.rows > 0;
    if (update.rows === 0) run.notes.push(`${TRACKER_FILE} has no row for ${run.task}: nothing to mark done`);
  }
  const nodeModules = relative(run.worktreeTop, join(run.worktreeWorkspace, 'node_modules')).split('\\').join('/');
  const filesChanged = stageChanges(run.worktreeTop, session.base, [nodeModules]);
  let patchFile: string | null = null;
  if (filesChanged.length > 0) {
    patchFile = join(run.logDir, `${run.id}.patch`);
    writePatch(run.worktreeTop, session.base, patchFile);
  }
  let commit: string | null = null;
  let commitFailed = false;
  if (passed && session.policy.commit && filesChanged.length > 0) {
    try {
      commit = commitStaged(run.worktreeTop, `sixty dispatch: ${run.task} under budget\n\n${reason}\n\nagent: ${session.agentCmd}\ndispatch: ${run.id}\n`);
    } catch (error) {
      commitFailed = true;
      run.notes.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (commit === null && filesChanged.length > 0) {
    // the agent committed on the branch itself: the branch carries its work
    const head = worktreeHead(run.worktreeTop);
    if (head !== session.base) commit = head;
  }
  return { trackerUpdated, filesChanged, patchFile, commit, commitFailed };
}

/**
 * One dispatch: a worktree on a new branch from the session's base, the ticket, the agent with
 * its limits, `sixty check --strict` against the base, the verdict, then clean-up (the worktree
 * stays when the dispatch failed or was asked to stay). Setup problems throw a SixtyError after
 * removing what they created; everything after the agent started ends in a run log.
 */
export async function runDispatch(session: DispatchSession, target: DispatchTarget): Promise<DispatchRecord> {
  const startedMs = Date.now();
  const run = planDispatch(session, target.task);
  let ticket: Ticket;
  try {
    ticket = await setUp(session, run, target);
  } catch (error) {
    discard(session, run);
    throw error;
  }
  const agentLog = join(run.logDir, `${run.id}.agent.log`);
  try {
    session.progress(`sixty dispatch: ${run.task} -> ${run.branch}, agent running (limit ${formatDuration(session.policy.timeoutMs)})...`);
    // the user's checkout before and after the agent: what sixty itself writes meanwhile is left out
    const ownWrites = [session.workspace.historyDir, run.env.NX_CACHE_DIRECTORY ?? '', run.scratch].filter(Boolean);
    const checkoutBefore = fingerprintCheckout(session.gitTop, ownWrites);
    // the worktree after set-up: the ticket and tracker row sixty wrote are not the agent's
    const worktreeBefore = fingerprintCheckout(run.worktreeTop, [join(run.worktreeWorkspace, 'node_modules')]);
    const agentTmp = join(run.scratch, 'tmp');
    mkdirSync(agentTmp, { recursive: true });
    const agent = await runAgent({
      command: session.agentCmd,
      cwd: run.worktreeWorkspace,
      env: {
        ...run.env,
        SIXTY_TICKET: ticket.path,
        SIXTY_TASK: run.task,
        SIXTY_BUDGET_SECONDS: String(run.budgetMs / 1000),
        SIXTY_DISPATCH_ID: run.id,
        SIXTY_DISPATCH_BASE: session.base,
        // temporary files of the agent's tools stay in the dispatch's scratch directory
        TMPDIR: agentTmp,
        TMP: agentTmp,
        TEMP: agentTmp,
      },
      stdin: ticket.content,
      timeoutMs: session.policy.timeoutMs,
      stallMs: session.policy.stallMs,
      logFile: agentLog,
      marker: `SIXTY_DISPATCH_ID=${run.id}`,
      ...(session.policy.sandbox === 'bwrap' ? { sandbox: sandboxPaths(session, run) } : {}),
      ...(session.agentOutput ? { onOutput: session.agentOutput } : {}),
    });
    const touched = checkoutChanges(checkoutBefore, fingerprintCheckout(session.gitTop, ownWrites));
    const sixtyWrote = unchangedFiles(run.worktreeTop, worktreeBefore.files);
    const verification = await verify(session, run, agent);
    const overBefore = overBudgetBefore(session.before.targets);
    const overAfter = verification.check ? overBudgetOf(verification.timings) : overBefore;
    const decision = decideOutcome({
      task: run.task,
      agent,
      limits: { timeoutMs: session.policy.timeoutMs, stallMs: session.policy.stallMs },
      check: verification.check,
      checkError: verification.checkError,
      taskAfter: verification.taskAfter,
      overBudgetBefore: overBefore,
      overBudgetAfter: overAfter,
      parts: verification.parts,
      checkoutChanges: touched,
    });
    const passed = decision.outcome === 'passed';
    const settled = settle(session, run, passed, decision.reason);
    // an error (the agent could not start) leaves nothing behind; a failure stays for a look
    const keep = decision.outcome !== 'error' && (session.keepWorktree || !passed || settled.commitFailed);
    if (!keep) discard(session, run);
    const finishedMs = Date.now();
    const record: DispatchRecord = {
      schemaVersion: DISPATCH_SCHEMA_VERSION,
      id: run.id,
      task: run.task,
      ticket: ticket.path,
      ticketSource: ticket.source,
      branch: run.branch,
      worktree: run.worktreeWorkspace,
      worktreeKept: keep,
      base: session.base,
      baseDirty: session.baseDirty,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: new Date(finishedMs).toISOString(),
      ms: finishedMs - startedMs,
      budgetMs: run.budgetMs,
      agent: {
        command: session.agentCmd,
        exitCode: agent.exitCode,
        signal: agent.signal,
        ms: agent.ms,
        timedOut: agent.timedOut,
        stalled: agent.stalled,
        logFile: shown(session.workspace.root, agentLog),
        lastOutput: agent.lastOutput,
      },
      filesChanged: settled.filesChanged,
      agentFilesChanged: settled.filesChanged.filter((path) => !sixtyWrote.has(path)),
      checkoutChanges: touched,
      sandbox: session.policy.sandbox,
      commit: settled.commit,
      patchFile: settled.patchFile ? shown(session.workspace.root, settled.patchFile) : null,
      check: verification.check,
      overBudgetBefore: overBefore,
      overBudgetAfter: overAfter,
      taskMsBefore: run.taskMsBefore,
      taskMsAfter: verification.check ? (verification.taskAfter?.ms ?? null) : null,
      loopTimeBefore: session.before.loopTimes?.find((l) => l.project === run.project)?.ms ?? null,
      loopTimeAfter: verification.loopTimeAfter,
      parts: verification.parts,
      trackerUpdated: settled.trackerUpdated,
      outcome: decision.outcome,
      reason: decision.reason,
      notes: run.notes,
    };
    writeDispatchRecord(session.workspace.historyDir, record);
    return record;
  } catch (error) {
    // an unexpected failure after the agent started: its work may be in the worktree, keep it
    const left = `dispatch ${run.id}: the worktree ${run.worktreeWorkspace} on branch ${run.branch} is left as it was`;
    if (isSixtyError(error)) throw new SixtyError(error.code, `${error.message} (${left})`, error.fix);
    throw new Error(`${error instanceof Error ? error.message : String(error)} (${left})`);
  }
}

/** The error a dispatch whose agent could not start ends with (exit 2). */
export function agentNotFoundError(record: DispatchRecord): SixtyError {
  return new SixtyError(
    'AGENT_NOT_FOUND',
    `${record.reason}: ${record.agent.command}${record.agent.lastOutput ? ` (${lastLines(record.agent.lastOutput, 1)})` : ''}`,
    'check the command runs in a shell at the workspace root (is it installed and on PATH?), then pass it with --agent-cmd or set dispatch.agentCmd in nx.json',
  );
}
