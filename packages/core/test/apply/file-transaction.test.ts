import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appliedRecordDifferences, appliedRecordOf, pendingTransaction, recoverTransaction, runTransaction, type FileChange } from '@sixty/core';

let base: string;
let ws: string;
let journalDirectory: string;

/** Every path under the workspace with what is there (a file's hash and mode, a link's target, a folder), the journal folder left out. */
function treeOf(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const relative = path.slice(root.length + 1);
    if (relative === '.sixty/apply' || relative.startsWith('.sixty/apply/')) continue;
    if (entry.isSymbolicLink()) entries[relative] = `link ${readlinkSync(path)}`;
    else if (entry.isDirectory()) entries[relative] = 'dir';
    else entries[relative] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return entries;
}

function createWorkspace(): void {
  ws = join(base, 'ws');
  for (const dir of ['libs/a/src', 'node_modules', '.sixty']) mkdirSync(join(ws, dir), { recursive: true });
  writeFileSync(join(ws, 'libs/a/src/one.ts'), 'export const one = 1;\n');
  writeFileSync(join(ws, 'libs/a/src/two.ts'), "import { one } from './one';\nexport const two = one + 1;\n");
  chmodSync(join(ws, 'libs/a/src/two.ts'), 0o755);
  writeFileSync(join(ws, 'libs/a/src/index.ts'), "export * from './one';\nexport * from './two';\n");
  writeFileSync(join(ws, 'tsconfig.base.json'), '{}\n');
  writeFileSync(join(ws, '.sixty/decompositions.json'), '{"decompositions":[]}\n');
  symlinkSync('../libs/a', join(ws, 'node_modules/a'));
  journalDirectory = join(ws, '.sixty', 'apply');
}

/** A split's change set: moves (one copied, one rewritten), updates, a new link, a record. */
function changes(): FileChange[] {
  const at = (path: string): string => join(ws, path);
  return [
    { kind: 'copy', path: at('libs/b/src/one.ts'), from: at('libs/a/src/one.ts') },
    { kind: 'write', path: at('libs/b/src/two.ts'), content: "import { one } from './one';\nexport const two = one + 2;\n", mode: 0o755 },
    { kind: 'write', path: at('libs/b/project.json'), content: '{ "name": "b" }\n' },
    { kind: 'write', path: at('libs/a/src/index.ts'), content: "export * from 'b';\n" },
    { kind: 'write', path: at('tsconfig.base.json'), content: '{ "paths": { "b": ["libs/b/src/index.ts"] } }\n' },
    { kind: 'delete', path: at('libs/a/src/one.ts') },
    { kind: 'delete', path: at('libs/a/src/two.ts') },
    { kind: 'symlink', path: at('node_modules/b'), target: '../libs/b' },
    { kind: 'write', path: at('.sixty/decompositions.json'), content: '{"decompositions":[{"task":"a:build"}]}\n' },
  ];
}

beforeEach(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'sixty-transaction-')));
  createWorkspace();
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

/** The tree a clean commit leaves, from a workspace of its own. */
async function treeAfterCleanCommit(): Promise<Record<string, string>> {
  const outcome = await runTransaction(changes(), { directory: journalDirectory, label: 'clean' });
  expect(outcome).toEqual({ ok: true, steps: 9 });
  const after = treeOf(ws);
  rmSync(ws, { recursive: true, force: true });
  createWorkspace();
  return after;
}

describe('runTransaction', () => {
  it('commits every change and leaves no journal', async () => {
    const before = treeOf(ws);
    const after = await treeAfterCleanCommit();
    expect(after).not.toEqual(before);
    expect(after['libs/b/src/one.ts']).toBe(before['libs/a/src/one.ts']);
    expect(after['libs/a/src/one.ts']).toBeUndefined();
    expect(after['node_modules/b']).toBe('link ../libs/b');
    expect(pendingTransaction(journalDirectory)).toBeUndefined();
  });

  it('rolls back to the exact tree before when any step fails (every step tried)', async () => {
    const before = treeOf(ws);
    for (let failAt = 1; failAt <= changes().length; failAt++) {
      const outcome = await runTransaction(changes(), {
        directory: journalDirectory,
        label: 'faulty',
        beforeStep: (step) => {
          if (step === failAt) throw new Error(`injected failure at step ${step}`);
        },
      });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome).toMatchObject({ failedStep: failAt, reason: `injected failure at step ${failAt}`, rollback: { mismatches: [], leftDirectories: [], verified: 9 } });
      expect(treeOf(ws), `failure at step ${failAt}`).toEqual(before);
      expect(pendingTransaction(journalDirectory)).toBeUndefined();
    }
  }, 60_000); // one whole transaction per step

  it('rolls back when the guard refuses a path at write time, or a signal arrives', async () => {
    const before = treeOf(ws);
    const guarded = await runTransaction(changes(), { directory: journalDirectory, label: 'guarded', guard: (path) => (path.endsWith('tsconfig.base.json') ? 'is not to be written' : undefined) });
    expect(guarded).toMatchObject({ ok: false, failedStep: 5, reason: `${join(ws, 'tsconfig.base.json')} is not to be written` });
    expect(treeOf(ws)).toEqual(before);
    let steps = 0;
    const signalled = await runTransaction(changes(), { directory: journalDirectory, label: 'signalled', beforeStep: () => void steps++, interrupted: () => (steps === 3 ? 'interrupted by SIGINT' : undefined) });
    expect(signalled).toMatchObject({ ok: false, failedStep: 4, reason: 'interrupted by SIGINT' });
    expect(treeOf(ws)).toEqual(before);
  });

  it('refuses to start while another transaction is pending', async () => {
    mkdirSync(journalDirectory, { recursive: true });
    writeFileSync(join(journalDirectory, 'journal.json'), JSON.stringify({ schemaVersion: 1, id: '1-00000000', state: 'staging', label: 'other', startedAtMs: 1, steps: [], createdDirectories: [] }));
    await expect(runTransaction(changes(), { directory: journalDirectory, label: 'second' })).rejects.toThrow(/another apply is pending or running/);
  });
});

describe('recoverTransaction after a crash before each step', () => {
  /**
   * The disk as a process killed just before step `crashAt` leaves it: the workspace is copied at
   * that moment, the run rolls back, and the copy takes the workspace's place.
   */
  async function crashBefore(crashAt: number): Promise<void> {
    const snapshot = join(base, 'crashed');
    await runTransaction(changes(), {
      directory: journalDirectory,
      label: 'crashing',
      beforeStep: (step) => {
        if (step !== crashAt) return;
        cpSync(ws, snapshot, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
        throw new Error('crash');
      },
    });
    rmSync(ws, { recursive: true, force: true });
    renameSync(snapshot, ws);
  }

  it('finishes, or undoes, an apply interrupted at any step', async () => {
    const before = treeOf(ws);
    const after = await treeAfterCleanCommit();
    for (let crashAt = 1; crashAt <= changes().length; crashAt++) {
      for (const mode of ['finish', 'undo'] as const) {
        await crashBefore(crashAt);
        expect(pendingTransaction(journalDirectory)).toMatchObject({ label: 'crashing', state: 'committing', steps: 9 });
        const outcome = recoverTransaction(journalDirectory, mode);
        expect(outcome.status, `${mode} after a crash at step ${crashAt}`).toBe(mode === 'finish' ? 'finished' : 'undone');
        expect(treeOf(ws), `${mode} after a crash at step ${crashAt}`).toEqual(mode === 'finish' ? after : before);
        expect(pendingTransaction(journalDirectory)).toBeUndefined();
        rmSync(ws, { recursive: true, force: true });
        createWorkspace();
      }
    }
  }, 120_000); // 18 whole transactions and workspace copies: seconds on an idle machine, more under load

  it('undoes instead of finishing when a path changed since the crash', async () => {
    const before = treeOf(ws);
    await crashBefore(3);
    writeFileSync(join(ws, 'libs/b/src/one.ts'), 'edited by hand\n');
    const outcome = recoverTransaction(journalDirectory, 'finish');
    expect(outcome).toMatchObject({ status: 'undone', why: `${join(ws, 'libs/b/src/one.ts')} is neither as before nor as planned, so the apply cannot be finished` });
    expect(treeOf(ws)).toEqual(before);
  });

  it('says there is nothing to recover when no apply is pending', () => {
    expect(recoverTransaction(journalDirectory, 'finish')).toEqual({ status: 'none' });
  });
});

describe('appliedRecordOf / appliedRecordDifferences', () => {
  it('matches the committed tree exactly, and names a path edited since', async () => {
    const record = appliedRecordOf(ws, { task: 'a:build', planSha256: 'f'.repeat(64), appliedAtMs: 1 }, changes());
    await runTransaction(changes(), { directory: journalDirectory, label: 'clean' });
    expect(appliedRecordDifferences(ws, record)).toEqual([]);
    writeFileSync(join(ws, 'libs/a/src/index.ts'), 'export {};\n');
    writeFileSync(join(ws, 'libs/a/src/one.ts'), 'back\n');
    expect(appliedRecordDifferences(ws, record)).toEqual(['libs/a/src/index.ts', 'libs/a/src/one.ts']);
  });
});
