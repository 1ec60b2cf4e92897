// Running commands for the real-repos harness: bounded by a timeout (the whole process group is
// ended), output kept in a log file, and a short excerpt of the first error lines for the table.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export const stripAnsi = (text) => text.replace(ANSI, '');

/**
 * Runs `command args` in `cwd`, appending everything it prints to `log`. Resolves with
 * { code, signal, timedOut, wallMs, output } and never rejects: a command that cannot start
 * has code 127 and its error as output.
 */
export function run(command, args, { cwd, env, log, timeoutMs = 30 * 60_000 } = {}) {
  const started = Date.now();
  mkdirSync(dirname(log), { recursive: true });
  const file = createWriteStream(log, { flags: 'a' });
  file.write(`\n$ (cd ${cwd} && ${[command, ...args].join(' ')})\n`);
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk) => {
      const text = chunk.toString();
      output += text;
      file.write(text);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    const finish = (code, signal) => {
      clearTimeout(timer);
      const wallMs = Date.now() - started;
      const tail = timedOut ? `\n[realrepos] timed out after ${Math.round(timeoutMs / 1000)} s\n` : '';
      file.end(`${tail}[realrepos] exit ${code ?? signal} after ${(wallMs / 1000).toFixed(1)} s\n`);
      resolve({ code: code ?? 128, signal, timedOut, wallMs, output: stripAnsi(output) + tail });
    };
    child.on('error', (error) => {
      output += String(error.message);
      finish(127, null);
    });
    child.on('close', finish);
  });
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

const ERROR_LINE = /\b(\w*error|err!|failed|fails?|cannot|could not|not found|invalid|exception|denied|timed out|ERESOLVE|ENOENT)\b|✖|×/i;

/** The first lines that look like an error (else the last lines), trimmed for a table cell. */
export function errorExcerpt(output, lines = 4) {
  const all = stripAnsi(output)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() && !line.startsWith('$ (cd ') && !/^\s*at /.test(line));
  const first = all.findIndex((line) => ERROR_LINE.test(line));
  const picked = first >= 0 ? all.slice(first, first + lines) : all.slice(-lines);
  return picked.map((line) => (line.length > 220 ? `${line.slice(0, 217)}...` : line));
}

/**
 * Passing tests in a runner's output, summed over every summary line it prints (one per task or
 * shard): vitest `Tests  12 passed (12)`, jest `Tests: 12 passed, 12 total`, mocha `12 passing`,
 * node:test `ℹ pass 12`. undefined when no summary line is found.
 */
export function passingTests(output) {
  const text = stripAnsi(output);
  let found = false;
  let total = 0;
  const patterns = [
    /^\s*Tests:?\s+[^\n]*?(\d+) passed/gm,
    /^\s*(\d+) passing\b/gm,
    /^\s*[ℹ#] pass (\d+)$/gm,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      found = true;
      total += Number(match[1]);
    }
  }
  return found ? total : undefined;
}
