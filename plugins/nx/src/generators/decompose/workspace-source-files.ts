import type { Tree } from 'nx/src/devkit-exports';
import type { DiskLinks } from './disk-links';

/** Extensions of the files that are JavaScript or TypeScript modules. */
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** Directories that never hold sources (the same list the import graph reader skips). */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage', 'out-tsc', 'tmp']);
/** Tool configuration belongs to its project, not to a part of it (as in the import graph reader). */
const CONFIG_FILE = /\.config\.[cm]?[jt]sx?$/;

export function isSourceFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return !CONFIG_FILE.test(name) && SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension));
}

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
        if (isSourceFile(name)) files.push(path);
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
