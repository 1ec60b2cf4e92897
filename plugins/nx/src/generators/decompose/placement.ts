import type { SplitPlan } from '@sixty/core';

/** One new project of the plan, with what the generator derives for it. */
export interface PartPlacement {
  name: string;
  root: string;
  entry: string;
  /** The name other projects import it by (package name and tsconfig alias). */
  importName: string;
  dependsOn: string[];
  /** Workspace-relative paths before the move, sorted. */
  files: string[];
}

/** Where every file of the plan goes. */
export interface Placement {
  oldRoot: string;
  parts: PartPlacement[];
  /** The part a file (old path) moves to; undefined when it stays where it is. */
  partOf(path: string): PartPlacement | undefined;
  /** A path after the move: moved files and paths under them get their part's root; others stay. */
  newPathOf(path: string): string;
  /** Where a path written in an import (old layout) lies after the move, given the part of the file it names. */
  movedPathIn(part: PartPlacement, path: string): string;
}

/**
 * A part's import name: the plan's name, scoped like the old project's package when the old one is
 * scoped and the part's name is not (`@org/lib-c` + `lib-c-part-1` -> `@org/lib-c-part-1`).
 */
export function partImportName(partName: string, oldImportName: string): string {
  const scope = /^(@[^/]+)\//.exec(oldImportName)?.[1];
  return scope !== undefined && !partName.startsWith('@') ? `${scope}/${partName}` : partName;
}

export function createPlacement(plan: SplitPlan, oldRoot: string, oldImportName: string): Placement {
  const parts: PartPlacement[] = plan.projects.map((project) => ({
    name: project.name,
    root: project.root,
    entry: project.entry,
    importName: partImportName(project.name, oldImportName),
    dependsOn: [...project.dependsOn],
    files: [...project.files].sort(),
  }));
  const partByFile = new Map<string, PartPlacement>();
  for (const part of parts) for (const file of part.files) if (!partByFile.has(file)) partByFile.set(file, part);
  const relativeToOldRoot = (path: string): string => (oldRoot === '' ? path : path.slice(oldRoot.length + 1));
  const movedPathIn = (part: PartPlacement, path: string): string => `${part.root}/${relativeToOldRoot(path)}`;
  return {
    oldRoot,
    parts,
    partOf: (path) => partByFile.get(path),
    newPathOf(path) {
      const part = partByFile.get(path);
      return part === undefined ? path : movedPathIn(part, path);
    },
    movedPathIn,
  };
}
