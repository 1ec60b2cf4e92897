import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '../baseline/baseline-types';
import { globBase, globIsRecursive, globToRegExp } from './glob-pattern';
import type { TestFileSource } from './shard-runner';

/** Directories no test runner collects tests from by default. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'coverage', 'reports', 'tmp', 'out-tsc']);

/**
 * The files under `directory` (workspace-relative, `''` for the workspace root) that match any
 * of the globs (relative to that directory). Walks only below each glob's fixed base, and only
 * as deep as the glob reaches. Returns workspace-relative paths, sorted.
 */
export function listTestFiles(workspaceRoot: string, directory: string, patterns: readonly string[]): string[] {
  const prefix = directory === '' || directory === '.' ? '' : `${directory.replace(/\/+$/, '')}/`;
  const found = new Set<string>();
  for (const pattern of patterns) {
    const matcher = globToRegExp(pattern);
    const base = globBase(pattern);
    // directory levels below the base the glob can reach
    const maxDepth = globIsRecursive(pattern) ? Infinity : pattern.replace(/^\.\//, '').split('/').length - 1 - (base === '' ? 0 : base.split('/').length);
    const pending: Array<{ relative: string; depth: number }> = [{ relative: base, depth: 0 }];
    while (pending.length > 0) {
      const { relative, depth } = pending.pop() as { relative: string; depth: number };
      let entries: Dirent[];
      try {
        entries = readdirSync(join(workspaceRoot, prefix, relative), { withFileTypes: true });
      } catch {
        continue; // missing or unreadable: nothing to collect there
      }
      for (const entry of entries) {
        const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) {
          if (depth < maxDepth && !entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push({ relative: path, depth: depth + 1 });
        } else if ((entry.isFile() || entry.isSymbolicLink()) && matcher.test(path)) {
          found.add(`${prefix}${path}`);
        }
      }
    }
  }
  return [...found].sort(compareText);
}

/** The files of a glob file source (node --test, mocha, Angular's include): its patterns minus its excludes, both relative to its cwd. */
export function listGlobTestFiles(workspaceRoot: string, source: Extract<TestFileSource, { kind: 'globs' }>): string[] {
  const excluded = source.exclude.map((pattern) => globToRegExp(pattern));
  const prefix = source.cwd === '' ? '' : `${source.cwd}/`;
  return listTestFiles(workspaceRoot, source.cwd, source.patterns).filter((file) => !excluded.some((pattern) => pattern.test(file.slice(prefix.length))));
}
