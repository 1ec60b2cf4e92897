import { writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Tree } from 'nx/src/devkit-exports';
import type { ChangeSet } from '@sixty/core';
import type { DecomposeChanges } from './decompose-changes';
import { DecomposeRefusal } from './decompose-refusal';

type Outcome = { applied: true; summary: string } | { applied: false; summary: string; changes: DecomposeChanges };

/**
 * Writes the change set for `sixty apply` (see ChangeSet in @sixty/core): nx flushes a generator's
 * Tree file by file with no way back, so sixty commits the changes itself, journaled.
 */
export function writeChangeSetFile(tree: Tree, path: string, outcome: Outcome): void {
  if (!isAbsolute(path)) throw new DecomposeRefusal(`--changesFile must be an absolute path, got ${path}`, [], 'leave --changesFile to sixty apply');
  const file: ChangeSet = outcome.applied
    ? { schemaVersion: 1, applied: true, summary: outcome.summary }
    : {
        schemaVersion: 1,
        applied: false,
        summary: outcome.summary,
        moves: outcome.changes.moves.map((move) => (tree.read(move.from, 'utf-8') === move.content ? { from: move.from, to: move.to } : move)),
        writes: outcome.changes.writes,
        links: outcome.changes.links,
      };
  writeFileSync(path, `${JSON.stringify(file)}\n`);
}
