import { isSourceFile } from '@sixty/core';
import type { Tree } from 'nx/src/devkit-exports';
import type { DiskLinks } from './disk-links';

/** Directories that never hold sources (the same list the import graph reader skips). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage', 'out-tsc', 'tmp']);
/** The import graph reader's rule: a tool's `*.config.ts` belongs to its project, a module of the code is a source. */
export { isSourceFile };

/** A module a package entry can re-export: a source file that is not a declaration file. */
export function isModuleFile(path: string): boolean {
  return isSourceFile(path) && !/\.d\.[cm]?ts$/.test(path);
}

/**
 * The source files under `directory` (workspace-relative, `''` for the whole workspace), sorted.
 * Skips dot-directories, node_modules and build output, and never follows a directory link.
 */
export function listSourceFiles(tree: Tree, directory: string, links: DiskLinks): string[] {
  const files: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const name of tree.children(current)) {
      const path = current === '' ? name : `${current}/${name}`;
      if (tree.isFile(path)) {
        if (isSourceFile(path)) files.push(path);
      } else if (!name.startsWith('.') && !SKIPPED_DIRECTORIES.has(name) && !links.isLink(path)) {
        pending.push(path);
      }
    }
  }
  return files.sort(compareStrings);
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
