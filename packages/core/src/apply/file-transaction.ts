import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { hashFileContent } from '../plan/file-hashes';

/**
 * A set of file changes made all or nothing. Every change is staged first (new contents and
 * backups of what they replace, under the transaction directory, with a journal), then committed
 * one rename or unlink at a time; a failure or an interruption rolls every path back to its
 * state before, checked by SHA-256. A process killed mid-commit leaves the journal, from which
 * `recoverTransaction` finishes or undoes it.
 */

/** One path's wanted state: new bytes, the bytes of another file as they are when staged, gone, or a symbolic link. */
export type FileChange =
  | { kind: 'write'; path: string; content: string | Uint8Array; mode?: number }
  | { kind: 'copy'; path: string; from: string }
  | { kind: 'delete'; path: string }
  | { kind: 'symlink'; path: string; target: string };

/** What is at a path: nothing, a regular file (hash and permission bits), or a symbolic link. */
export type PathState = { type: 'absent' } | { type: 'file'; sha256: string; mode: number } | { type: 'symlink'; target: string } | { type: 'other' };

interface JournalStep {
  path: string;
  before: PathState;
  after: PathState;
}

type JournalState = 'staging' | 'staged' | 'committing';

interface Journal {
  schemaVersion: 1;
  id: string;
  state: JournalState;
  /** What the transaction does, for messages (e.g. the plan and its task). */
  label: string;
  startedAtMs: number;
  steps: JournalStep[];
  /** Directories the commit creates, parents first: rollback removes them. */
  createdDirectories: string[];
}

export interface TransactionOptions {
  /** Where the journal and staged files live (e.g. `<historyDir>/apply`); one transaction at a time. */
  directory: string;
  label: string;
  /** Called before each commit step (1-based): tests inject failures here; throwing rolls back. */
  beforeStep?: (step: number, path: string) => void;
  /** Why a path may not be written, checked again just before its step; a reason rolls back. */
  guard?: (path: string) => string | undefined;
  /** True when the commit should stop and roll back (a signal arrived). Checked between steps. */
  interrupted?: () => string | undefined;
  now?: () => number;
}

export type TransactionOutcome =
  | { ok: true; steps: number }
  | { ok: false; steps: number; failedStep: number; failedPath: string; reason: string; rollback: RollbackResult };

export interface RollbackResult {
  /** Paths whose state after the rollback is not the state before (empty: the tree is as it was). */
  mismatches: string[];
  /** Paths checked against their hash before. */
  verified: number;
  /** Directories the commit created that could not be removed. */
  leftDirectories: string[];
}

const JOURNAL = 'journal.json';

/** The journal of an interrupted transaction, when there is one. */
export function pendingTransaction(directory: string): { label: string; startedAtMs: number; state: JournalState; steps: number } | undefined {
  const journal = readJournal(directory);
  return journal === undefined ? undefined : { label: journal.label, startedAtMs: journal.startedAtMs, state: journal.state, steps: journal.steps.length };
}

/** Stages and commits `changes` in order. Never leaves a half-written tree unless the process dies, when the journal stays. */
export async function runTransaction(changes: readonly FileChange[], options: TransactionOptions): Promise<TransactionOutcome> {
  const journal = stage(changes, options);
  writeJournal(options.directory, { ...journal, state: 'committing' });
  let step = 0;
  try {
    for (const [index, entry] of journal.steps.entries()) {
      step = index + 1;
      const interruption = options.interrupted?.();
      if (interruption !== undefined) throw new Error(interruption);
      options.beforeStep?.(step, entry.path);
      const refused = options.guard?.(entry.path);
      if (refused !== undefined) throw new Error(`${entry.path} ${refused}`);
      perform(options.directory, journal, index);
      // let a signal handler run between steps
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const rollback = rollBack(options.directory, journal);
    if (rollback.mismatches.length === 0) finish(options.directory, journal);
    return { ok: false, steps: journal.steps.length, failedStep: step, failedPath: journal.steps[step - 1]?.path ?? '', reason, rollback };
  }
  finish(options.directory, journal);
  return { ok: true, steps: journal.steps.length };
}

export type RecoveryOutcome =
  | { status: 'none' }
  | { status: 'finished'; label: string; steps: number }
  | { status: 'undone'; label: string; steps: number; rollback: RollbackResult; why: string };

/**
 * Ends an interrupted transaction: `finish` completes it when every path is at its state before
 * or after and the staged contents are intact (else it undoes it); `undo` puts every path back.
 */
export function recoverTransaction(directory: string, mode: 'finish' | 'undo'): RecoveryOutcome {
  const journal = readJournal(directory);
  if (journal === undefined) {
    removeOrphans(directory);
    return { status: 'none' };
  }
  const undo = (why: string): RecoveryOutcome => {
    const rollback = rollBack(directory, journal);
    if (rollback.mismatches.length === 0) finish(directory, journal);
    return { status: 'undone', label: journal.label, steps: journal.steps.length, rollback, why };
  };
  if (journal.state !== 'committing') return undo('it was interrupted while staging, before the workspace was changed');
  if (mode === 'undo') return undo('undo was asked for');
  for (const [index, entry] of journal.steps.entries()) {
    const now = stateOf(entry.path);
    if (sameState(now, entry.after)) continue;
    if (!sameState(now, entry.before) || !stagedAfterIntact(directory, journal, index)) {
      return undo(`${entry.path} is neither as before nor as planned, so the apply cannot be finished`);
    }
  }
  try {
    for (const [index, entry] of journal.steps.entries()) if (!sameState(stateOf(entry.path), entry.after)) perform(directory, journal, index);
  } catch (error) {
    return undo(`finishing failed (${error instanceof Error ? error.message : String(error)})`);
  }
  const unfinished = journal.steps.filter((entry) => !sameState(stateOf(entry.path), entry.after));
  if (unfinished.length > 0) return undo(`${unfinished[0]!.path} did not reach its planned state`);
  finish(directory, journal);
  return { status: 'finished', label: journal.label, steps: journal.steps.length };
}

/** The state of a path on the disk now (links not followed). */
export function stateOf(path: string): PathState {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return { type: 'absent' };
  }
  if (stats.isSymbolicLink()) return { type: 'symlink', target: readlinkSync(path) };
  if (!stats.isFile()) return { type: 'other' };
  return { type: 'file', sha256: hashFileContent(readFileSync(path)), mode: stats.mode & 0o7777 };
}

export function sameState(a: PathState, b: PathState): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'file' && b.type === 'file') return a.sha256 === b.sha256 && a.mode === b.mode;
  if (a.type === 'symlink' && b.type === 'symlink') return a.target === b.target;
  return a.type === 'absent';
}

function stagingDirectory(directory: string, journal: Pick<Journal, 'id'>): string {
  return join(directory, journal.id);
}

function stagedFile(directory: string, journal: Pick<Journal, 'id'>, index: number, which: 'before' | 'after'): string {
  return join(stagingDirectory(directory, journal), `${index}.${which}`);
}

function stage(changes: readonly FileChange[], options: TransactionOptions): Journal {
  const { directory } = options;
  removeOrphans(directory);
  mkdirSync(directory, { recursive: true });
  const journal: Journal = {
    schemaVersion: 1,
    id: `${(options.now ?? Date.now)()}-${randomBytes(4).toString('hex')}`,
    state: 'staging',
    label: options.label,
    startedAtMs: (options.now ?? Date.now)(),
    steps: [],
    createdDirectories: [],
  };
  // Exclusive create: a second apply finds this journal and stops.
  try {
    writeFileSync(join(directory, JOURNAL), `${JSON.stringify(journal)}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`another apply is pending or running (${join(directory, JOURNAL)})`);
    throw error;
  }
  try {
    mkdirSync(stagingDirectory(directory, journal), { recursive: true });
    const seen = new Set<string>();
    const createdDirectories = new Set<string>();
    for (const [index, change] of changes.entries()) {
      if (seen.has(change.path)) throw new Error(`${change.path} is changed twice in one apply`);
      seen.add(change.path);
      const before = stateOf(change.path);
      if (before.type === 'other') throw new Error(`${change.path} is not a regular file or a symbolic link`);
      if (before.type === 'file') copyDurably(change.path, stagedFile(directory, journal, index, 'before'));
      const after = stageAfter(change, before, stagedFile(directory, journal, index, 'after'));
      if (after.type !== 'absent') for (const created of missingParents(change.path)) createdDirectories.add(created);
      journal.steps.push({ path: change.path, before, after });
    }
    journal.createdDirectories = [...createdDirectories].sort((a, b) => a.length - b.length);
    writeJournal(directory, { ...journal, state: 'staged' });
  } catch (error) {
    rmSync(stagingDirectory(directory, journal), { recursive: true, force: true });
    rmSync(join(directory, JOURNAL), { force: true });
    throw error;
  }
  return journal;
}

function stageAfter(change: FileChange, before: PathState, staged: string): PathState {
  switch (change.kind) {
    case 'delete':
      return { type: 'absent' };
    case 'symlink':
      return { type: 'symlink', target: change.target };
    case 'copy': {
      const source = stateOf(change.from);
      if (source.type !== 'file') throw new Error(`${change.from} is not a file to move`);
      copyDurably(change.from, staged);
      return { ...source, sha256: hashFileContent(readFileSync(staged)) };
    }
    case 'write': {
      writeDurably(staged, change.content);
      const mode = change.mode ?? (before.type === 'file' ? before.mode : 0o644);
      return { type: 'file', sha256: hashFileContent(readFileSync(staged)), mode };
    }
  }
}

/** Parent directories of `path` that do not exist yet, outermost first. */
function missingParents(path: string): string[] {
  const missing: string[] = [];
  for (let directory = dirname(path); directory !== dirname(directory); directory = dirname(directory)) {
    try {
      lstatSync(directory);
      break;
    } catch {
      missing.unshift(directory);
    }
  }
  return missing;
}

function perform(directory: string, journal: Journal, index: number): void {
  const { path, after } = journal.steps[index]!;
  if (after.type === 'absent') {
    removePath(path);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  if (after.type === 'symlink') {
    removePath(path);
    symlinkSync(after.target, path);
    return;
  }
  if (after.type === 'file') placeFile(stagedFile(directory, journal, index, 'after'), path, after.mode, true);
}

/** Puts a staged file at `path` in one rename (a copy first when they are on different devices). */
function placeFile(staged: string, path: string, mode: number, consume: boolean): void {
  chmodSync(staged, mode);
  const temporary = `${path}.sixty-apply-tmp`;
  if (consume) {
    try {
      renameSync(staged, path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    }
  }
  copyFileSync(staged, temporary);
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

function removePath(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function stagedAfterIntact(directory: string, journal: Journal, index: number): boolean {
  const { after } = journal.steps[index]!;
  if (after.type !== 'file') return true;
  const staged = stateOf(stagedFile(directory, journal, index, 'after'));
  return staged.type === 'file' && staged.sha256 === after.sha256;
}

/** Every path back to its state before, newest first; created directories removed; then checked. */
function rollBack(directory: string, journal: Journal): RollbackResult {
  for (let index = journal.steps.length - 1; index >= 0; index--) {
    const { path, before } = journal.steps[index]!;
    try {
      rmSync(`${path}.sixty-apply-tmp`, { force: true });
      if (sameState(stateOf(path), before)) continue;
      if (before.type === 'absent') removePath(path);
      else if (before.type === 'symlink') {
        removePath(path);
        mkdirSync(dirname(path), { recursive: true });
        symlinkSync(before.target, path);
      } else if (before.type === 'file') {
        mkdirSync(dirname(path), { recursive: true });
        placeFile(stagedFile(directory, journal, index, 'before'), path, before.mode, false);
      }
    } catch {
      // counted below: the check against the hash before says what is left
    }
  }
  const leftDirectories: string[] = [];
  for (const created of [...journal.createdDirectories].reverse()) {
    try {
      rmdirSync(created);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') leftDirectories.push(created);
    }
  }
  const mismatches = journal.steps.filter((entry) => !sameState(stateOf(entry.path), entry.before)).map((entry) => entry.path);
  return { mismatches, verified: journal.steps.length, leftDirectories };
}

/** The transaction is over: the journal goes first (nothing pending), then the staged files. */
function finish(directory: string, journal: Journal): void {
  rmSync(join(directory, JOURNAL), { force: true });
  rmSync(stagingDirectory(directory, journal), { recursive: true, force: true });
}

/** Staging folders no journal refers to (a process killed before or after its journal). */
function removeOrphans(directory: string): void {
  const journal = readJournal(directory);
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const name of entries) {
    if (/^\d+-[0-9a-f]{8}$/.test(name) && name !== journal?.id) rmSync(join(directory, name), { recursive: true, force: true });
  }
}

function readJournal(directory: string): Journal | undefined {
  let text: string;
  try {
    text = readFileSync(join(directory, JOURNAL), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal.schemaVersion !== 1 || !Array.isArray(journal.steps)) throw new Error('not a journal');
    return journal;
  } catch {
    throw new Error(`the apply journal ${join(directory, JOURNAL)} is unreadable; inspect the workspace with git status, then delete it`);
  }
}

/** Journal rewrites are whole: written to a temporary file, synced, renamed over the old one. */
function writeJournal(directory: string, journal: Journal): void {
  const path = join(directory, JOURNAL);
  const temporary = `${path}.tmp`;
  writeDurably(temporary, `${JSON.stringify(journal)}\n`);
  renameSync(temporary, path);
  syncDirectory(directory);
}

function writeDurably(path: string, content: string | Uint8Array): void {
  const descriptor = openSync(path, 'w');
  try {
    writeFileSync(descriptor, content);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  const descriptor = openSync(to, 'r');
  try {
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
}

function syncDirectory(directory: string): void {
  try {
    const descriptor = openSync(directory, 'r');
    try {
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
  } catch {
    // not every platform syncs directories; the rename is still atomic
  }
}
