import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { appendRun, normalizeOptions, recordFromTaskResults, writeFailureLogs, type InvocationLike } from '@sixty/core';

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
    const target = historyDir;
    const write = (async () => {
      await attachFailureLogs(target, run, context);
      await appendRun(target, run, options.retention);
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
