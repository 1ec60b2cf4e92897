import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { bwrapCommand, type SandboxPaths } from './agent-sandbox';
import { signalMarkedProcesses, sweepMarkedProcesses } from './process-sweep';
import { StringDecoder } from 'node:string_decoder';
import { createLineRedactor, secretsInEnvironment } from '@sixty/core';

export interface AgentRunOptions {
  /** Run through the shell (`/bin/sh -c`), so any command line works: pipes, env assignments, quoting. */
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Written to the agent's stdin, then closed. */
  stdin: string;
  timeoutMs: number;
  /** Stopped when it writes nothing to stdout or stderr for this long. */
  stallMs: number;
  /** Receives stdout and stderr, interleaved as they arrive. */
  logFile: string;
  /** Each chunk of output as it arrives (--verbose). */
  onOutput?: (text: string) => void;
  /**
   * `NAME=value`, also set in `env`: every process whose environment carries it is the agent's,
   * and is ended with it, even one that left the process group (`setsid`, a daemon).
   */
  marker?: string;
  /** Runs the agent in a bubblewrap sandbox with these paths read-only. */
  sandbox?: SandboxPaths;
}

export interface AgentRunResult {
  exitCode: number | null;
  signal: string | null;
  ms: number;
  timedOut: boolean;
  stalled: boolean;
  /** The last few lines the agent wrote. */
  lastOutput: string;
}

/** Grace between SIGTERM and SIGKILL when an agent is stopped. */
const KILL_GRACE_MS = 2000;
/** After the agent exits, how long its output pipes may stay open (a leftover child holding them). */
const CLOSE_WAIT_MS = 2000;
const TAIL_CHARS = 2000;

/** Process groups (and markers) of running agents, so an interrupted `sixty dispatch` does not leave them behind. */
const running = new Map<number, string | undefined>();

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Stops every running agent (its whole process group): for SIGINT/SIGTERM of sixty itself. */
export function stopAllAgents(): void {
  for (const [pid, marker] of running) {
    signalGroup(pid, 'SIGKILL');
    if (marker) signalMarkedProcesses(marker, 'SIGKILL');
  }
  running.clear();
}

/**
 * Runs the agent command in its own process group (detached), so a time limit or a stall ends
 * the agent and everything it started, not only the shell. Leftover background processes are
 * ended when the agent exits: the worktree they run in may be removed next.
 */
export function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  return new Promise((resolvePromise, reject) => {
    const log = openSync(options.logFile, 'w');
    const started = Date.now();
    let lastOutputAt = started;
    let tail = '';
    let timedOut = false;
    let stalled = false;
    let settled = false;
    const spawnOptions = { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'] };
    const sandboxed = options.sandbox ? bwrapCommand(options.command, options.sandbox) : undefined;
    const child = sandboxed ? spawn(sandboxed.file, sandboxed.args, spawnOptions) : spawn(options.command, { ...spawnOptions, shell: true });
    const pid = child.pid;
    if (pid !== undefined) running.set(pid, options.marker);
    const end = (signal: NodeJS.Signals): void => {
      if (pid !== undefined) signalGroup(pid, signal);
      if (options.marker) signalMarkedProcesses(options.marker, signal);
    };

    // the agent's output is untrusted text: credentials of its environment, and key shapes, never reach the log or the terminal
    const redactor = createLineRedactor(secretsInEnvironment(options.env));
    const decoder = new StringDecoder('utf8');
    const emit = (text: string): void => {
      if (text === '') return;
      writeSync(log, text);
      tail = (tail + text).slice(-TAIL_CHARS);
      options.onOutput?.(text);
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      lastOutputAt = Date.now();
      emit(redactor.push(decoder.write(chunk)));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.stdin.on('error', () => undefined); // an agent that does not read its stdin is fine
    child.stdin.end(options.stdin);

    const stop = (): void => {
      end('SIGTERM');
      setTimeout(() => end('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    const stallCheck = setInterval(
      () => {
        if (!timedOut && !stalled && Date.now() - lastOutputAt >= options.stallMs) {
          stalled = true;
          stop();
        }
      },
      Math.max(50, Math.min(1000, Math.floor(options.stallMs / 4))),
    );

    const finish = (exitCode: number | null, signal: string | null, ms: number): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearInterval(stallCheck);
      end('SIGKILL'); // leftovers of a finished agent
      if (pid !== undefined) running.delete(pid);
      child.stdout.destroy();
      child.stderr.destroy();
      emit(redactor.push(decoder.end()) + redactor.flush());
      closeSync(log);
      const lastOutput = tail.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '').trimEnd().split('\n').slice(-6).join('\n');
      const result = { exitCode, signal, ms, timedOut, stalled, lastOutput };
      if (!options.marker) resolvePromise(result);
      else void sweepMarkedProcesses(options.marker, 'SIGKILL').then(() => resolvePromise(result));
    };
    child.on('error', (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearInterval(stallCheck);
      if (pid !== undefined) running.delete(pid);
      closeSync(log);
      reject(error);
    });
    let exited: { code: number | null; signal: string | null; ms: number } | undefined;
    let closeWait: NodeJS.Timeout | undefined;
    child.on('exit', (code, signal) => {
      exited = { code, signal, ms: Date.now() - started };
      closeWait = setTimeout(() => finish(code, signal, exited!.ms), CLOSE_WAIT_MS);
    });
    child.on('close', (code, signal) => {
      if (closeWait) clearTimeout(closeWait);
      finish(exited?.code ?? code, exited?.signal ?? signal, exited?.ms ?? Date.now() - started);
    });
  });
}
