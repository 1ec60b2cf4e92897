import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAgent, type AgentRunOptions } from '../../src/dispatch/agent-process';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sixty-agent-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = (command: string, overrides: Partial<AgentRunOptions> = {}): AgentRunOptions => ({
  command,
  cwd: dir,
  env: { ...process.env, SIXTY_TASK: 'lib-a:test' },
  stdin: 'the ticket\n',
  timeoutMs: 20_000,
  stallMs: 20_000,
  logFile: join(dir, 'agent.log'),
  ...overrides,
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  return !alive(pid);
}

describe('runAgent', () => {
  it('runs the command through the shell in its directory, with the ticket on stdin and the environment', async () => {
    const script = join(dir, 'agent.mjs');
    writeFileSync(
      script,
      "import { readFileSync } from 'node:fs';\n" +
        "process.stdout.write(readFileSync(0, 'utf8').toUpperCase() + process.env.SIXTY_TASK + ' ' + process.cwd() + '\\n');\n" +
        "console.error('warn');\n",
    );
    const result = await runAgent(options(`node ${script} | cat; exit 3`));
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, stalled: false });
    expect(readFileSync(join(dir, 'agent.log'), 'utf8')).toContain(`THE TICKET\nlib-a:test ${dir}\n`);
    expect(result.lastOutput).toContain('warn');
  });

  it('reports a command the shell cannot find as exit 127', async () => {
    const result = await runAgent(options('no-such-agent-command-xyz --go'));
    expect(result.exitCode).toBe(127);
    expect(result.lastOutput).toMatch(/not found/);
  });

  it('stops the whole process group at the time limit', async () => {
    const pidFile = join(dir, 'child.pid');
    const script = join(dir, 'hang.mjs');
    writeFileSync(
      script,
      `import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\nconst child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });\nwriteFileSync(${JSON.stringify(pidFile)}, String(child.pid));\nsetInterval(() => console.log('working'), 100);\n`,
    );
    const result = await runAgent(options(`node ${script}`, { timeoutMs: 1500 }));
    expect(result).toMatchObject({ exitCode: null, timedOut: true, stalled: false });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('stops an agent that writes nothing for the stall limit', async () => {
    const result = await runAgent(options(`node -e "console.log('hello'); setInterval(() => {}, 1000)"`, { stallMs: 800 }));
    expect(result).toMatchObject({ exitCode: null, timedOut: false, stalled: true, lastOutput: 'hello' });
  });

  it('does not wait for a background process that keeps the output open, and ends it', async () => {
    const pidFile = join(dir, 'bg.pid');
    const result = await runAgent(options(`sh -c 'sleep 30 & echo $! > ${pidFile}'; echo done`));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, stalled: false, lastOutput: 'done' });
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('ends a process that left the process group (setsid) by the marker in its environment, at exit and at the time limit', async () => {
    for (const timeoutMs of [20_000, 1500]) {
      const pidFile = join(dir, `escaped-${timeoutMs}.pid`);
      const marker = `SIXTY_DISPATCH_ID=test-${timeoutMs}-${process.pid}`;
      const wait = timeoutMs < 20_000 ? 'sleep 30' : 'true';
      const result = await runAgent(
        options(`setsid sh -c 'echo $$ > ${pidFile}; exec sleep 60' < /dev/null > /dev/null 2>&1 & sleep 0.3; ${wait}`, {
          env: { ...process.env, [marker.split('=')[0]!]: marker.split('=')[1]! },
          marker,
          timeoutMs,
        }),
      );
      expect(result.timedOut).toBe(timeoutMs < 20_000);
      expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    }
  }, 30_000);

  const bwrapWorks = spawnSync('bwrap', ['--dev-bind', '/', '/', '--unshare-pid', '--', '/bin/true']).status === 0;
  it.skipIf(!bwrapWorks)('in the bwrap sandbox: the protected checkout is read-only, its writable holes are not, and the namespace ends with the agent', async () => {
    const checkout = join(dir, 'checkout');
    const hole = join(checkout, '.git');
    mkdirSync(hole, { recursive: true });
    const pidFile = join(dir, 'inner.pid');
    const result = await runAgent(
      options(`(touch ${checkout}/x 2>/dev/null && echo wrote-checkout) ; touch ${hole}/ok && echo wrote-hole; (sleep 60 & echo $! > ${pidFile}); echo done`, {
        sandbox: { readOnly: [checkout], writable: [hole], pinned: [] },
      }),
    );
    expect(result.exitCode).toBe(0);
    const log = readFileSync(join(dir, 'agent.log'), 'utf8');
    expect(log).not.toContain('wrote-checkout');
    expect(log).toContain('wrote-hole');
    expect(existsSync(join(checkout, 'x'))).toBe(false);
    expect(existsSync(join(hole, 'ok'))).toBe(true);
  }, 30_000);
});
