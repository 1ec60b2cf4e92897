import { lstatSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { unsafePathReason } from '../workspace-files/safe-path';

/**
 * What is at an absolute path on the disk: nothing, or something whose real path (every symbolic
 * link followed) is `realPath`; `realPath` is undefined for a link that leads nowhere.
 */
export type PathOnDisk = { exists: false } | { exists: true; realPath: string | undefined };

/** Looks a path up on the disk; the seam tests replace. */
export type PathLookup = (absolutePath: string) => PathOnDisk;

/** The disk itself: lstat (a dangling link exists), then realpath. */
export function lookUpOnDisk(absolutePath: string): PathOnDisk {
  try {
    lstatSync(absolutePath);
  } catch {
    return { exists: false };
  }
  try {
    return { exists: true, realPath: realpathSync.native(absolutePath) };
  } catch {
    return { exists: true, realPath: undefined };
  }
}

export interface ConfinementOptions {
  /** Absolute path of the workspace root. */
  workspaceRoot: string;
  /** Directories no plan may write into besides .git, node_modules and .nx (sixty's history dir, nx's cache dir), absolute or workspace-relative. */
  protectedDirectories?: ReadonlyArray<{ path: string; label: string }>;
  lookup?: PathLookup;
}

/** Where a plan may write and delete: inside the workspace, outside the directories tools own. */
export interface WorkspaceConfinement {
  /**
   * Why writing or deleting the workspace-relative `path` would reach outside what a plan may
   * touch, with symbolic links followed (the real path of its nearest existing ancestor);
   * undefined when it may. Never throws.
   */
  reasonOutside(path: string): string | undefined;
}

/** Folders named like this are never a plan's to write, at any depth. */
const PROTECTED_NAMES: ReadonlyMap<string, string> = new Map([
  ['.git', 'git\'s own directory'],
  ['node_modules', 'installed packages (node_modules)'],
]);

/**
 * The confinement of one workspace. Real paths are looked up once per directory and kept, so
 * checking every file of a large plan costs one lookup per folder.
 */
export function createWorkspaceConfinement(options: ConfinementOptions): WorkspaceConfinement {
  const lookup = options.lookup ?? lookUpOnDisk;
  const root = resolve(options.workspaceRoot);
  const rootOnDisk = lookup(root);
  const realRoot = rootOnDisk.exists && rootOnDisk.realPath !== undefined ? rootOnDisk.realPath : root;
  const protectedDirectories = [{ path: '.nx', label: 'nx\'s cache and workspace data (.nx)' }, ...(options.protectedDirectories ?? [])].flatMap(({ path, label }) => {
    const absolute = isAbsolute(path) ? resolve(path) : join(root, path);
    const onDisk = lookup(absolute);
    const real = onDisk.exists && onDisk.realPath !== undefined ? onDisk.realPath : absolute;
    // Both spellings: the lexical one (before it exists) and the real one (behind a link).
    return [...new Set([absolute, real])].map((directory) => ({ directory, label }));
  });
  const realPaths = new Map<string, PathOnDisk>();
  const cachedLookup = (absolute: string): PathOnDisk => {
    let found = realPaths.get(absolute);
    if (found === undefined) {
      found = lookup(absolute);
      realPaths.set(absolute, found);
    }
    return found;
  };

  const protectedReason = (absolute: string, base: string): string | undefined => {
    const inside = relative(base, absolute);
    for (const segment of inside.split(sep)) {
      const label = PROTECTED_NAMES.get(segment);
      if (label !== undefined) return `is inside ${label}`;
    }
    for (const { directory, label } of protectedDirectories) {
      if (absolute === directory || absolute.startsWith(directory + sep)) return `is inside ${label}`;
    }
    return undefined;
  };

  return {
    reasonOutside(path) {
      try {
        const unsafe = unsafePathReason(path);
        if (unsafe !== undefined) return unsafe;
        const lexical = join(root, path);
        const lexicalReason = protectedReason(lexical, root);
        if (lexicalReason !== undefined) return lexicalReason;
        // The nearest existing ancestor (or the path itself), followed through every link.
        const segments = path.split('/');
        let resolved: string | undefined;
        for (let count = segments.length; count > 0 && resolved === undefined; count--) {
          const prefix = segments.slice(0, count).join('/');
          const onDisk = cachedLookup(join(root, prefix));
          if (!onDisk.exists) continue;
          if (onDisk.realPath === undefined) return `goes through ${prefix}, a symbolic link that leads nowhere`;
          resolved = join(onDisk.realPath, ...segments.slice(count));
        }
        resolved ??= join(realRoot, path);
        if (resolved !== realRoot && !resolved.startsWith(realRoot + sep)) {
          return `leads outside the workspace (to ${resolved}) through a symbolic link`;
        }
        return protectedReason(resolved, realRoot);
      } catch (error) {
        return `could not be checked (${error instanceof Error ? error.message.slice(0, 120) : 'unknown error'})`;
      }
    },
  };
}
