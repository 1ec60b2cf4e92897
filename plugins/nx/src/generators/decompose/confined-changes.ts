import type { WorkspaceConfinement } from '@sixty/core';
import type { DecomposeChanges } from './decompose-change-types';
import { quote } from './quote';

/**
 * Every path the change set writes, deletes or links, checked again just before writing: the
 * validator saw the plan's roots and files, this sees the exact paths (moved files' new places,
 * copied configs, package links), symbolic links followed on the disk as it is now.
 */
export function changePathProblems(changes: Pick<DecomposeChanges, 'moves' | 'writes' | 'links'>, confinement: WorkspaceConfinement): string[] {
  const problems: string[] = [];
  const check = (path: string, action: string): void => {
    const reason = confinement.reasonOutside(path);
    if (reason !== undefined) problems.push(`${action} ${quote(path)}: ${reason}`);
  };
  for (const move of changes.moves) {
    check(move.from, 'delete');
    check(move.to, 'write');
  }
  for (const write of changes.writes) check(write.path, 'write');
  // Package links live in node_modules by design: the link itself is checked by its folder, its target as a root.
  for (const link of changes.links) check(link.target, 'link to');
  return problems;
}
