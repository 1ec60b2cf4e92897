import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import {
  appendRun,
  appendToRegularFile,
  budgetAnnouncement,
  budgetBreaksOf,
  computeTargetStats,
  normalizeOptions,
  parentTaskFromEnv,
  readHistory,
  recordFromTaskResults,
  writeFailureLogs,
  type InvocationLike,
  type RunRecord,
  type SixtyOptions,
} from '@sixty/core';
import { findRunTerminal } from './run-terminal';

let warned = false;

/** One clear warning per process, never an exception: a failing plugin must not fail nx. */
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`[sixty] ${message}\n`);
}

/** The nx the workspace runs, which may differ from the one this plugin was built against. */
function readNxVersion(workspaceRoot: string): string | null {
  try {
    const path = require.resolve('nx/package.json', { paths: [workspaceRoot] });
    return (JSON.parse(readFileSync(path, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

export interface PostTasksContext extends InvocationLike {
  workspaceRoot: string;
}

/** Keeps the output of failed tasks so `sixty check` can show the relevant lines. */
async function attachFailureLogs(historyDir: string, run: ReturnType<typeof recordFromTaskResults>, context: PostTasksContext): Promise<void> {
  const failed = run.tasks.filter((task) => task.status === 'failure');
  if (failed.length === 0) return;
  const failures = failed.map((task) => ({ taskId: task.id, output: context.taskResults[task.id]?.terminalOutput ?? '' }));
  const locations = await writeFailureLogs(historyDir, run.startMs, run.id, failures);
  for (const task of failed) {
    const location = locations.get(task.id);
    if (location) {
      task.logFile = location.file;
      task.logLines = location.lines;
    }
  }
}

/** The budget line as GitHub step summary markdown: bold name, the command as code. */
function stepSummaryOf(lines: readonly string[]): string {
  return `\n${lines.map((line) => line.replace(/^\[sixty\] /, '**sixty** ').replace(/sixty plan (\S+)$/, '`sixty plan $1`')).join('  \n')}\n`;
}

/**
 * The end-of-run budget line (#22): at most two lines after nx's output, on the terminal of the
 * nx process that owns the run (run-terminal.ts), only when an executed task of this run broke
 * its budget; the history (read only then) adds whether its p90 is over too. Silent with
 * SIXTY_QUIET=1 (in the environment nx was started with) or the option announce: false. Also
 * appended to the GitHub step summary when that environment sets GITHUB_STEP_SUMMARY.
 */
async function announceBudgetBreaks(run: RunRecord, options: SixtyOptions, historyDir: string, context: PostTasksContext): Promise<void> {
  if (!options.announce) return;
  if (budgetBreaksOf(run, options).length === 0) return; // the usual case: no history read, no lookup
  const terminal = findRunTerminal(Array.isArray(context.argv) ? context.argv : [], context.workspaceRoot);
  if (terminal.env.SIXTY_QUIET === '1') return;
  const stats = new Map(computeTargetStats(readHistory(historyDir).runs).map((item) => [item.task, { p90Ms: item.p90Ms, runs: item.executions }]));
  const lines = budgetAnnouncement(budgetBreaksOf(run, options, (task) => stats.get(task) ?? null));
  const text = `${lines.join('\n')}\n`;
  await terminal.write(text).catch(() => process.stderr.write(text)); // a client stderr that cannot be reopened (a socket): nx's log then
  const summary = terminal.env.GITHUB_STEP_SUMMARY;
  if (!summary) return;
  try {
    await appendToRegularFile(summary, stepSummaryOf(lines)); // regular files only: a FIFO there must not hold nx
  } catch (error) {
    warnOnce(`could not add the budget line to GITHUB_STEP_SUMMARY (${error instanceof Error ? error.message : String(error)}). Your nx command is unaffected; the line is on the terminal above.`);
  }
}

/**
 * How long the hook's file steps may take before nx goes on without them. A healthy write of
 * 5,000 task results takes a few ms (docs/BENCHMARKS.md); a stalled disk must not hold nx.
 */
export const RECORD_DEADLINE_MS = 800;

/** Resolves to 'timeout' after ms, without keeping the process alive for it. */
function deadline(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/**
 * The postTasksExecution hook: append this invocation to the history store. Never throws, and
 * never holds nx longer than deadlineMs: every file step is asynchronous and guarded (no pseudo
 * filesystems, regular files only), and whatever is still pending at the deadline is abandoned
 * with one warning line.
 */
export async function recordRun(rawOptions: unknown, context: PostTasksContext, deadlineMs: number = RECORD_DEADLINE_MS): Promise<void> {
  let historyDir = '.sixty';
  try {
    const { options, problems } = normalizeOptions(rawOptions, process.env);
    if (problems.length > 0) {
      warnOnce(`invalid @sixty/nx options in nx.json: ${problems.join('; ')}`);
    }
    if (!context || typeof context.taskResults !== 'object' || context.taskResults === null) return;
    historyDir = isAbsolute(options.historyDir) ? options.historyDir : join(context.workspaceRoot, options.historyDir);
    const run = recordFromTaskResults(context, readNxVersion(context.workspaceRoot), Date.now());
    if (run.tasks.length === 0) return;
    const requestId = process.env.SIXTY_REQUEST_ID;
    if (requestId) run.requestId = requestId;
    const selection = process.env.SIXTY_TEST_SELECTION;
    if (selection) run.selection = selection.slice(0, 200);
    const parentTask = parentTaskFromEnv(process.env);
    if (parentTask) run.parentTask = parentTask;
    const target = historyDir;
    const write = (async () => {
      await attachFailureLogs(target, run, context);
      await appendRun(target, run, options.retention);
      await announceBudgetBreaks(run, options, target, context);
      return 'written' as const;
    })();
    const outcome = await Promise.race([write, deadline(deadlineMs)]);
    if (outcome === 'timeout') {
      write.catch(() => undefined); // finishing or failing later is no longer nx's business
      warnOnce(`recording this run's timings in ${historyDir} took longer than ${deadlineMs} ms, so sixty left it unrecorded. Your nx command is unaffected; point the historyDir option at a local disk.`);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warnOnce(`could not record this run's timings (${reason}). Your nx command is unaffected; check that the historyDir option (${historyDir}) points to a writable directory.`);
  }
}
