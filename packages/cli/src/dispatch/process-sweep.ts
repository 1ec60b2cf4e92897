import { readdirSync, readFileSync } from 'node:fs';

/**
 * Processes an agent started, found by a marker in their environment. A process group misses
 * children that left it (`setsid`, daemons, double forks); the environment is inherited through
 * all of those, so every process whose environment holds `<name>=<value>` belongs to the
 * dispatch that set it. Linux only (/proc); elsewhere nothing is found and the process group
 * kill is all there is. A process that clears its environment escapes this (see docs/dispatch.md).
 */
export function markedProcesses(marker: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const needle = Buffer.from(`${marker}\0`);
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`);
      const at = environ.indexOf(needle);
      // a whole variable: at the start, or right after the previous one's terminating NUL
      if (at === 0 || (at > 0 && environ[at - 1] === 0)) found.push(pid);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/** Sends a signal to every process carrying the marker; returns how many were signalled. */
export function signalMarkedProcesses(marker: string, signal: NodeJS.Signals): number {
  let signalled = 0;
  for (const pid of markedProcesses(marker)) {
    try {
      process.kill(pid, signal);
      signalled++;
    } catch {
      // already gone
    }
  }
  return signalled;
}

/**
 * Signals marked processes until none is left or `limitMs` passed: one pass can miss a process
 * caught between fork and exec (its environment reads empty for that instant).
 */
export async function sweepMarkedProcesses(marker: string, signal: NodeJS.Signals, limitMs = 2000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (signalMarkedProcesses(marker, signal) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
