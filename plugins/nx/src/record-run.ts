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
function attachFailureLogs(historyDir: string, run: ReturnType<typeof recordFromTaskResults>, context: PostTasksContext): void {
  const failed = run.tasks.filter((task) => task.status === 'failure');
  if (failed.length === 0) return;
  const failures = failed.map((task) => ({ taskId: task.id, output: context.taskResults[task.id]?.terminalOutput ?? '' }));
  const locations = writeFailureLogs(historyDir, run.startMs, run.id, failures);
  for (const task of failed) {
    const location = locations.get(task.id);
    if (location) {
      task.logFile = location.file;
      task.logLines = location.lines;
    }
  }
}

/** The postTasksExecution hook: append this invocation to the history store. Never throws. */
export function recordRun(rawOptions: unknown, context: PostTasksContext): void {
  try {
    const { options, problems } = normalizeOptions(rawOptions, process.env);
    if (problems.length > 0) {
      warnOnce(`invalid @sixty/nx options in nx.json: ${problems.join('; ')}`);
    }
    if (!context || typeof context.taskResults !== 'object' || context.taskResults === null) return;
    const historyDir = isAbsolute(options.historyDir) ? options.historyDir : join(context.workspaceRoot, options.historyDir);
    const run = recordFromTaskResults(context, readNxVersion(context.workspaceRoot), Date.now());
    if (run.tasks.length === 0) return;
    const requestId = process.env.SIXTY_REQUEST_ID;
    if (requestId) run.requestId = requestId;
    attachFailureLogs(historyDir, run, context);
    appendRun(historyDir, run, options.retention);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    warnOnce(`could not record this run's timings (${reason}). Your nx command is unaffected; check that the historyDir option points to a writable directory.`);
  }
}
