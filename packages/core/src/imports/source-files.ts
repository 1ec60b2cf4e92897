import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Extensions of the files read as JavaScript or TypeScript modules. */
export const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;

/** Directories that never hold a project's own sources. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', 'build', 'coverage', 'out-tsc', 'tmp']);

/** Tool configuration (vite.config.ts, jest.config.js): it belongs to the project, not to a part of it. */
const CONFIG_FILE = /\.config\.[cm]?[jt]sx?$/;
/** A `*.config.ts` inside a src folder is a module of the code (Angular's src/app/app.config.ts), not a tool's. */
const SOURCE_FOLDER = /(?:^|\/)src\//;

/** A JavaScript or TypeScript module of the code, by its path (workspace- or project-relative). */
export function isSourceFile(path: string): boolean {
  if (CONFIG_FILE.test(path) && !SOURCE_FOLDER.test(path)) return false;
  return SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension));
}

export function isTypeScriptFile(path: string): boolean {
  return /\.[cm]?tsx?$/.test(path);
}

export interface ProjectSourceFiles {
  /** Workspace-relative paths, sorted. */
  files: string[];
  /** Workspace-relative paths of symbolic links inside the project that point outside it. */
  symlinksOutside: string[];
}

/**
 * Lists the source files under a project directory. Skips dot-directories, node_modules and
 * build output; does not descend into symlinked directories (they may loop or leave the project).
 * `onProgress` hears the number of files found so far after each directory.
 */
export function listProjectSourceFiles(workspaceRoot: string, projectDirectory: string, onProgress?: (filesFound: number) => void): ProjectSourceFiles {
  const files: string[] = [];
  const symlinksOutside: string[] = [];
  const projectReal = realpathSync(projectDirectory);
  const rootPrefix = workspaceRoot.endsWith(sep) ? workspaceRoot : workspaceRoot + sep;
  const toWorkspacePath = (absolute: string): string =>
    (absolute.startsWith(rootPrefix) ? absolute.slice(rootPrefix.length) : relative(workspaceRoot, absolute)).split(sep).join('/');
  const pending = [projectDirectory];
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries: Dirent[];
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      continue; // unreadable directory: nothing of it can be planned
    }
    for (const entry of entries) {
      const absolute = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !SKIPPED_DIRECTORIES.has(entry.name)) pending.push(absolute);
      } else if (entry.isSymbolicLink()) {
        const target = safeRealpath(absolute);
        const inside = target !== undefined && (target === projectReal || target.startsWith(projectReal + sep));
        if (!inside) symlinksOutside.push(toWorkspacePath(absolute));
        const path = toWorkspacePath(absolute);
        if (inside && isSourceFile(path) && isFile(absolute)) files.push(path);
      } else if (entry.isFile()) {
        const path = toWorkspacePath(absolute);
        if (isSourceFile(path)) files.push(path);
      }
    }
    onProgress?.(files.length);
  }
  files.sort(compareStrings);
  symlinksOutside.sort(compareStrings);
  return { files, symlinksOutside };
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined; // dangling link
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
