import { lstatSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FileChange } from './file-transaction';

/**
 * A split's change set as the decompose generator hands it to `sixty apply` (workspace-relative
 * paths). nx flushes a generator's Tree file by file with no way back, so `sixty apply` runs the
 * generator with --dry-run and `--changesFile`, then commits this itself in one transaction.
 */
export type ChangeSet =
  | { schemaVersion: 1; applied: true; summary: string }
  | {
      schemaVersion: 1;
      applied: false;
      summary: string;
      /** `content` only when the move rewrote it: otherwise the file's bytes move as they are. */
      moves: Array<{ from: string; to: string; content?: string }>;
      writes: Array<{ path: string; content: string }>;
      /** Package links to create (npm workspaces' style), target a project root. */
      links: Array<{ link: string; target: string }>;
    };

/** A change set read back from its file; undefined when it is not one. */
export function parseChangeSet(text: string): ChangeSet | undefined {
  try {
    const value = JSON.parse(text) as ChangeSet;
    if (value.schemaVersion !== 1 || typeof value.summary !== 'string') return undefined;
    if (value.applied) return value;
    return Array.isArray(value.moves) && Array.isArray(value.writes) && Array.isArray(value.links) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The file changes of a change set, absolute: new files first (moved files at their new place,
 * then the new projects' files), then files rewritten in place, then the moved files' old places,
 * then package links that are not there yet. A moved file keeps its permission bits.
 */
export function fileChangesOf(workspaceRoot: string, changeSet: Extract<ChangeSet, { applied: false }>): FileChange[] {
  const at = (path: string): string => join(workspaceRoot, path);
  const exists = (path: string): boolean => {
    try {
      lstatSync(path);
      return true;
    } catch {
      return false;
    }
  };
  const modeOf = (path: string): number | undefined => {
    try {
      return lstatSync(path).mode & 0o7777;
    } catch {
      return undefined;
    }
  };
  const changes: FileChange[] = [];
  for (const move of changeSet.moves) {
    if (move.content === undefined) changes.push({ kind: 'copy', path: at(move.to), from: at(move.from) });
    else {
      const mode = modeOf(at(move.from));
      changes.push({ kind: 'write', path: at(move.to), content: move.content, ...(mode !== undefined ? { mode } : {}) });
    }
  }
  const created = changeSet.writes.filter((write) => !exists(at(write.path)));
  const updated = changeSet.writes.filter((write) => exists(at(write.path)));
  for (const write of [...created, ...updated]) changes.push({ kind: 'write', path: at(write.path), content: write.content });
  for (const move of changeSet.moves) changes.push({ kind: 'delete', path: at(move.from) });
  for (const { link, target } of changeSet.links) {
    const path = at(link);
    if (!exists(path)) changes.push({ kind: 'symlink', path, target: relative(dirname(path), at(target)) });
  }
  return changes;
}
