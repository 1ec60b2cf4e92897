import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findRunTerminal } from '../src/run-terminal';

// A stand-in for an nx client the hook is not part of (as with the daemon on): a node process
// running a script with nx-like arguments, waiting until told to print what reached its stderr.
const CLIENT = "process.stdin.on('data', () => { process.stdout.write('ready'); }); setTimeout(() => process.exit(0), 20000);";

let root: string;
let children: ChildProcess[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sixty-run-terminal-'));
  writeFileSync(join(root, 'nx.js'), CLIENT);
  children = [];
});
afterEach(() => {
  for (const child of children) child.kill();
  rmSync(root, { recursive: true, force: true });
});

/**
 * Starts a client with argv [node, <root>/nx.js, ...args] and resolves once it runs. Its stderr
 * is a file, as a terminal or a shell redirection is reopenable; node's own 'pipe' is a socket.
 */
async function startClient(args: string[], env: Record<string, string> = {}, stderr: 'file' | 'socket' = 'file'): Promise<{ stderr: () => string }> {
  const file = join(root, `stderr-${children.length}.txt`);
  const fd = openSync(file, 'a');
  const child = spawn(process.execPath, ['nx.js', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', stderr === 'file' ? fd : 'pipe'] });
  closeSync(fd);
  children.push(child);
  await new Promise<void>((resolve) => {
    child.stdout!.once('data', () => resolve());
    child.stdin!.write('go\n');
  });
  return { stderr: () => readFileSync(file, 'utf8') };
}

const argvOf = (args: string[]): string[] => [process.execPath, join(root, 'nx.js'), ...args];

describe.runIf(process.platform === 'linux')('findRunTerminal', () => {
  it("writes on the stderr of the nx process that owns the run and reads that process's environment", async () => {
    const client = await startClient(['run', 'lib-c:test'], { SIXTY_QUIET: '1', GITHUB_STEP_SUMMARY: '/tmp/summary.md' });
    const terminal = findRunTerminal(argvOf(['run', 'lib-c:test']), root);
    expect(terminal.via).toBe('client');
    expect(terminal.env.SIXTY_QUIET).toBe('1');
    expect(terminal.env.GITHUB_STEP_SUMMARY).toBe('/tmp/summary.md');
    await terminal.write('[sixty] over budget\n');
    await terminal.write('[sixty] plan the fix\n');
    expect(client.stderr()).toBe('[sixty] over budget\n[sixty] plan the fix\n');
  });

  it("cannot reopen a client's stderr that is a socket (node's stdio 'pipe'): the write fails and the caller falls back", async () => {
    await startClient(['run', 'lib-b:test'], {}, 'socket');
    const terminal = findRunTerminal(argvOf(['run', 'lib-b:test']), root);
    expect(terminal.via).toBe('client');
    await expect(terminal.write('x\n')).rejects.toThrow(/ENXIO/);
  });

  it('finds none when two identical commands run at once, nor a process with other arguments or outside the workspace', async () => {
    await startClient(['run', 'lib-a:test']);
    expect(findRunTerminal(argvOf(['run', 'lib-c:test']), root).via).toBe('none');
    expect(findRunTerminal(argvOf(['run', 'lib-a:test']), join(root, 'elsewhere')).via).toBe('none');
    await startClient(['run', 'lib-a:test']);
    expect(findRunTerminal(argvOf(['run', 'lib-a:test']), root).via).toBe('none');
  });

  it("is this process's own stderr when the hook runs inside nx, or when argv is unknown", () => {
    expect(findRunTerminal(process.argv, root).via).toBe('own');
    expect(findRunTerminal([], root).via).toBe('own');
  });
});
