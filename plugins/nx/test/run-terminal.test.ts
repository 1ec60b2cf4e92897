import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { buildSync } from 'esbuild';
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

  it("in the daemon, whose parent may be the client that started it, still reopens the client's stderr (the daemon's own is daemon.log)", async () => {
    // the client starts a "daemon" child that sets global.NX_DAEMON and asks for the client's terminal
    const bundled = join(root, 'run-terminal.cjs');
    buildSync({ entryPoints: [join(__dirname, '../src/run-terminal.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundled, logLevel: 'silent' });
    const daemon = `global.NX_DAEMON = true; const { findRunTerminal } = require(${JSON.stringify(bundled)}); const t = findRunTerminal(JSON.parse(process.argv[2]), process.argv[3]); t.write('[sixty] from the daemon\\n').then(() => process.stdout.write(t.via), (e) => process.stdout.write(String(e)));`;
    writeFileSync(join(root, 'daemon.js'), daemon);
    const argv = argvOf(['run', 'lib-d:test']);
    writeFileSync(
      join(root, 'nx.js'),
      `const { execFileSync } = require('node:child_process'); process.stdout.write(execFileSync(process.execPath, ['daemon.js', ${JSON.stringify(JSON.stringify(argv))}, ${JSON.stringify(root)}], { stdio: ['ignore', 'pipe', 'ignore'] }).toString());`,
    );
    const file = join(root, 'client-stderr.txt');
    const fd = openSync(file, 'a');
    const result = spawnSync(process.execPath, ['nx.js', 'run', 'lib-d:test'], { cwd: root, stdio: ['ignore', 'pipe', fd], encoding: 'utf8' });
    closeSync(fd);
    expect(result.stdout).toBe('client');
    expect(readFileSync(file, 'utf8')).toBe('[sixty] from the daemon\n');
  });

  it("is this process's own stderr when the hook runs inside nx, or when argv is unknown", () => {
    expect(findRunTerminal(process.argv, root).via).toBe('own');
    expect(findRunTerminal([], root).via).toBe('own');
  });
});
