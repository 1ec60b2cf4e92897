import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SixtyError } from '@sixty/core';
import { runProcess, type ProcessResult } from '../process/run-process';

/**
 * The one place sixty starts nx: the workspace's own installed nx CLI, run by this Node. Every
 * nx fact sixty reads (nx/*.ts) and every nx run it starts (check, dispatch, apply) goes through here.
 */

/** Path of the nx CLI the workspace has installed (its package.json "bin"), whatever its version. */
export function resolveNxBin(workspaceRoot: string): string {
  let packageJsonPath: string;
  try {
    packageJsonPath = require.resolve('nx/package.json', { paths: [workspaceRoot] });
  } catch {
    throw new SixtyError('NX_FAILED', `nx is not installed in ${workspaceRoot}`, 'run `npm install` (or your package manager) in the workspace first');
  }
  const bin = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { bin?: string | Record<string, string> }).bin;
  const relative = typeof bin === 'string' ? bin : (bin?.nx ?? 'bin/nx.js');
  return join(dirname(packageJsonPath), relative);
}

/** The installed nx's version (`22.7.12`), or null when it cannot be read. */
export function installedNxVersion(workspaceRoot: string): string | null {
  try {
    const packageJsonPath = require.resolve('nx/package.json', { paths: [workspaceRoot] });
    const version = (JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : null;
  } catch {
    return null;
  }
}

/** Large enough for `nx graph --file` output and the logs of a big run. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/** What a finished nx said; `error` when it could not be started at all. */
export interface NxResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** `nx <args>` to its end, blocking, with the terminal UI off (sixty reads the output). */
export function runNxSync(workspaceRoot: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): NxResult {
  const result = spawnSync(process.execPath, [resolveNxBin(workspaceRoot), ...args], {
    cwd: workspaceRoot,
    env: { ...env, NX_TUI: 'false' },
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', ...(result.error ? { error: result.error } : {}) };
}

/** `nx <args>` to its end without blocking the event loop (dispatches run side by side), terminal UI off. */
export function runNx(workspaceRoot: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return runProcess(process.execPath, [resolveNxBin(workspaceRoot), ...args], { cwd: workspaceRoot, env: { ...env, NX_TUI: 'false' } });
}

/** `nx <args>` started with the environment as given, its output streamed to the caller (sixty check's run). */
export function startNx(workspaceRoot: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [resolveNxBin(workspaceRoot), ...args], { cwd: workspaceRoot, env });
}

/** The last non-empty lines nx printed: the part of a failure worth repeating in one error line. */
export function nxOutputTail(result: { stdout: string; stderr: string }, count = 3): string {
  return (result.stderr || result.stdout || '').trim().split('\n').filter(Boolean).slice(-count).join(' ');
}
