import { lstatSync, mkdirSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * Symbolic links on the disk under the workspace root. The Nx Tree cannot see links; the disk
 * can, when the Tree is backed by one (an in-memory test tree has none).
 */
export interface DiskLinks {
  /** True when the workspace-relative path is itself a symbolic link. */
  isLink(path: string): boolean;
  /** The first link among `path` and its parent folders that points outside `directory`. */
  linkLeaving(path: string, directory: string): string | undefined;
}

export function diskLinks(workspaceRoot: string): DiskLinks {
  const isLink = (path: string): boolean => {
    try {
      return lstatSync(join(workspaceRoot, path)).isSymbolicLink();
    } catch {
      return false;
    }
  };
  return {
    isLink,
    linkLeaving(path, directory) {
      const segments = path.split('/');
      for (let count = 1; count <= segments.length; count++) {
        const prefix = segments.slice(0, count).join('/');
        if (!isLink(prefix)) continue;
        let target: string;
        try {
          target = realpathSync(join(workspaceRoot, prefix));
        } catch {
          return prefix; // dangling
        }
        let inside: string;
        try {
          inside = realpathSync(join(workspaceRoot, directory));
        } catch {
          inside = join(workspaceRoot, directory);
        }
        if (target !== inside && !target.startsWith(inside + sep)) return prefix;
      }
      return undefined;
    },
  };
}

/** A package link to create in node_modules once the Tree is written (npm workspaces link them on install). */
export interface PackageLink {
  /** Workspace-relative path of the link, e.g. node_modules/lib-c-part-1. */
  link: string;
  /** Workspace-relative project root it points at. */
  target: string;
}

/** The link the workspace already has for `packageName`, as a relative target, when it is a symbolic link. */
export function existingPackageLink(workspaceRoot: string, packageName: string): string | undefined {
  try {
    const path = join(workspaceRoot, 'node_modules', packageName);
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the links (relative, like npm's), skipping any path that already exists. Returns what it created. */
export function createPackageLinks(workspaceRoot: string, links: readonly PackageLink[]): string[] {
  const created: string[] = [];
  for (const { link, target } of links) {
    const path = join(workspaceRoot, link);
    try {
      lstatSync(path);
      continue; // something is there already: leave it
    } catch {
      // free
    }
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(relative(dirname(path), join(workspaceRoot, target)), path, 'dir');
    created.push(link);
  }
  return created;
}
