import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { dispatchSlug, isTaskId, renderMinimalTicket, SixtyError, taskOfTicket, type TicketPlan } from '@sixty/core';
import { lastLines } from '../process/run-process';
import { runSixty } from './child-process';

/** What `sixty dispatch <arg>` was given: a ticket file, or a task to write a ticket for. */
export type DispatchTarget = { kind: 'ticket'; path: string; content: string; task: string } | { kind: 'task'; task: string };

/** Reads the argument: an existing file is a ticket (it must name its task); `project:target` is a task. */
export function resolveDispatchTarget(argument: string, cwd: string): DispatchTarget {
  const path = resolve(cwd, argument);
  if (existsSync(path) && statSync(path).isFile()) {
    const content = readFileSync(path, 'utf8');
    const task = taskOfTicket(content);
    if (!task) {
      throw new SixtyError('INVALID_ARGUMENT', `the ticket ${argument} names no task`, 'add a line "Task: project:target" to the ticket, or dispatch the task itself: sixty dispatch project:target');
    }
    return { kind: 'ticket', path, content, task };
  }
  if (isTaskId(argument) && !/\.md$/i.test(argument)) return { kind: 'task', task: argument };
  throw new SixtyError(
    'UNREADABLE_FILE',
    `no ticket at ${argument}`,
    'pass the path of a ticket (e.g. docs/exec-plans/lib-c-test-2026-11-25.md, written by `sixty plan lib-c:test --ticket`) or a task such as lib-c:test',
  );
}

export interface WrittenTicket {
  /** Absolute path handed to the agent (SIXTY_TICKET). */
  path: string;
  content: string;
  source: 'plan-ticket' | 'plan-json';
  note: string | null;
}

export interface TicketWriting {
  task: string;
  /** The worktree's workspace root: `sixty plan` runs there, so the ticket lands on the branch. */
  worktreeWorkspace: string;
  env: NodeJS.ProcessEnv;
  budgetSeconds: number | undefined;
  /** Where `sixty plan` writes the plan (in the worktree, so the ticket's path to it works there); default: plan's own. */
  planFile: string | undefined;
  /** Where a minimal ticket goes (outside the worktree: beside the run log). */
  minimalTicketFile: string;
  base: string;
  p90Ms: number | null;
  budgetMs: number;
}

/** A plan error from `sixty plan` (exit 2): its own message and fix, as a SixtyError. */
function planError(stderr: string, task: string): SixtyError {
  const message = /sixty: (.*)/.exec(stderr)?.[1] ?? (lastLines(stderr) || 'sixty plan failed');
  const fix = /fix: (.*)/.exec(stderr)?.[1] ?? `run \`sixty plan ${task}\` to see why`;
  return new SixtyError('INVALID_ARGUMENT', `cannot write a ticket for ${task}: ${message}`, fix);
}

/** The newest ticket `sixty plan --ticket` wrote for the task (docs/exec-plans/<project>-<target>-<date>.md). */
function findWrittenTicket(stdout: string, workspace: string, task: string): string | null {
  try {
    const data = JSON.parse(stdout) as Record<string, unknown>;
    for (const key of ['ticketFile', 'ticket', 'ticketPath']) {
      const value = data[key];
      const path = typeof value === 'string' ? value : typeof value === 'object' && value !== null ? (value as { path?: unknown; file?: unknown }).path ?? (value as { file?: unknown }).file : undefined;
      if (typeof path === 'string' && path.endsWith('.md')) return isAbsolute(path) ? path : resolve(workspace, path);
    }
  } catch {
    // text output: look for the file instead
  }
  const dir = join(workspace, 'docs', 'exec-plans');
  const prefix = `${dispatchSlug(task)}-`;
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.md'));
  } catch {
    return null;
  }
  const newest = names.map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs })).sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name))[0];
  return newest ? join(dir, newest.name) : null;
}

interface PlanJson {
  plan?: { kind?: string; rationale?: string; shards?: TicketPlan['parts']; projects?: TicketPlan['parts'] };
  validation?: { valid?: boolean; problems?: string[] };
  planFile?: string;
}

/**
 * Writes the ticket for a task: `sixty plan <task> --ticket` in the worktree (ticket and tracker
 * row land on the dispatch branch); where that flag is not available, a minimal ticket from
 * `sixty plan <task> --json`, written beside the worktree.
 */
export async function writeTicket(options: TicketWriting): Promise<WrittenTicket> {
  const planArgs = options.budgetSeconds !== undefined ? ['--budget', String(options.budgetSeconds)] : [];
  if (options.planFile) planArgs.push('--out', options.planFile);
  const cwd = options.worktreeWorkspace;
  const withTicket = await runSixty(['plan', options.task, '--ticket', '--json', '--cwd', cwd, ...planArgs], { cwd, env: options.env });
  const ticketFlagMissing = withTicket.code === 2 && /unknown option '--ticket'/.test(withTicket.stderr);
  if (!ticketFlagMissing) {
    if (withTicket.code === 2) throw planError(withTicket.stderr, options.task);
    const path = findWrittenTicket(withTicket.stdout, cwd, options.task);
    if (path && existsSync(path)) return { path, content: readFileSync(path, 'utf8'), source: 'plan-ticket', note: null };
  }
  const planned = await runSixty(['plan', options.task, '--json', '--cwd', cwd, ...planArgs], { cwd, env: options.env });
  if (planned.code === 2) throw planError(planned.stderr, options.task);
  let outcome: PlanJson = {};
  try {
    outcome = JSON.parse(planned.stdout) as PlanJson;
  } catch {
    // no plan to show: the ticket says so
  }
  const parts = outcome.plan?.shards ?? outcome.plan?.projects;
  const content = renderMinimalTicket({
    task: options.task,
    budgetMs: options.budgetMs,
    p90Ms: options.p90Ms,
    plan: outcome.plan && parts ? { kind: outcome.plan.kind ?? 'plan', parts, ...(outcome.plan.rationale ? { rationale: outcome.plan.rationale } : {}) } : null,
    planFile: outcome.planFile ?? null,
    planProblems: outcome.validation?.problems ?? [],
    base: options.base,
  });
  const path = options.minimalTicketFile;
  writeFileSync(path, content);
  return {
    path,
    content,
    source: 'plan-json',
    note: ticketFlagMissing ? 'this sixty has no `plan --ticket`: the agent got a minimal ticket from `sixty plan --json`' : 'no ticket file found after `sixty plan --ticket`: the agent got a minimal ticket',
  };
}

/** The ticket as the agent should see it: the worktree's copy when the ticket is a file of the repository. */
export function ticketPathInWorktree(ticketPath: string, mainGitTop: string, worktreeGitTop: string): string {
  const rel = relative(mainGitTop, ticketPath);
  if (rel.startsWith('..') || isAbsolute(rel)) return ticketPath;
  const copy = join(worktreeGitTop, rel);
  try {
    return readFileSync(copy, 'utf8') === readFileSync(ticketPath, 'utf8') ? copy : ticketPath;
  } catch {
    return ticketPath;
  }
}
